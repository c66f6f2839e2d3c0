import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { deserialize } from 'node:v8';
import { Memorious } from '../../src';

/** A fresh cache directory, made the process default; removed after the file's tests. */
export function tempCache(): string {
  const dir = mkdtempSync(join(tmpdir(), 'funes-test-'));
  Memorious.configure({ cacheDir: dir });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'funes-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Bookkeeping beside the records: what produced a version, and the version last used. */
const BOOKKEEPING = new Set(['meta.json', 'used', '.gitignore']);

/** Every file below `dir` but version bookkeeping (records, temp files, strays), relative to it, sorted. */
export function filesUnder(dir: string): string[] {
  return allFilesUnder(dir).filter((p) => !BOOKKEEPING.has(basename(p)));
}

/** Every file below `dir`, bookkeeping included, relative to it, sorted; nothing for a missing dir. */
export function allFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const name of names) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * Collects the FunesWarnings emitted while `fn` runs. It spies on `process.emitWarning`:
 * jest's sandboxed `process` does not deliver 'warning' events to listeners in the test.
 */
export async function warningsDuring(fn: () => unknown): Promise<{ code?: string; message: string }[]> {
  const seen: { code?: string; message: string }[] = [];
  const spy = jest.spyOn(process, 'emitWarning').mockImplementation((warning: string | Error, options?: unknown) => {
    const o = (typeof options === 'object' && options !== null ? options : {}) as { type?: string; code?: string };
    if (o.type === 'FunesWarning') seen.push({ code: o.code, message: String(warning) });
  });
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return seen;
}

/** Marks `version` as the one a program used last, as funes does when it writes. */
export function markCurrent(methodDir: string, version: string): void {
  unmarkCurrent(methodDir);
  writeFileSync(join(methodDir, version, 'used'), `${Date.now()}\n`);
}

/** Removes every version's `used` marker: no version is current. */
export function unmarkCurrent(methodDir: string): void {
  for (const name of readdirSync(methodDir)) rmSync(join(methodDir, name, 'used'), { force: true });
}

/** The version a program used last, from the `used` markers. */
export function currentVersion(methodDir: string): string | undefined {
  let best: [number, string] | undefined;
  for (const name of readdirSync(methodDir)) {
    let used: number;
    try {
      used = Number(readFileSync(join(methodDir, name, 'used'), 'utf8'));
    } catch {
      continue;
    }
    if (!best || used > best[0]) best = [used, name];
  }
  return best?.[1];
}

/** The name (without `.bin`) of the record in `dir` whose input `x` is `x`. */
export function recordNameFor(dir: string, x: unknown): string {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.bin'))
    .find((n) => (deserialize(readFileSync(join(dir, n))) as { input: { x: unknown } }).input.x === x)!
    .slice(0, -4);
}
