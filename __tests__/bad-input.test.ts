import { mkdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { FunesError, memorious, Memorious } from '../src';
import { allFilesUnder, tempDir, warningsDuring } from './helpers/cache';
import { recordFigures } from './helpers/figures';
import { expectWarnings } from './helpers/quiet-warnings';
// Warnings this file provokes: its memorized code reads test-local counters, which no version can see.
expectWarnings('FUNES_HIDDEN_DEPENDENCY');

// Invariant 7 and the caller's mistakes: names that try to leave the cache directory,
// arguments that cannot be hashed, bad seeds, outputs that do not survive v8.
const parent = tempDir();
const cache = join(parent, 'a', 'b', 'cache');
mkdirSync(cache, { recursive: true });
Memorious.configure({ cacheDir: cache });
const figures: Record<string, unknown> = {};


describe('class and method names made to escape the cache directory', () => {
  const names: [string, string][] = [
    ['a relative climb', '../../x'],
    ['a deeper climb', '../'.repeat(40) + 'tmp/escaped'],
    ['an absolute path', join(parent, 'absolute')],
    ['a NUL byte', 'nul\u0000../../x'],
    ['a 10,000-character name', 'n'.repeat(10_000)],
    ['10,000 characters of climbing', '../'.repeat(3_334)],
    ['a dot alone', '.'],
    ['two dots', '..'],
    ['an empty name', ''],
    ['a backslash climb', '..\\..\\x'],
  ];

  test.each(names)('a class named by %s stays inside, and a second call hits', (_what, name) => {
    let runs = 0;
    class Escape {
      @memorious
      twice(x: number): number {
        runs++;
        return 2 * x;
      }
    }
    Object.defineProperty(Escape, 'name', { value: name });
    const e = new Escape();
    expect(e.twice(21)).toBe(42);
    expect(e.twice(21)).toBe(42);
    expect(runs).toBe(1);
    const located = Memorious.locate(e.twice);
    expect(located.startsWith(cache + sep)).toBe(true);
    expect(relative(cache, located).split(sep)).toHaveLength(2);
  });

  test('methods named by a climb, a NUL byte and a very long name stay inside, and hit', () => {
    let runs = 0;
    class Methods {
      @memorious
      ['../../up'](x: number): number {
        runs++;
        return x + 1;
      }

      @memorious
      ['nul\u0000/../down'](x: number): number {
        runs++;
        return x + 2;
      }

      @memorious
      ['/abs/olute'](x: number): number {
        runs++;
        return x + 3;
      }
    }
    const long = 'm'.repeat(10_000);
    Object.defineProperty(Methods.prototype, long, Object.getOwnPropertyDescriptor(Methods.prototype, '../../up')!);
    const m = new Methods() as Methods & Record<string, (x: number) => number>;
    for (let n = 0; n < 2; n++) {
      expect(m['../../up'](1)).toBe(2);
      expect(m['nul\u0000/../down'](1)).toBe(3);
      expect(m['/abs/olute'](1)).toBe(4);
    }
    expect(runs).toBe(3);
  });

  test('every file written lies below the cache directory, in <method>/<version>/<key>.bin', () => {
    const files = allFilesUnder(parent);
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      expect(f.startsWith(join('a', 'b', 'cache') + sep)).toBe(true);
      const parts = relative(join('a', 'b', 'cache'), f).split(sep);
      expect(parts.length === 2 || parts.length === 3).toBe(true);
      expect(parts[0]!).toMatch(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,254}$/);
    }
    figures.escapeNamesTried = names.length + 3;
    figures.filesChecked = files.length;
  });
});

describe('arguments that cannot be hashed: FUNES_UNHASHABLE naming the parameter', () => {
  class Fit {
    @memorious
    fit(data: number[], handle: unknown, options: { verbose: boolean; extra?: unknown } = { verbose: false }): number {
      return data.length + (options.verbose ? 1 : 0) + (handle ? 0 : 0);
    }
  }
  const cases: [string, unknown[], string][] = [
    ['a Promise', [[1], Promise.resolve(1)], 'handle'],
    ['a WeakMap', [[1], new WeakMap()], 'handle'],
    ['a WeakSet', [[1], new WeakSet()], 'handle'],
    ['a WeakMap nested in an options object', [[1], null, { verbose: true, extra: { m: new WeakMap() } }], 'options'],
    ['a Promise inside an array', [[1, Promise.resolve(2)], null], 'data'],
  ];

  test.each(cases)('%s', (_what, args, param) => {
    const f = new Fit() as unknown as { fit(...a: unknown[]): number };
    let error: unknown;
    try {
      f.fit(...args);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FunesError);
    expect((error as FunesError).code).toBe('FUNES_UNHASHABLE');
    expect((error as FunesError).message).toContain(`args.${param}`);
  });
});

describe('bad seeds: FUNES_BAD_SEED, before anything runs or is written', () => {
  let runs = 0;
  class Seeded {
    @memorious
    draw(n: number): number {
      runs++;
      return n + Math.random();
    }
  }
  const bad: [string, unknown][] = [
    ['NaN', { global_seed: NaN }],
    ['Infinity', { global_seed: Infinity }],
    ['-Infinity', { global_seed: -Infinity }],
    ['an object', { global_seed: { s: 1 } }],
    ['an array', { global_seed: [1] }],
    ['null', { global_seed: null }],
    ['a BigInt', { global_seed: 1n }],
    ['a seed with another key beside it', { global_seed: 1, extra: 2 }],
    ['a seed with a Symbol key beside it', { global_seed: 1, [Symbol('s')]: 2 }],
  ];

  test.each(bad)('%s', (_what, option) => {
    const s = new Seeded() as unknown as { draw(...a: unknown[]): number };
    let error: unknown;
    try {
      s.draw(1, option);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FunesError);
    expect((error as FunesError).code).toBe('FUNES_BAD_SEED');
    expect(runs).toBe(0);
  });

  test('a good seed still works after all of them', () => {
    const s = new Seeded() as unknown as { draw(...a: unknown[]): number };
    expect(s.draw(1, { global_seed: 3 })).toBe(s.draw(1, { global_seed: 3 }));
    expect(runs).toBe(1);
    figures.badSeedsTried = bad.length;
  });
});

describe('outputs that do not round-trip through v8: returned, with a warning naming the path inside', () => {
  class Model {
    constructor(readonly weights: number[]) {}
    predict(x: number): number {
      return this.weights[0]! * x;
    }
  }
  const fn = (): number => 1;
  const cases: [string, () => unknown, string, string][] = [
    ['a class instance', () => ({ run: { model: new Model([2]) } }), 'FUNES_LOSSY_OUTPUT', 'output.run.model'],
    ['a URL in an array', () => ({ links: ['a', new URL('https://example.org/x')] }), 'FUNES_LOSSY_OUTPUT', 'output.links[1]'],
    ['a URL in a Map', () => ({ byName: new Map([['home', new URL('https://example.org/')]]) }), 'FUNES_LOSSY_OUTPUT', 'output.byName.get("home")'],
    ['a function inside an object', () => ({ hooks: { onDone: fn }, n: 1 }), 'FUNES_UNSERIALIZABLE', 'output.hooks.onDone'],
  ];

  test.each(cases)('%s', async (what, make, code, path) => {
    let runs = 0;
    class Lossy {
      @memorious
      make(_x: number): unknown {
        runs++;
        return make();
      }
    }
    Object.defineProperty(Lossy, 'name', { value: `Lossy_${what.replace(/\W+/g, '_')}` });
    const lab = new Lossy();
    const outputs: unknown[] = [];
    // `make` comes from this test's scope, which the version cannot see: warned about apart.
    const warnings = (
      await warningsDuring(() => {
        for (let n = 0; n < 3; n++) outputs.push(lab.make(1));
      })
    ).filter((w) => w.code !== 'FUNES_HIDDEN_DEPENDENCY');
    expect(outputs[0]).toEqual(make());
    expect(warnings.map((w) => w.code)).toEqual([code]);
    expect(warnings[0]!.message).toContain(path);
    // A lossy output is stored (a hit gives the plain version); an unserializable one never is.
    expect(runs).toBe(code === 'FUNES_LOSSY_OUTPUT' ? 1 : 3);
    figures.lossyPaths = [...((figures.lossyPaths as string[] | undefined) ?? []), path];
  });
});

afterAll(() => recordFigures('bad-input', 'bad-input', figures));
