import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { FunesError, Memorious, memorious } from '../src';
import { parseBytes, parseDuration } from '../src/limits';
import { age, DAY, funes, funesJson, recordFiles, size } from './helpers/cli';
import { expectWarnings } from './helpers/quiet-warnings';
// Warnings this file provokes: its memorized code reads test-local counters, which no version can see.
expectWarnings('FUNES_HIDDEN_DEPENDENCY');
// One method in several versions is made by declaring its class more than once.
expectWarnings('FUNES_NAME_CLASH');

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A fresh cache directory per test: each test builds the cache it prunes. */
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'funes-prune-'));
  made.push(dir);
  return dir;
}

interface Summary {
  dryRun: boolean;
  removed: number;
  freedBytes: number;
  kept: number;
  keptBytes: number;
  versionsRemoved: number;
  tempFiles: number;
}

/**
 * A fresh cache of `n` records of Grid.cell (x = 0..n-1), each last used `x` days ago,
 * so the least recently used record is the one with the largest x.
 */
function grid(n: number): { dir: string; files: Map<number, string> } {
  const dir = tempDir();
  Memorious.configure({ cacheDir: dir });
  class Grid {
    @memorious
    cell(x: number): string {
      return 'v'.repeat(10 * x);
    }
  }
  const g = new Grid();
  const files = new Map<number, string>();
  for (let x = 0; x < n; x++) {
    const before = new Set(recordFiles(dir));
    g.cell(x);
    const made = recordFiles(dir).find((f) => !before.has(f))!;
    files.set(x, made);
  }
  // A minute short of x days, so that a limit of x days keeps the record used x days ago.
  for (const [x, f] of files) age(f, x === 0 ? 0 : x * DAY - 60_000);
  return { dir, files };
}

const alive = (files: Map<number, string>): number[] => [...files].filter(([, f]) => existsSync(f)).map(([x]) => x);

describe('funes prune', () => {
  test('--max-age removes records unused for longer, and nothing else', () => {
    const { dir, files } = grid(6);
    const s = funesJson<Summary>(dir, ['prune', '--max-age', '3d']);
    expect(alive(files)).toEqual([0, 1, 2, 3]);
    expect([s.removed, s.kept, s.dryRun]).toEqual([2, 4, false]);
  });

  test('--max-entries keeps the most recently used', () => {
    const { dir, files } = grid(6);
    const s = funesJson<Summary>(dir, ['prune', '--max-entries', '2']);
    expect(alive(files)).toEqual([0, 1]);
    expect([s.removed, s.kept]).toEqual([4, 2]);
  });

  test('--max-bytes removes least recently used first until the rest fits, and reports the bytes', () => {
    const { dir, files } = grid(6);
    const sizes = [...files.values()].map(size);
    const total = sizes.reduce((a, b) => a + b, 0);
    // Room for all but the three oldest (x = 5, 4, 3).
    const limit = total - sizes[5]! - sizes[4]! - sizes[3]!;
    const s = funesJson<Summary>(dir, ['prune', '--max-bytes', String(limit)]);
    expect(alive(files)).toEqual([0, 1, 2]);
    expect(s.freedBytes).toBe(sizes[3]! + sizes[4]! + sizes[5]!);
    expect(s.keptBytes).toBe(limit);
    expect(s.kept).toBe(3);
  });

  test('every limit holds at once', () => {
    const { dir, files } = grid(6);
    funesJson<Summary>(dir, ['prune', '--max-age', '4d', '--max-entries', '3', '--max-bytes', '10G']);
    expect(alive(files)).toEqual([0, 1, 2]);
  });

  test('--dry-run reports the same and removes nothing', () => {
    const { dir, files } = grid(5);
    const before = recordFiles(dir);
    const dry = funesJson<Summary>(dir, ['prune', '--max-entries', '1', '--dry-run']);
    expect(recordFiles(dir)).toEqual(before);
    expect([dry.dryRun, dry.removed, dry.kept]).toEqual([true, 4, 1]);
    const text = funes(dir, ['prune', '--max-entries', '1', '--dry-run']);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('would remove 4 records');
    expect(recordFiles(dir)).toEqual(before);
    const real = funesJson<Summary>(dir, ['prune', '--max-entries', '1']);
    expect([real.removed, real.freedBytes]).toEqual([dry.removed, dry.freedBytes]);
    expect(alive(files)).toEqual([0]);
  });

  test('removing the last record of a version removes the folder and its meta; old temp files go, young ones stay', () => {
    const { dir, files } = grid(2);
    const versionDir = dirname(files.get(0)!);
    writeFileSync(join(versionDir, 'meta.json'), JSON.stringify({ format: 2, method: 'Grid.cell', source: '', params: ['x'], created: 1 }));
    const methodDir = dirname(versionDir);
    const oldTemp = join(methodDir, '.tmp-1-0-aaaa-0');
    const youngTemp = join(methodDir, '.tmp-1-0-bbbb-0');
    writeFileSync(oldTemp, 'x');
    writeFileSync(youngTemp, 'x');
    age(oldTemp, 2 * 60_000);
    const s = funesJson<Summary>(dir, ['prune', '--max-entries', '0']);
    expect([s.removed, s.versionsRemoved, s.tempFiles, s.kept]).toEqual([2, 1, 1, 0]);
    expect(existsSync(versionDir)).toBe(false);
    expect(existsSync(oldTemp)).toBe(false);
    expect(existsSync(youngTemp)).toBe(true);
  });

  test('prints a summary of what went and what it freed', () => {
    const { dir } = grid(3);
    const r = funes(dir, ['prune', '--max-entries', '1']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/removed 2 records and 0 leftover temporary files, freeing \d+ B/);
    expect(r.stdout).toContain('kept 1 record');
  });
});

describe('Memorious.prune', () => {
  test('prunes the configured cache directory by default, with the same order and amounts', () => {
    const { dir, files } = grid(5);
    Memorious.configure({ cacheDir: dir });
    const dry = Memorious.prune({ maxAge: '2d', dryRun: true });
    expect(alive(files)).toEqual([0, 1, 2, 3, 4]);
    expect([dry.removed, dry.kept, dry.dir]).toEqual([2, 3, dir]);
    const s = Memorious.prune({ maxAge: 2 * DAY, maxEntries: 2 });
    expect(alive(files)).toEqual([0, 1]);
    expect(s.removed).toBe(3);
  });

  test('takes an explicit dir and reads sizes as strings', () => {
    const { dir, files } = grid(3);
    Memorious.configure({ cacheDir: undefined });
    const s = Memorious.prune({ dir, maxBytes: '0k' });
    expect([s.removed, s.kept, s.keptBytes]).toEqual([3, 0, 0]);
    expect(alive(files)).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });

  test('a limit it cannot read throws FUNES_BAD_OPTION', () => {
    expect(() => Memorious.prune({ maxAge: '30' })).toThrow(FunesError);
    expect(() => Memorious.prune({ maxBytes: -1 })).toThrow(/maxBytes/);
    expect(() => Memorious.prune({ maxEntries: 1.5 })).toThrow(/maxEntries/);
  });
});

describe('Memorious.staleVersions and clearStale', () => {
  test('list and remove every version but the current one', () => {
    const dir = tempDir();
    Memorious.configure({ cacheDir: dir });
    const make = (n: number) => {
      class Fit {
        @memorious({ version: n })
        fit(x: number): number {
          return x * n;
        }
      }
      return new Fit();
    };
    const [a, b, c] = [make(1), make(2), make(3)];
    a.fit(1);
    a.fit(2);
    b.fit(1);
    c.fit(1);
    const current = basename(Memorious.locate(c.fit));
    const stale = Memorious.staleVersions(c.fit);
    expect(stale.sort()).toEqual([basename(Memorious.locate(a.fit)), basename(Memorious.locate(b.fit))].sort());
    const s = Memorious.clearStale(c.fit);
    expect([s.versions, s.records]).toEqual([2, 3]);
    expect(s.bytes).toBeGreaterThan(0);
    expect(Memorious.staleVersions(c.fit)).toEqual([]);
    expect(readdirSync(join(dir, 'Fit.fit')).filter((n) => /^[0-9a-f]+$/.test(n))).toEqual([current]);
    expect(Memorious.loadCachedResults(c.fit)).toHaveLength(1);
  });
});

describe('size and duration strings', () => {
  test.each([
    ['10G', 10 * 2 ** 30],
    ['500M', 500 * 2 ** 20],
    ['2k', 2048],
    ['1.5KiB', 1536],
    ['4096', 4096],
    ['3 MB', 3 * 2 ** 20],
  ])('%s is %d bytes', (text, bytes) => expect(parseBytes(text)).toBe(bytes));

  test.each([
    ['30d', 30 * DAY],
    ['12h', 12 * 3_600_000],
    ['15m', 15 * 60_000],
    ['90s', 90_000],
    ['250ms', 250],
    ['2w', 14 * DAY],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  test('refuses what it cannot read, saying what it wants', () => {
    for (const bad of ['', 'lots', '10X', '-1G']) expect(() => parseBytes(bad)).toThrow(/500M/);
    for (const bad of ['30', 'soon', '-1d', '1y']) expect(() => parseDuration(bad)).toThrow(/30d/);
  });
});
