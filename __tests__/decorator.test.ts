import { join } from 'node:path';
import { FunesError, Memorious, memorious, PARAMS_METADATA } from '../src';
import { filesUnder, tempCache, tempDir } from './helpers/cache';

// Misapplied on purpose: the file compiles under both decorator models, and each types
// a getter, field or class decorator differently.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const anyMemorious: any = memorious;

/** Runs `define` (a class definition) and returns the FunesError it throws. */
function decorationError(define: () => unknown): FunesError {
  try {
    define();
  } catch (error) {
    expect(error).toBeInstanceOf(FunesError);
    expect(error).toBeInstanceOf(TypeError);
    return error as FunesError;
  }
  throw new Error('the class definition did not throw');
}

const cache = tempCache();
const own = tempDir();

describe('@memorious on methods', () => {

  test('bare @memorious caches a sync method and returns plain values', () => {
    let runs = 0;
    class Bare {
      @memorious
      double(x: number): number {
        runs++;
        return 2 * x;
      }
    }
    const b = new Bare();
    expect(b.double(4)).toBe(8);
    expect(b.double(4)).toBe(8);
    expect(runs).toBe(1);
    expect(b.double(5)).toBe(10);
    expect(runs).toBe(2);
    expect(filesUnder(cache).filter((f) => f.startsWith('Bare.double/'))).toHaveLength(2);
  });

  test('@memorious(options) works, and its cacheDir option is used', () => {
    let runs = 0;
    class WithOptions {
      @memorious({ cacheDir: own, version: 2, dependsOn: [Math.max], ignoreThis: false })
      triple(x: number): number {
        runs++;
        return 3 * x;
      }
    }
    const w = new WithOptions();
    expect(w.triple(2)).toBe(6);
    expect(w.triple(2)).toBe(6);
    expect(runs).toBe(1);
    expect(filesUnder(own)).toEqual([expect.stringMatching(/^WithOptions\.triple\/[0-9a-f]+\/[0-9a-f]+\.bin$/)]);
    expect(filesUnder(cache).filter((f) => f.startsWith('WithOptions.'))).toEqual([]);
  });

  test('an async method returns a Promise on a miss and on a hit', async () => {
    let runs = 0;
    class Slow {
      @memorious
      async fetch(x: number): Promise<{ value: number }> {
        runs++;
        await new Promise((r) => setTimeout(r, 1));
        return { value: x + 1 };
      }
    }
    const s = new Slow();
    const miss = s.fetch(1);
    expect(miss).toBeInstanceOf(Promise);
    await expect(miss).resolves.toEqual({ value: 2 });
    const hit = s.fetch(1);
    expect(hit).toBeInstanceOf(Promise);
    await expect(hit).resolves.toEqual({ value: 2 });
    expect(runs).toBe(1);
    // A fresh instance of the same (stateless) class is served from disk too.
    await expect(new Slow().fetch(1)).resolves.toEqual({ value: 2 });
    expect(runs).toBe(1);
  });

  test('a sync method that returns a Promise returns a Promise on a hit too', async () => {
    let runs = 0;
    class Thenish {
      @memorious
      later(x: number): Promise<number> {
        runs++;
        return Promise.resolve(x * 7);
      }
    }
    const t = new Thenish();
    await expect(t.later(2)).resolves.toBe(14);
    const hit = t.later(2);
    expect(hit).toBeInstanceOf(Promise);
    await expect(hit).resolves.toBe(14);
    expect(runs).toBe(1);
  });

  test('static methods are cached under Class.method', () => {
    let runs = 0;
    class Tools {
      @memorious
      static square(x: number): number {
        runs++;
        return x * x;
      }
    }
    expect(Tools.square(3)).toBe(9);
    expect(Tools.square(3)).toBe(9);
    expect(runs).toBe(1);
    expect(filesUnder(cache).filter((f) => f.startsWith('Tools.'))).toEqual([
      expect.stringMatching(/^Tools\.square\/[0-9a-f]+\/[0-9a-f]+\.bin$/),
    ]);
    expect(Memorious.locate(Tools.square)).toMatch(new RegExp(`^${escape(join(cache, 'Tools.square'))}/[0-9a-f]+$`));
    expect(Memorious.loadCachedResults(Tools.square)).toEqual([{ input: { x: 3 }, output: 9, time: expect.any(Number) }]);
  });

  test('parameter names are kept as reflect-metadata on the decorated method', () => {
    class Lab {
      @memorious
      fit(params: { lr: number }, epochs = 10, ...rest: number[]): number {
        return params.lr * epochs + rest.length;
      }
    }
    expect(PARAMS_METADATA).toBe('funes:params');
    expect(Reflect.getMetadata('funes:params', Lab.prototype.fit)).toEqual(['params', 'epochs', 'rest']);
    expect(Reflect.getMetadata(PARAMS_METADATA, new Lab().fit)).toEqual(['params', 'epochs', 'rest']);
  });
});

// Class declarations, not expressions: legacy decorators are not valid on class expressions.
const cases: [string, () => unknown, string][] = [
  ['a getter', () => { class G { @anyMemorious get level(): number { return 1; } } return G; }, 'level'],
  ['a setter', () => { class S { @anyMemorious set level(_v: number) {} } return S; }, 'level'],
  ['a field', () => { class F { @anyMemorious count = 3; } return F; }, 'count'],
  ['a field without initializer', () => { class P { @anyMemorious declaredOnly?: string; } return P; }, 'declaredOnly'],
  ['a static field', () => { class SF { @anyMemorious static limit = 3; } return SF; }, 'limit'],
  ['a class', () => { @anyMemorious class Whole { m(): number { return 1; } } return Whole; }, 'Whole'],
  ['a getter, with options', () => { class GO { @anyMemorious({ version: 1 }) get depth(): number { return 1; } } return GO; }, 'depth'],
  ['a class, with options', () => { @anyMemorious({}) class Wide {} return Wide; }, 'Wide'],
];

describe('@memorious in the wrong place', () => {

  test.each(cases)('on %s it throws a TypeError naming the member', (_what, define, member) => {
    const error = decorationError(define);
    expect(error.code).toBe('FUNES_NOT_A_METHOD');
    expect(error.message).toContain(member);
  });
});

describe('@memorious options are checked at decoration', () => {
  test.each([
    ['an unknown key', { cachedir: '/tmp/x' }, 'cachedir'],
    ['cacheDir of the wrong type', { cacheDir: 42 }, 'cacheDir'],
    ['an empty cacheDir', { cacheDir: '' }, 'cacheDir'],
    ['version of the wrong type', { version: { v: 1 } }, 'version'],
    ['dependsOn that is not an array of functions and package names', { dependsOn: [42] }, 'dependsOn'],
    ['dependsOn with an empty package name', { dependsOn: [''] }, 'dependsOn'],
    ['ignoreThis that is not a boolean', { ignoreThis: 'yes' }, 'ignoreThis'],
  ])('%s is a FUNES_BAD_OPTION', (_what, options, name) => {
    const error = decorationError(() => {
      class Opt {
        @anyMemorious(options)
        m(x: number): number {
          return x;
        }
      }
      return Opt;
    });
    expect(error.code).toBe('FUNES_BAD_OPTION');
    expect(error.message).toContain(name);
  });

  test('options that are not an object are a FUNES_BAD_OPTION', () => {
    for (const options of ['cache', 7, []]) {
      const error = decorationError(() => anyMemorious(options));
      expect(error.code).toBe('FUNES_BAD_OPTION');
    }
  });

  test('a parameter named global_seed is rejected at decoration', () => {
    const error = decorationError(() => {
      class Seeded {
        @memorious
        roll(sides: number, global_seed: number): number {
          return sides + global_seed;
        }
      }
      return Seeded;
    });
    expect(error.code).toBe('FUNES_BAD_OPTION');
    expect(error.message).toContain('global_seed');
    expect(error.message).toContain('roll');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
