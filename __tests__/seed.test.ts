import seedrandom from 'seedrandom';
import { FunesError, Memorious, memorious, withSeed } from '../src';
import { filesUnder, tempCache, tempDir } from './helpers/cache';
import { lastJson, projectDir, runScript, writeScript } from './helpers/child';

tempCache();

/** `n` draws of seedrandom seeded exactly as funes is given the seed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const expected = (seed: number | string, n: number): number[] => Array.from({ length: n }, seedrandom(seed as any));

/** Calls a method with arguments its signature does not declare (the seed option, as JS users pass it). */
type Loose = Record<string, (...args: unknown[]) => unknown>;
const loose = (obj: object): Loose => obj as unknown as Loose;

/** Named gates, made on first use: one side awaits `promise`, the other calls `resolve`. */
const gates = new Map<string, { promise: Promise<void>; resolve: () => void }>();
function gate(name: string): { promise: Promise<void>; resolve: () => void } {
  if (!gates.has(name)) {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    gates.set(name, { promise, resolve });
  }
  return gates.get(name)!;
}

let runs = 0;
const leaked: number[] = [];

class Dice {
  @memorious
  roll(n: number): number[] {
    runs++;
    return Array.from({ length: n }, () => Math.random());
  }

  @memorious
  async rollLater(n: number): Promise<number[]> {
    await new Promise((r) => setTimeout(r, 1));
    return Array.from({ length: n }, () => Math.random());
  }

  @memorious
  rollThenFail(how: 'throw' | 'reject'): number | Promise<number> {
    Math.random();
    if (how === 'throw') throw new Error('threw');
    return new Promise((_, reject) => setTimeout(() => reject(new Error(`rejected ${Math.random()}`)), 1));
  }

  @memorious
  async stepped(tag: string, rounds: number): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < rounds; i++) {
      out.push(Math.random());
      gate(`${tag}${i} reached`).resolve();
      await gate(`${tag}${i} go`).promise;
    }
    return out;
  }

  @memorious
  rollInTimer(n: number): Promise<number[]> {
    return new Promise((resolve) => setTimeout(() => resolve(Array.from({ length: n }, () => Math.random())), 1));
  }

  @memorious
  leak(n: number): number {
    setTimeout(() => {
      leaked.push(Math.random());
      gate('leaked').resolve();
    }, 1);
    return n;
  }

  @memorious
  echo(a: unknown): { a: unknown; r: number } {
    return { a, r: Math.random() };
  }
}

const dice = new Dice();

describe('global_seed', () => {
  test('a seeded call sees the sequence of seedrandom seeded with the value as given', async () => {
    expect(loose(dice).roll!(4, { global_seed: 42 })).toEqual(expected(42, 4));
    expect(loose(dice).roll!(4, { global_seed: 'forty-two' })).toEqual(expected('forty-two', 4));
    await expect(loose(dice).rollLater!(3, { global_seed: 7 })).resolves.toEqual(expected(7, 3));
    const inputs = Memorious.loadCachedResults(dice.roll).map((r) => r.input);
    expect(inputs).toHaveLength(2);
    expect(inputs).toEqual(expect.arrayContaining([{ n: 4, global_seed: 42 }, { n: 4, global_seed: 'forty-two' }]));
  });

  test('distinct seeds give distinct records; the same seed is a hit', () => {
    const before = runs;
    const outs = [1, 2, 3].map((s) => loose(dice).roll!(2, { global_seed: s }));
    expect(new Set(outs.map((o) => JSON.stringify(o))).size).toBe(3);
    expect(loose(dice).roll!(2, { global_seed: 2 })).toEqual(outs[1]);
    // The number 1 and the string '1' are different seeds, and different records.
    expect(loose(dice).roll!(2, { global_seed: '1' })).toEqual(expected('1', 2));
    expect(runs - before).toBe(4);
    const seeds = Memorious.loadCachedResults(dice.roll)
      .filter((r) => r.input.n === 2)
      .map((r) => r.input.global_seed);
    // Records made within one millisecond have no order between them.
    expect(seeds).toHaveLength(4);
    expect(seeds).toEqual(expect.arrayContaining([1, 2, 3, '1']));
  });

  test('a non-async method that returns a Promise is seeded until the Promise settles, and no longer', async () => {
    await expect(loose(dice).rollInTimer!(2, { global_seed: 'timer' })).resolves.toEqual(expected('timer', 2));
    const real = Math.random;
    Math.random = () => 0.5;
    try {
      expect(loose(dice).leak!(1, { global_seed: 'leak' })).toBe(1);
      await gate('leaked').promise;
      expect(leaked).toEqual([0.5]);
    } finally {
      Math.random = real;
    }
  });

  test('Math.random is the very same function after seeded calls, whether they return, throw or reject', async () => {
    const original = Math.random;
    loose(dice).roll!(1, { global_seed: 100 });
    expect(Math.random).toBe(original);
    await loose(dice).rollLater!(1, { global_seed: 100 });
    expect(Math.random).toBe(original);
    expect(() => loose(dice).rollThenFail!('throw', { global_seed: 100 })).toThrow('threw');
    expect(Math.random).toBe(original);
    await expect(loose(dice).rollThenFail!('reject', { global_seed: 100 })).rejects.toThrow(
      `rejected ${expected(100, 2)[1]}`,
    );
    expect(Math.random).toBe(original);
  });

  test('interleaved seeded async calls each see their own sequence; unseeded code sees the original', async () => {
    const real = Math.random;
    let unseededDraws = 0;
    const fake = (): number => 1000 + unseededDraws++;
    Math.random = fake;
    try {
      const a = loose(dice).stepped!('a', 3, { global_seed: 'A' }) as Promise<number[]>;
      await gate('a0 reached').promise;
      const b = loose(dice).stepped!('b', 3, { global_seed: 'B' }) as Promise<number[]>;
      await gate('b0 reached').promise;
      const seen = [Math.random()];
      gate('a0 go').resolve();
      await gate('a1 reached').promise;
      gate('b0 go').resolve();
      await gate('b1 reached').promise;
      seen.push(Math.random());
      gate('b1 go').resolve();
      await gate('b2 reached').promise;
      gate('a1 go').resolve();
      await gate('a2 reached').promise;
      seen.push(Math.random());
      gate('a2 go').resolve();
      await expect(a).resolves.toEqual(expected('A', 3));
      seen.push(Math.random());
      gate('b2 go').resolve();
      await expect(b).resolves.toEqual(expected('B', 3));
      expect(seen).toEqual([1000, 1001, 1002, 1003]);
      expect(Math.random).toBe(fake);
      // And an unseeded call of the same method uses the original too.
      gate('c0 go').resolve();
      await expect(dice.stepped('c', 1)).resolves.toEqual([1004]);
    } finally {
      Math.random = real;
    }
  });

  test('withSeed(obj, seed).method(x) is method(x, { global_seed: seed }), typed without a cast', () => {
    const before = runs;
    const typed: number[] = withSeed(dice, 3).roll(5);
    expect(typed).toEqual(expected(3, 5));
    expect(loose(dice).roll!(5, { global_seed: 3 })).toEqual(typed);
    expect(runs - before).toBe(1);
    // Checked by the compiler only: the view keeps the method's own signature.
    const _typeOnly = (): void => {
      // @ts-expect-error roll takes a number
      withSeed(dice, 3).roll('five');
    };
  });

  test.each([
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['an object', { seed: 1 }],
    ['a boolean', true],
  ])('a bad seed (%s) throws FunesError FUNES_BAD_SEED', (_, seed) => {
    const before = runs;
    const bad = expect.objectContaining({ name: 'FunesError', code: 'FUNES_BAD_SEED' });
    expect(() => loose(dice).roll!(1, { global_seed: seed })).toThrow(FunesError);
    expect(() => loose(dice).roll!(1, { global_seed: seed })).toThrow(bad);
    expect(() => withSeed(dice, seed as number).roll(1)).toThrow(bad);
    expect(runs).toBe(before);
  });

  test('{ global_seed, other } as the last argument is a FUNES_BAD_SEED, not a silent argument', () => {
    const before = runs;
    const bad = expect.objectContaining({ code: 'FUNES_BAD_SEED', message: expect.stringContaining('other') });
    expect(() => dice.echo({ global_seed: 1, other: 2 })).toThrow(bad);
    expect(runs).toBe(before);
    // Not in last place, such an object is an ordinary argument.
    expect(loose(dice).echo!({ global_seed: 1, other: 2 }, 'x')).toMatchObject({ a: { global_seed: 1, other: 2 } });
  });
});

const SCRIPT = `
import { memorious } from 'funes';
class Dice {
  @memorious
  roll(n: number): number[] {
    return Array.from({ length: n }, () => Math.random());
  }
}
const out = (new Dice() as any).roll(6, { global_seed: 2024 });
console.log(JSON.stringify(out));
`;

describe('seeds across processes', () => {
  const dir = projectDir();
  const script = writeScript(dir, 'seeded', SCRIPT);
  const caches = [tempDir(), tempDir()];

  test('the same seed gives the same output in two processes with fresh caches', () => {
    const first = lastJson<number[]>(runScript(dir, script, { env: { FUNES_CACHE_DIR: caches[0] } }));
    const second = lastJson<number[]>(runScript(dir, script, { env: { FUNES_CACHE_DIR: caches[1] } }));
    // Each process computed its result: both caches now hold one record.
    expect(caches.map((c) => filesUnder(c).length)).toEqual([1, 1]);
    expect(first).toEqual(expected(2024, 6));
    expect(second).toEqual(first);
  });
});

test('withSeed passes through what inspectors read, and refuses only calls of non-memorious methods', () => {
  class Mixed {
    @memorious
    roll(n: number): number {
      return n + Math.random();
    }

    plain(): number {
      return 1;
    }
  }
  const view = withSeed(new Mixed(), 3);
  expect(view.constructor).toBe(Mixed);
  expect(String(view)).toBe('[object Object]');
  expect(typeof view.plain).toBe('function');
  expect(() => view.plain()).toThrow(expect.objectContaining({ code: 'FUNES_NOT_MEMORIOUS', message: expect.stringContaining('plain') }));
  const other = new Mixed();
  expect(view.roll(1)).toBe((other.roll as (...a: unknown[]) => number).call(other, 1, { global_seed: 3 }));
});
