import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { memorious } from '../src';
import { currentVersion, tempDir } from './helpers/cache';
import { funes } from './helpers/cli';
import { lastJson, projectDir, runScript } from './helpers/child';
import { expectWarnings } from './helpers/quiet-warnings';
// Warnings this file provokes: its memorized code reads test-local counters, which no version can see.
expectWarnings('FUNES_HIDDEN_DEPENDENCY');

const base = tempDir();

describe('the cache layout', () => {
  test('a cache directory funes creates gets a .gitignore holding *, and a method folder holds only version folders', () => {
    const dir = join(base, 'fresh', 'cache');
    const f = memorious({ cacheDir: dir })(function layoutFresh(x: number): number {
      return x;
    });
    f(1);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8').split('\n')).toContain('*');
    const methodDir = join(dir, 'layoutFresh');
    const inside = readdirSync(methodDir);
    expect(inside).toHaveLength(1);
    expect(inside[0]).toMatch(/^[0-9a-f]{16}$/);
    expect(currentVersion(methodDir)).toBe(inside[0]);
  });

  test('an existing cache directory is left as it is', () => {
    const dir = join(base, 'existing');
    mkdirSync(dir, { recursive: true });
    const f = memorious({ cacheDir: dir })(function layoutExisting(x: number): number {
      return x;
    });
    f(1);
    expect(existsSync(join(dir, '.gitignore'))).toBe(false);
    expect(readdirSync(dir)).toEqual(['layoutExisting']);
  });

  test('a cache first made by taking a lock (async functions, lock: true) gets its .gitignore too', async () => {
    const asyncDir = join(base, 'by-lock', 'cache');
    const later = memorious({ cacheDir: asyncDir })(async function layoutLater(x: number): Promise<number> {
      return x;
    });
    expect(await later(1)).toBe(1);
    expect(readFileSync(join(asyncDir, '.gitignore'), 'utf8').split('\n')).toContain('*');
    const lockedDir = join(base, 'by-sync-lock', 'cache');
    const locked = memorious({ cacheDir: lockedDir, lock: true })(function layoutLocked(x: number): number {
      return x;
    });
    locked(1);
    expect(existsSync(join(lockedDir, '.gitignore'))).toBe(true);
  });
});

describe('the current version', () => {
  const dir = projectDir();
  const script = join(dir, 'sweep.js');
  const env = { FUNES_CACHE_DIR: join(dir, 'cache') };
  const run = (rate: number, mode?: string): { out: number[]; misses: number; version: string } => {
    writeFileSync(
      script,
      `const { memorious, Memorious } = require('funes');
const RATE = ${rate};
const fit = memorious(function fit(x) { return x * RATE; });
const out = [1, 2, 3].map((x) => fit(x));
console.log(JSON.stringify({ out, misses: Memorious.stats(fit).misses, version: require('node:path').basename(Memorious.locate(fit)) }));
`,
    );
    return lastJson(runScript(dir, script, { env: { ...env, FUNES_MODE: mode } }));
  };

  test('is the one a program used last, hits only included: a reverted edit keeps its records through clear --stale', () => {
    const a = run(2);
    const b = run(3);
    expect(b.version).not.toBe(a.version);
    const back = run(2);
    expect(back).toEqual({ out: [2, 4, 6], misses: 0, version: a.version });
    expect(currentVersion(join(env.FUNES_CACHE_DIR, 'fit'))).toBe(a.version);
    const cleared = funes(env.FUNES_CACHE_DIR, ['clear', 'fit', '--stale']);
    expect(cleared.status).toBe(0);
    expect(readdirSync(join(env.FUNES_CACHE_DIR, 'fit'))).toEqual([a.version]);
    expect(run(2).misses).toBe(0);
  });

  test('a read-only run marks nothing', () => {
    const five = run(5);
    const two = run(2);
    expect(run(5, 'read-only')).toEqual({ out: [5, 10, 15], misses: 0, version: five.version });
    expect(currentVersion(join(env.FUNES_CACHE_DIR, 'fit'))).toBe(two.version);
  });
});
