import * as fs from 'node:fs';
import { FunesError, memorious, Memorious, withSeed } from '../src';
import { tempCache } from './helpers/cache';
import { expectWarnings } from './helpers/quiet-warnings';
// Warnings this file provokes: its memorized code reads test-local counters, which no version can see.
expectWarnings('FUNES_HIDDEN_DEPENDENCY');

tempCache();

let runs = 0;
const simulate = memorious(function simulate(n: number, rate: number): number {
  runs++;
  return n * rate;
});

class Lab {
  constructor(readonly scale: number) {}

  @memorious
  fit(lr: number): number {
    runs++;
    return lr * this.scale;
  }

  @memorious
  static norm(x: number): number {
    runs++;
    return Math.abs(x);
  }
}

describe('Memorious.peek', () => {
  test('returns the stored record or undefined, never computing', () => {
    const before = runs;
    expect(Memorious.peek(simulate, 10, 0.5)).toBeUndefined();
    simulate(10, 0.5);
    expect(Memorious.peek(simulate, 10, 0.5)).toEqual({ input: { n: 10, rate: 0.5 }, output: 5, time: expect.any(Number) });
    expect(Memorious.peek(simulate, 10, 0.25)).toBeUndefined();
    expect(runs - before).toBe(1);
  });

  test('an instance method is peeked with its instance, whose state is part of the key', async () => {
    const a = new Lab(2);
    a.fit(1);
    expect((await Memorious.peek([a, a.fit], 1))?.output).toBe(2);
    expect(Memorious.peek([new Lab(3), a.fit], 1)).toBeUndefined();
    expect(() => Memorious.peek(a.fit, 1)).toThrow(expect.objectContaining({ code: 'FUNES_UNBOUND', message: expect.stringMatching(/Memorious\.peek\(\[obj, obj\.fit\]/) }));
  });

  test('a static method needs no instance; a seed given as the last argument is part of the key', async () => {
    Lab.norm(-2);
    expect((await Memorious.peek(Lab.norm, -2))?.output).toBe(2);
    const seeded = memorious(function seeded(x: number): number {
      return x + Math.random();
    });
    const call = seeded as (...args: unknown[]) => number;
    call(1, { global_seed: 3 });
    const peek = Memorious.peek as (f: unknown, ...args: unknown[]) => unknown;
    expect(peek(seeded, 1, { global_seed: 3 })).toBeDefined();
    expect(peek(seeded, 1, { global_seed: 4 })).toBeUndefined();
    expect(peek(seeded, 1)).toBeUndefined();
  });

  test('anything not memorized is refused', () => {
    expect(() => Memorious.peek((x: number) => x, 1)).toThrow(FunesError);
  });

  test('a seeded call is peeked through its withSeed view, or with the seed as a typed last argument', async () => {
    const noisy = memorious(function noisy(x: number): number {
      return x + Math.random();
    });
    const stored = withSeed(noisy, 5)(1);
    expect((await Memorious.peek(withSeed(noisy, 5), 1))?.output).toBe(stored);
    expect(await Memorious.peek(noisy, 1, { global_seed: 5 })).toMatchObject({ output: stored });
    expect(await Memorious.peek(withSeed(noisy, 6), 1)).toBeUndefined();
    expect(await Memorious.peek(noisy, 1)).toBeUndefined();
    expect(await Memorious.missing(withSeed(noisy, 5), [[1], [2]])).toEqual([[2]]);
    const lab = new Lab(4);
    const fit = withSeed(lab, 9).fit(2);
    expect((await Memorious.peek(withSeed(lab, 9).fit, 2))?.output).toBe(fit);
    expect(Memorious.stats(withSeed(noisy, 5)).misses).toBe(1);
    // A view may stand on either side of the pair.
    expect((await Memorious.peek([lab, withSeed(lab, 9).fit], 2))?.output).toBe(fit);
    expect((await Memorious.peek([withSeed(lab, 9), lab.fit], 2))?.output).toBe(fit);
    const view = withSeed(lab, 9);
    expect(await Memorious.missing([view, view.fit], [[2], [3]])).toEqual([[3]]);
    // And the seed may ride in each argument list.
    expect(await Memorious.missing(noisy, [[1, { global_seed: 5 }], [1, { global_seed: 6 }]])).toEqual([[1, { global_seed: 6 }]]);
  });
});

describe('Memorious.missing', () => {
  test('returns the argument lists not stored yet, in order', async () => {
    const grid: [number, number][] = [0.1, 0.2, 0.3, 0.4].map((rate) => [100, rate]);
    simulate(100, 0.2);
    simulate(100, 0.4);
    const before = runs;
    expect(Memorious.missing(simulate, grid)).toEqual([
      [100, 0.1],
      [100, 0.3],
    ]);
    expect(runs).toBe(before);
    for (const args of await Memorious.missing(simulate, grid)) simulate(...args);
    // A grid written `as const` is taken as it is, and the lists come back with their own type.
    const fixed = [
      [100, 0.1],
      [100, 0.9],
    ] as const;
    const left = await Memorious.missing(simulate, fixed);
    expect(left).toEqual([[100, 0.9]]);
    expect(Memorious.missing(simulate, grid)).toEqual([]);
  });
});

describe('Memorious.cachedResults', () => {
  test('iterates the records lazily, one file read at a time', () => {
    const square = memorious(function square(x: number): number {
      return x * x;
    });
    for (let i = 0; i < 200; i++) square(i);
    const all = [...Memorious.cachedResults(square)];
    expect(all).toHaveLength(200);
    expect(all.map((r) => r.output).sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i * i));
    // Lazy: records removed after the first is read are not served; a list made up front would still hold them.
    const it = Memorious.cachedResults(square);
    expect(it.next().done).toBe(false);
    fs.rmSync(Memorious.locate(square), { recursive: true, force: true });
    expect([...it]).toHaveLength(0);
  });
});
