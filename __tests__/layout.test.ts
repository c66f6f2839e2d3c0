import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { memorious } from '../src';
import { currentVersion, tempDir } from './helpers/cache';
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
});
