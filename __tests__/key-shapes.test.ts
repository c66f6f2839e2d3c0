import { runInNewContext } from 'node:vm';
import { memorious } from '../src';
import { filesUnder, tempCache } from './helpers/cache';
import { expectWarnings } from './helpers/quiet-warnings';
// Warnings this file provokes: its memorized code reads test-local counters, which no version can see; it keys large values on purpose.
expectWarnings('FUNES_HIDDEN_DEPENDENCY', 'FUNES_SLOW_KEY');

const cache = tempCache();
let runs = 0;

class Shapes {
  @memorious
  take(value: unknown): number {
    void value;
    return ++runs;
  }
}
const shapes = new Shapes();

/** Whether the second value is served the first one's record (each miss returns a new number). */
function sameKey(a: unknown, b: unknown): boolean {
  const first = shapes.take(a);
  const stored = filesUnder(cache).length;
  const same = shapes.take(b) === first;
  if (same) expect(filesUnder(cache)).toHaveLength(stored);
  return same;
}

describe('keys of the shapes the canonical hasher writes itself', () => {
  test('a shared sub-object and an equal copy are the same input', () => {
    const inner = { lr: 0.1, layers: [64, 64] };
    expect(sameKey({ a: inner, b: inner }, { a: { lr: 0.1, layers: [64, 64] }, b: { lr: 0.1, layers: [64, 64] } })).toBe(true);
  });

  test('cyclic inputs hash, equal cycles meet, different cycles do not', () => {
    const cycle = (n: number): unknown => {
      const node: { n: number; self?: unknown } = { n };
      node.self = node;
      return node;
    };
    expect(sameKey(cycle(1), cycle(1))).toBe(true);
    expect(sameKey(cycle(2), cycle(3))).toBe(false);
    const list: unknown[] = [1];
    list.push(list);
    expect(() => shapes.take(list)).not.toThrow();
  });

  test('objects, arrays and Maps made in another realm key like local ones', () => {
    const foreign = runInNewContext('({ a: [1, { b: 2 }], m: new Map([["k", 1]]), d: new Date(5) })');
    expect(sameKey(foreign, { a: [1, { b: 2 }], m: new Map([['k', 1]]), d: new Date(5) })).toBe(true);
  });

  test('values that print alike stay apart', () => {
    expect(sameKey(['ab', 'c'], ['a', 'bc'])).toBe(false);
    expect(sameKey({ a: 'b' }, { ab: '' })).toBe(false);
    expect(sameKey('1', 1)).toBe(false);
    expect(sameKey(1n, 1)).toBe(false);
    expect(sameKey(null, undefined)).toBe(false);
    expect(sameKey([], {})).toBe(false);
    expect(sameKey(new Set([1, 2]), [1, 2])).toBe(false);
    expect(sameKey(new Date(0), 0)).toBe(false);
    expect(sameKey(/a/g, /a/i)).toBe(false);
    expect(sameKey([undefined], [])).toBe(false);
    expect(sameKey(new Map([[1, 2]]), new Map([[2, 1]]))).toBe(false);
  });

  test('NaN is one input; class instances key by their class and state', () => {
    expect(sameKey(NaN, Number('x'))).toBe(true);
    class A {
      constructor(readonly v: number) {}
    }
    class B {
      constructor(readonly v: number) {}
    }
    expect(sameKey(new A(1), new A(1))).toBe(true);
    expect(sameKey(new A(1), new A(2))).toBe(false);
    expect(sameKey(new A(1), new B(1))).toBe(false);
    expect(sameKey(new A(1), { v: 1 })).toBe(false);
  });

  test('an object with 10,000 object-valued keys keys like its copy, and differs by one leaf', () => {
    const big = (leaf: number): Record<string, unknown> => {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < 10_000; i++) o[`k${i}`] = { i, leaf: i === 9_999 ? leaf : 0 };
      return o;
    };
    expect(sameKey(big(1), big(1))).toBe(true);
    expect(sameKey(big(1), big(2))).toBe(false);
  });
});

describe('keys and what they cannot see', () => {
  test('symbol-keyed entries of a plain object are part of the key', () => {
    const s = Symbol('s');
    expect(sameKey({ a: 1, [s]: 1 }, { a: 1, [s]: 2 })).toBe(false);
    expect(sameKey({ b: 1, [s]: 1 }, { b: 1, [s]: 1 })).toBe(true);
  });

  test('a closure in the key is refused, naming its path: closures of one source over different values would look alike', () => {
    class Closures {
      constructor(readonly g: (x: number) => number) {}

      @memorious
      f(x: number): number {
        return this.g(x);
      }
    }
    const make = (k: number): Closures => new Closures((x) => x * k);
    expect(() => make(2).f(1)).toThrow(expect.objectContaining({ code: 'FUNES_UNHASHABLE', message: expect.stringMatching(/this\.g is a function, and it reads k from outside itself/) }));
  });

  test('a function that reads nothing from outside is keyed by its source, with one warning naming its path', () => {
    let runs = 0;
    class Holder {
      constructor(readonly opts: { fn: (x: number) => number }) {}

      @memorious
      f(x: number): number {
        runs++;
        return this.opts.fn(x);
      }
    }
    const spy = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      expect(new Holder({ fn: (x) => x * 2 }).f(1)).toBe(2);
      expect(new Holder({ fn: (x) => x * 2 }).f(1)).toBe(2);
      expect(new Holder({ fn: (x) => x * 3 }).f(1)).toBe(3);
      expect(runs).toBe(2);
      const warned = spy.mock.calls.filter((c) => (c[1] as { code?: string } | undefined)?.code === 'FUNES_FUNCTION_IN_KEY');
      expect(warned).toHaveLength(1);
      expect(String(warned[0]![0])).toContain('Holder.f: this.opts.fn is a function');
    } finally {
      spy.mockRestore();
    }
  });
});
