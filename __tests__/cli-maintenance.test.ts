import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { serialize } from 'node:v8';
import { Memorious, memorious } from '../src';
import { markCurrent, tempCache, unmarkCurrent } from './helpers/cache';
import { age, funes, funesJson, recordFiles } from './helpers/cli';
import { expectWarnings } from './helpers/quiet-warnings';
// One method in several versions is made by declaring its class more than once.
expectWarnings('FUNES_NAME_CLASH');

const cache = tempCache();

const versions = [1, 2, 3].map((n) => {
  class Sweep {
    @memorious({ version: n })
    run(x: number): number {
      return x + 1;
    }
  }
  return new Sweep();
});

class Keep {
  @memorious
  id(x: number): number {
    return x;
  }
}

beforeAll(() => {
  versions.forEach((s, i) => {
    for (let x = 0; x <= i; x++) s.run(x);
  });
  new Keep().id(1);
});

const hash = (i: number): string => basename(Memorious.locate(versions[i]!.run));
const sweepDir = (): string => join(cache, 'Sweep.run');

describe('funes clear', () => {
  test('--stale without a current marker fails and says what to do', () => {
    unmarkCurrent(sweepDir());
    const r = funes(cache, ['clear', 'Sweep.run', '--stale']);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain("funes clear Sweep.run'");
    expect(recordFiles(sweepDir())).toHaveLength(6);
  });

  test('--stale removes every version but the current one and sums up what went', () => {
    markCurrent(sweepDir(), hash(1));
    const s = funesJson<{ versions: number; records: number; bytes: number }>(cache, ['clear', 'Sweep.run', '--stale']);
    expect([s.versions, s.records]).toEqual([2, 1 + 3]);
    expect(s.bytes).toBeGreaterThan(0);
    expect(readdirSync(sweepDir()).filter((n) => /^[0-9a-f]+$/.test(n))).toEqual([hash(1)]);
    const text = funes(cache, ['clear', 'Sweep.run', '--stale']);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('removed 0 stale versions');
  });

  test('--dry-run counts what would go and removes nothing', () => {
    const before = recordFiles(sweepDir()).length;
    const r = funes(cache, ['clear', 'Sweep.run', '--dry-run']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/would remove 1 version of Sweep\.run: 2 records/);
    expect(r.stdout).toContain('dry run: nothing was removed');
    expect(recordFiles(sweepDir())).toHaveLength(before);
    const json = funesJson<{ versions: number; records: number; dryRun: boolean }>(cache, ['clear', 'Sweep.run', '--dry-run']);
    expect([json.versions, json.records, json.dryRun]).toEqual([1, 2, true]);
  });

  test('without --stale removes the method entirely', () => {
    const r = funes(cache, ['clear', 'Sweep.run']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/removed 1 version of Sweep\.run: 2 records/);
    expect(existsSync(sweepDir())).toBe(false);
    expect(recordFiles(cache).length).toBe(1);
    expect(funes(cache, ['clear', 'Sweep.run']).status).toBe(1);
  });
});

describe('funes verify', () => {
  test('finds and with --fix removes garbage, foreign records and leftover temp files, sparing young ones', () => {
    const good = recordFiles(join(cache, 'Keep.id'))[0]!;
    const dir = dirname(good);
    const garbage = join(dir, 'ab'.repeat(32) + '.bin');
    const truncated = join(dir, 'cd'.repeat(32) + '.bin');
    const foreign = join(dir, 'ef'.repeat(32) + '.bin');
    writeFileSync(garbage, 'not a record');
    writeFileSync(truncated, serialize({ input: { x: 1 }, output: 1 }).subarray(0, 9));
    writeFileSync(foreign, serialize({ format: 1, input: {}, output: 1, time: 0, version: basename(dir), key: 'ef'.repeat(32), async: false }));
    const oldTemp = join(dir, '.tmp-1-0-dead-0');
    const youngTemp = join(dir, '.tmp-1-0-beef-0');
    writeFileSync(oldTemp, 'partial');
    writeFileSync(youngTemp, 'partial');
    age(oldTemp, 5 * 60_000);

    const report = funes(cache, ['verify']);
    expect(report.status).toBe(1);
    for (const f of [garbage, truncated, foreign, oldTemp]) expect(report.stdout).toContain(basename(f));
    expect(report.stdout).not.toContain(basename(youngTemp));
    expect(report.stdout).toContain('funes verify --fix');
    expect(report.stdout).toContain('old format 1');

    const json = funes(cache, ['verify', '--json']);
    const parsed = JSON.parse(json.stdout) as { checked: number; invalid: number; temps: number; removed: number };
    expect([json.status, parsed.checked, parsed.invalid, parsed.temps, parsed.removed]).toEqual([1, 4, 3, 1, 0]);
    expect(existsSync(garbage)).toBe(true);

    const fixed = funes(cache, ['verify', '--fix']);
    expect(fixed.status).toBe(0);
    expect(fixed.stdout).toContain('removed 4');
    for (const f of [garbage, truncated, foreign, oldTemp]) expect(existsSync(f)).toBe(false);
    expect(existsSync(good)).toBe(true);
    expect(existsSync(youngTemp)).toBe(true);

    const again = funes(cache, ['verify']);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('all good');
  });
});

describe('progress', () => {
  test('long work draws no progress bar when stderr is piped', () => {
    class Many {
      @memorious
      f(x: number): number {
        return x;
      }
    }
    const m = new Many();
    for (let x = 0; x < 600; x++) m.f(x);
    const r = funes(cache, ['verify']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('checked 60');
    expect(r.stderr).toBe('');
  });
});
