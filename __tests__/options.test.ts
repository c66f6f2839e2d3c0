import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { FunesError, memorious, Memorious } from '../src';
import { currentVersion, filesUnder, tempCache } from './helpers/cache';
import { expectWarnings } from './helpers/quiet-warnings';
// Warnings this file provokes: its memorized code reads test-local counters, which no version can see.
expectWarnings('FUNES_HIDDEN_DEPENDENCY');

const cache = tempCache();

/** Ages a record by rewriting its `created` as if it had been written `ms` ago. */
function age(method: (...a: never[]) => unknown, ms: number): void {
  const dir = Memorious.locate(method);
  for (const f of filesUnder(dir).filter((n) => n.endsWith('.bin'))) {
    const file = join(dir, f);
    const record = deserialize(readFileSync(file));
    record.created -= ms;
    writeFileSync(file, serialize(record));
    const past = (Date.now() - ms) / 1000;
    utimesSync(file, past, past);
  }
}

describe('maxAge', () => {
  test('a record older than maxAge is a miss, computed again and replaced; a younger one is a hit', () => {
    let runs = 0;
    class Fresh {
      @memorious({ maxAge: '1h' })
      now(x: number): number {
        return x * 10 + ++runs;
      }
    }
    const f = new Fresh();
    expect(f.now(1)).toBe(11);
    expect(f.now(1)).toBe(11);
    age(f.now, 30 * 60_000);
    expect(f.now(1)).toBe(11);
    age(f.now, 2 * 3600_000);
    expect(f.now(1)).toBe(12);
    expect(runs).toBe(2);
    expect(Memorious.loadCachedResults(f.now).map((r) => r.output)).toEqual([12]);
    expect(f.now(1)).toBe(12);
  });

  test('maxAge takes milliseconds or a duration with a unit, and refuses anything else', () => {
    const decorate = (maxAge: unknown): unknown => {
      class M {
        @memorious({ maxAge: maxAge as number })
        m(): number {
          return 1;
        }
      }
      return M;
    };
    expect(() => decorate(5000)).not.toThrow();
    expect(() => decorate('30d')).not.toThrow();
    for (const bad of ['30', 'soon', -1, 0, Infinity]) {
      expect(() => decorate(bad)).toThrow(expect.objectContaining({ code: 'FUNES_BAD_OPTION', message: expect.stringContaining('maxAge') }));
    }
  });
});

describe('ignore', () => {
  test('ignored parameters stay out of the key but are kept in the input', () => {
    let runs = 0;
    class Quiet {
      @memorious({ ignore: ['verbose', 'log'] })
      fit(lr: number, verbose = false, log?: (s: string) => void): number {
        if (verbose) log?.(`lr ${lr}`);
        runs++;
        return lr * 2;
      }
    }
    const q = new Quiet();
    expect(q.fit(0.5, false)).toBe(1);
    expect(q.fit(0.5, true, () => undefined)).toBe(1);
    expect(runs).toBe(1);
    expect(q.fit(0.25, true)).toBe(0.5);
    expect(runs).toBe(2);
    const inputs = Memorious.loadCachedResults(q.fit).map((r) => r.input);
    expect(inputs).toEqual([
      { lr: 0.5, verbose: false, log: undefined },
      { lr: 0.25, verbose: true, log: undefined },
    ]);
  });

  test('a name that is not a parameter is refused at decoration', () => {
    expect(() => {
      class Typo {
        @memorious({ ignore: ['verbos'] })
        fit(lr: number, verbose = false): number {
          return verbose ? lr : lr;
        }
      }
      return Typo;
    }).toThrow(expect.objectContaining({ code: 'FUNES_BAD_OPTION', message: expect.stringContaining('verbos') }));
  });
});

describe('key', () => {
  test('a custom key decides which calls share a record', () => {
    let runs = 0;
    class Data {
      constructor(readonly cacheBuster: number) {}

      @memorious({ key: (input) => [input.dataset, input.rows] })
      load(dataset: string, rows: number, note?: string): string {
        runs++;
        return `${dataset}:${rows}:${note ?? ''}`;
      }
    }
    expect(new Data(1).load('iris', 10, 'first')).toBe('iris:10:first');
    expect(new Data(2).load('iris', 10, 'second')).toBe('iris:10:first');
    expect(new Data(1).load('iris', 11)).toBe('iris:11:');
    expect(runs).toBe(2);
  });

  test('key cannot be combined with ignore or ignoreThis', () => {
    expect(() => memorious({ key: () => 1, ignore: ['x'] })).toThrow(FunesError);
    expect(() => memorious({ key: () => 1, ignoreThis: true })).toThrow(expect.objectContaining({ code: 'FUNES_BAD_OPTION' }));
  });
});

describe('Memorious.stats', () => {
  test('counts records, bytes, versions, hits, misses and the seconds hits saved', () => {
    class Timed {
      @memorious
      slow(x: number): number {
        const end = Date.now() + 20;
        while (Date.now() < end);
        return x;
      }
    }
    const t = new Timed();
    t.slow(1);
    t.slow(2);
    t.slow(1);
    t.slow(1);
    const stats = Memorious.stats(t.slow);
    expect(stats).toMatchObject({ method: 'Timed.slow', records: 2, versions: 1, hits: 2, misses: 2 });
    expect(stats.version).toBe(Memorious.locate(t.slow).split(/[\\/]/).pop());
    const files = filesUnder(Memorious.locate(t.slow)).filter((f) => f.endsWith('.bin'));
    const bytes = files.reduce((sum, f) => sum + readFileSync(join(Memorious.locate(t.slow), f)).length, 0);
    expect(stats.bytes).toBe(bytes);
    const times = Memorious.loadCachedResults(t.slow).filter((r) => r.input.x === 1).map((r) => r.time);
    expect(stats.savedSeconds).toBeCloseTo(2 * times[0]!, 6);
    expect(stats.savedSeconds).toBeGreaterThan(0.03);
  });
});

test('each version directory says what produced it', () => {
  class Described {
    @memorious
    twice(x: number, label = 'a'): string {
      return label + x * 2;
    }
  }
  new Described().twice(2);
  const dir = Memorious.locate(Described.prototype.twice);
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
  expect(meta).toMatchObject({ method: 'Described.twice', params: ['x', 'label'], format: expect.any(Number) });
  expect(meta.source).toContain('label + x * 2');
  expect(Math.abs(meta.created - Date.now())).toBeLessThan(60_000);
  expect(currentVersion(join(dir, '..'))).toBe(dir.split(/[\\/]/).pop());
  expect(readdirSync(join(dir, '..')).every((n) => /^[0-9a-f]{16}$/.test(n))).toBe(true);
  void cache;
});
