import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
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

/** Every file below `dir`, as paths relative to it, sorted. */
export function filesUnder(dir: string): string[] {
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

/** Collects the FunesWarnings emitted while `fn` runs (they are emitted on the next tick). */
export async function warningsDuring(fn: () => unknown): Promise<{ code?: string; message: string }[]> {
  const seen: { code?: string; message: string }[] = [];
  const listener = (w: Error & { code?: string }): void => {
    if (w.name === 'FunesWarning') seen.push({ code: w.code, message: w.message });
  };
  process.on('warning', listener);
  try {
    await fn();
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
  } finally {
    process.off('warning', listener);
  }
  return seen;
}
