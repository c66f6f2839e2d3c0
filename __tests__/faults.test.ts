import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { memorious, Memorious } from '../src';
import { filesUnder, tempCache, tempDir, warningsDuring } from './helpers/cache';
import { expectWarnings } from './helpers/quiet-warnings';
// Warnings this file provokes: its memorized code reads test-local counters, which no version can see.
expectWarnings('FUNES_HIDDEN_DEPENDENCY');

// Warnings are once per method and code for the whole process, so every scenario has
// a class of its own. Classes are renamed rather than written out once per scenario.
function makeLab(name: string): { lab: { square(x: number): { x: number; square: number } }; runs: number[] } {
  const runs: number[] = [];
  class Lab {
    @memorious
    square(x: number): { x: number; square: number } {
      runs.push(x);
      return { x, square: x * x };
    }
  }
  Object.defineProperty(Lab, 'name', { value: name });
  return { lab: new Lab(), runs };
}

/** Pseudo-random but reproducible bytes, so that a failure can be replayed. */
function noise(length: number, seed = 7): Buffer {
  const out = Buffer.alloc(length);
  let s = seed;
  for (let i = 0; i < length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

const cache = tempCache();

describe('a damaged record is a miss that is recomputed and replaced', () => {
  const damages: [string, (file: string, lab: ReturnType<typeof makeLab>['lab']) => void][] = [
    ['a truncated file', (f) => writeFileSync(f, readFileSync(f).subarray(0, Math.floor(readFileSync(f).length / 2)))],
    ['a zero-length file', (f) => writeFileSync(f, '')],
    ['random bytes', (f) => writeFileSync(f, noise(300))],
    ['random bytes after a v8 header', (f) => writeFileSync(f, Buffer.concat([Buffer.from([0xff, 0x0f]), noise(300, 11)]))],
    ['a serialized value that is not a record', (f) => writeFileSync(f, serialize(42))],
    [
      'a valid record of another key copied over it',
      (f, lab) => {
        lab.square(5);
        const other = filesUnder(join(f, '..')).find((n) => join(f, '..', n) !== f)!;
        writeFileSync(f, readFileSync(join(f, '..', other)));
      },
    ],
  ];

  test.each(damages)('%s', async (what, damage) => {
    const { lab, runs } = makeLab(`Damaged_${what.replace(/\W+/g, '_')}`);
    expect(lab.square(3)).toEqual({ x: 3, square: 9 });
    const dir = Memorious.locate(lab.square);
    const file = join(dir, filesUnder(dir)[0]!);
    damage(file, lab);
    const before = runs.length;

    let output: unknown;
    const warnings = await warningsDuring(() => (output = lab.square(3)));
    expect(output).toEqual({ x: 3, square: 9 });
    expect(runs.length).toBe(before + 1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.code).toBe('FUNES_INVALID_RECORD');
    expect(warnings[0]!.message).toContain(file);

    // The file is whole again, readable without the library, and serves the next call.
    const record = deserialize(readFileSync(file));
    expect(record).toMatchObject({ input: { x: 3 }, output: { x: 3, square: 9 }, key: basename(file, '.bin') });
    expect(lab.square(3)).toEqual({ x: 3, square: 9 });
    expect(runs.length).toBe(before + 1);
    expect(Memorious.loadCachedResults(lab.square).map((r) => r.output)).toContainEqual({ x: 3, square: 9 });
  });
});

describe('an output that cannot be serialized is returned, warned about once, and leaves nothing', () => {
  const fn = (): number => 1;
  const sym = Symbol('s');
  const outputs: [string, unknown][] = [
    ['a function', fn],
    ['a Symbol', sym],
    ['an object containing a function', { ok: 1, callback: fn }],
  ];

  test.each(outputs)('%s', async (what, value) => {
    let runs = 0;
    class Unserializable {
      @memorious
      make(x: number): unknown {
        runs++;
        return x === 0 ? value : { x };
      }
    }
    const name = `Unserializable_${what.replace(/\W+/g, '_')}`;
    Object.defineProperty(Unserializable, 'name', { value: name });
    const u = new Unserializable();

    const results: unknown[] = [];
    // `make` reads `value` from this test's scope, which its version cannot see: warned about apart.
    const warnings = (
      await warningsDuring(() => {
        for (let i = 0; i < 5; i++) results.push(u.make(0));
      })
    ).filter((w) => w.code !== 'FUNES_HIDDEN_DEPENDENCY');
    for (const r of results) expect(r).toBe(value);
    expect(runs).toBe(5);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.code).toBe('FUNES_UNSERIALIZABLE');
    expect(warnings[0]!.message).toContain(`${name}.make`);

    // Nothing for that input is on disk, not even a temp file; other inputs still are.
    expect(filesUnder(join(cache, `${name}.make`))).toEqual([]);
    expect(u.make(1)).toEqual({ x: 1 });
    expect(filesUnder(join(cache, `${name}.make`))).toHaveLength(1);
  });

  test('an async method resolving to a function', async () => {
    class AsyncUnserializable {
      @memorious
      async make(_x: number): Promise<unknown> {
        return fn;
      }
    }
    const u = new AsyncUnserializable();
    const warnings = await warningsDuring(async () => {
      expect(await u.make(0)).toBe(fn);
      expect(await u.make(0)).toBe(fn);
    });
    // `fn` comes from this test's scope: a hidden dependency, warned about apart.
    expect(warnings.map((w) => w.code)).toEqual(['FUNES_HIDDEN_DEPENDENCY', 'FUNES_UNSERIALIZABLE']);
    expect(warnings[1]!.message).toContain('AsyncUnserializable.make');
    expect(filesUnder(join(cache, 'AsyncUnserializable.make'))).toEqual([]);
  });
});

describe('a cache directory that cannot be written', () => {
  const dir = tempDir();
  test('a regular file where the directory should be (ENOTDIR): output returned, one write warning, no file', async () => {
    const blocker = join(dir, 'not-a-dir');
    writeFileSync(blocker, 'keep me');
    let runs = 0;
    class Blocked {
      @memorious({ cacheDir: join(blocker, 'cache') })
      triple(x: number): number {
        runs++;
        return 3 * x;
      }
    }
    const b = new Blocked();
    const outputs: number[] = [];
    const warnings = await warningsDuring(() => {
      for (let i = 0; i < 4; i++) outputs.push(b.triple(i % 2));
    });
    expect(outputs).toEqual([0, 3, 0, 3]);
    expect(runs).toBe(4);
    const writes = warnings.filter((w) => w.code === 'FUNES_WRITE_FAILED');
    expect(writes).toHaveLength(1);
    expect(writes[0]!.message).toContain('Blocked.triple');
    expect(writes[0]!.message).toMatch(/ENOTDIR/);
    for (const w of warnings) expect(w.message).toContain('Blocked.triple');
    const codes = warnings.map((w) => w.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(filesUnder(dir)).toEqual(['not-a-dir']);
    expect(readFileSync(blocker, 'utf8')).toBe('keep me');
  });

  test('a directory where the record file should be: output returned, warned, no temp file left', async () => {
    const { lab, runs } = makeLab('DirectoryInTheWay');
    lab.square(2);
    const dir = Memorious.locate(lab.square);
    const file = join(dir, filesUnder(dir)[0]!);
    rmSync(file);
    mkdirSync(join(file, 'inner'), { recursive: true });
    let output: unknown;
    const warnings = await warningsDuring(() => (output = lab.square(2)));
    expect(output).toEqual({ x: 2, square: 4 });
    expect(runs).toEqual([2, 2]);
    expect(warnings.length).toBeGreaterThan(0);
    for (const w of warnings) expect(w.message).toContain('DirectoryInTheWay.square');
    expect(filesUnder(dir).filter((f) => basename(f).startsWith('.tmp-'))).toEqual([]);
  });
});

test('after all of the above, no temporary file is left anywhere in the cache', () => {
  expect(filesUnder(cache).length).toBeGreaterThan(0);
  const temps = filesUnder(cache).filter((f) => basename(f).startsWith('.tmp-'));
  expect(temps).toEqual([]);
});
