import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { serialize } from 'node:v8';
import { FunesError, Memorious, memorious } from '../src';
import { filesUnder, tempCache, warningsDuring } from './helpers/cache';
import { expectWarnings } from './helpers/quiet-warnings';
// One method in several versions is made by declaring its class more than once.
expectWarnings('FUNES_NAME_CLASH');

const cache = tempCache();
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 5));

function notMemoriousError(call: () => unknown): FunesError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(FunesError);
    return error as FunesError;
  }
  throw new Error('did not throw');
}

// Two classes named Lab whose `m` differ in body: one `Lab.m` folder, two versions.
const OldLab = (() => {
  class Lab {
    @memorious
    m(x: number): number {
      return x + 1;
    }
  }
  return Lab;
})();
const NewLab = (() => {
  class Lab {
    @memorious
    m(x: number): number {
      return x + 2;
    }
  }
  return Lab;
})();

describe('Memorious.loadCachedResults', () => {
  test('lists records oldest first, from an instance method or from Class.prototype.method', async () => {
    let runs = 0;
    class Sweep {
      @memorious
      square(x: number): number {
        runs++;
        return x * x;
      }
    }
    const s = new Sweep(); // Under stage-3 decorators, the method learns its class here.
    expect(Memorious.loadCachedResults(Sweep.prototype.square)).toEqual([]);
    for (const x of [3, 1, 2]) {
      s.square(x);
      await tick();
    }
    s.square(1);
    expect(runs).toBe(3);
    const fromInstance = Memorious.loadCachedResults(s.square);
    expect(fromInstance.map(({ input, output }) => ({ input, output }))).toEqual([
      { input: { x: 3 }, output: 9 },
      { input: { x: 1 }, output: 1 },
      { input: { x: 2 }, output: 4 },
    ]);
    for (const r of fromInstance) {
      expect(Object.keys(r).sort()).toEqual(['input', 'output', 'time']);
      expect(r.time).toBeGreaterThanOrEqual(0);
    }
    expect(Memorious.loadCachedResults(Sweep.prototype.square)).toEqual(fromInstance);
  });

  test('returns async outputs as their resolved values', async () => {
    class Remote {
      @memorious
      async get(id: string): Promise<{ id: string }> {
        return { id };
      }
    }
    await new Remote().get('a');
    expect(Memorious.loadCachedResults(Remote.prototype.get)).toEqual([{ input: { id: 'a' }, output: { id: 'a' }, time: expect.any(Number) }]);
  });

  test('gives only the records of the current version', () => {
    new OldLab().m(1);
    new OldLab().m(2);
    new NewLab().m(1);
    expect(Memorious.locate(OldLab.prototype.m)).not.toBe(Memorious.locate(NewLab.prototype.m));
    expect(dirname(Memorious.locate(OldLab.prototype.m))).toBe(dirname(Memorious.locate(NewLab.prototype.m)));
    expect(Memorious.loadCachedResults(NewLab.prototype.m).map((r) => r.output)).toEqual([3]);
    expect(Memorious.loadCachedResults(OldLab.prototype.m).map((r) => r.output).sort()).toEqual([2, 3]);
  });

  test('skips garbage, foreign and truncated files in the version folder, with a FunesWarning', async () => {
    class Fragile {
      @memorious
      half(x: number): number {
        return x / 2;
      }
    }
    const f = new Fragile();
    f.half(8);
    const dir = Memorious.locate(f.half);
    const [good] = readdirSync(dir);
    writeFileSync(join(dir, 'deadbeef.bin'), 'this is not v8 data');
    writeFileSync(join(dir, 'abcdef01.bin'), serialize({ hello: 'world' }));
    writeFileSync(join(dir, 'abcdef02.bin'), serialize({ input: { x: 8 }, output: 4, time: 0 }).subarray(0, 10));
    copyFileSync(join(dir, good!), join(dir, `${'0'.repeat(64)}.bin`)); // a real record under the wrong key
    let records: unknown[] = [];
    const warnings = await warningsDuring(() => {
      records = Memorious.loadCachedResults(f.half);
    });
    expect(records).toEqual([{ input: { x: 8 }, output: 4, time: expect.any(Number) }]);
    expect(warnings).toContainEqual({ code: 'FUNES_INVALID_RECORD', message: expect.stringContaining('Fragile.half') });
  });

  test('a function that is not @memorious is a FUNES_NOT_MEMORIOUS error', () => {
    class Plain {
      m(x: number): number {
        return x;
      }
    }
    const fns = [Plain.prototype.m, (x: number) => x, Math.max];
    for (const fn of fns) {
      expect(notMemoriousError(() => Memorious.loadCachedResults(fn)).code).toBe('FUNES_NOT_MEMORIOUS');
      expect(notMemoriousError(() => Memorious.locate(fn)).code).toBe('FUNES_NOT_MEMORIOUS');
      expect(notMemoriousError(() => Memorious.clear(fn)).code).toBe('FUNES_NOT_MEMORIOUS');
    }
  });
});

describe('Memorious.locate and Memorious.clear', () => {
  test('locate names <cacheDir>/<Class.method>/<version>, where the records are', () => {
    class Where {
      @memorious
      here(x: number): number {
        return x;
      }
    }
    const w = new Where();
    const dir = Memorious.locate(w.here);
    expect(dirname(dirname(dir))).toBe(cache);
    expect(basename(dirname(dir))).toBe('Where.here');
    expect(basename(dir)).toMatch(/^[0-9a-f]+$/);
    expect(Memorious.locate(Where.prototype.here)).toBe(dir);
    w.here(1);
    w.here(2);
    expect(readdirSync(dir).filter((f) => f.endsWith('.bin'))).toHaveLength(2);
  });

  test('clear removes the current version and returns the count; the next call recomputes', () => {
    let runs = 0;
    class Cleared {
      @memorious
      inc(x: number): number {
        runs++;
        return x + 1;
      }
    }
    const c = new Cleared();
    c.inc(1);
    c.inc(2);
    expect(Memorious.clear(c.inc)).toBe(2);
    expect(Memorious.loadCachedResults(c.inc)).toEqual([]);
    expect(Memorious.clear(c.inc)).toBe(0);
    c.inc(1);
    c.inc(1);
    expect(runs).toBe(3);
    expect(Memorious.loadCachedResults(c.inc)).toHaveLength(1);
  });

  test('clear leaves other versions alone unless allVersions is set', () => {
    const methodDir = dirname(Memorious.locate(NewLab.prototype.m));
    Memorious.clear(NewLab.prototype.m);
    new OldLab().m(5);
    new NewLab().m(5);
    const before = filesUnder(methodDir).length;
    expect(Memorious.clear(NewLab.prototype.m)).toBe(1);
    expect(filesUnder(methodDir)).toHaveLength(before - 1);
    expect(Memorious.loadCachedResults(OldLab.prototype.m).length).toBeGreaterThan(0);
    new NewLab().m(6);
    expect(Memorious.clear(NewLab.prototype.m, { allVersions: true })).toBe(before);
    expect(existsSync(methodDir)).toBe(false);
    expect(Memorious.loadCachedResults(OldLab.prototype.m)).toEqual([]);
  });
});
