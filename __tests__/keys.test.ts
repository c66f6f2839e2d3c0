import { FunesError, memorious } from '../src';
import { filesUnder, tempCache, tempDir } from './helpers/cache';
import { projectDir, runScript, writeScript } from './helpers/child';
import { expectWarnings } from './helpers/quiet-warnings';
// Warnings this file provokes: its memorized code reads test-local counters, which no version can see.
expectWarnings('FUNES_HIDDEN_DEPENDENCY');

const cache = tempCache();

let runs = 0;

class Keys {
  @memorious
  take(value: unknown): number {
    void value;
    return ++runs;
  }

  @memorious
  pair(left: unknown, right?: unknown): number {
    void [left, right];
    return ++runs;
  }
}

const keys = new Keys();

/** Runs `take` on each value and says which calls were served a result stored by an earlier one. */
function sameRecord(a: unknown, b: unknown): boolean {
  const first = keys.take(a);
  const before = filesUnder(cache).length;
  const second = keys.take(b);
  const after = filesUnder(cache).length;
  // A hit returns the first call's result and stores nothing new; a miss runs and stores one record.
  expect(after - before).toBe(first === second ? 0 : 1);
  return first === second;
}

const bytes = (...values: number[]): ArrayBuffer => new Uint8Array(values).buffer;

describe('argument keys', () => {
  test('equal inputs with keys in a different order hit the same record', () => {
    expect(sameRecord({ a: 1, b: { c: [1, 2], d: 'x' } }, { b: { d: 'x', c: [1, 2] }, a: 1 })).toBe(true);
    expect(sameRecord({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [2, 1] } })).toBe(false);
  });

  test('Maps and Sets are equal by content', () => {
    const m1 = new Map<string, unknown>([['a', 1], ['b', { x: 2 }]]);
    expect(sameRecord(m1, new Map<string, unknown>([['b', { x: 2 }], ['a', 1]]))).toBe(true);
    expect(sameRecord(m1, new Map<string, unknown>([['a', 1], ['b', { x: 3 }]]))).toBe(false);
    expect(sameRecord(new Set([1, 'two', 3]), new Set([3, 1, 'two']))).toBe(true);
    expect(sameRecord(new Set([1, 'two', 3]), new Set([1, 'two', 4]))).toBe(false);
    expect(sameRecord(new Map([['k', 1]]), { k: 1 })).toBe(false);
  });

  test('DataViews are hashed by their bytes', () => {
    expect(sameRecord(new DataView(bytes(1, 2, 3)), new DataView(bytes(1, 2, 3)))).toBe(true);
    expect(sameRecord(new DataView(bytes(1, 2, 3)), new DataView(bytes(1, 2, 4)))).toBe(false);
    expect(sameRecord(new DataView(bytes(9, 9)), new DataView(bytes(9, 9, 0)))).toBe(false);
  });

  test('typed arrays are hashed by their bytes and their kind', () => {
    const f64 = new Float64Array([1.5, -2]);
    expect(sameRecord(f64, new Float64Array([1.5, -2]))).toBe(true);
    expect(sameRecord(f64, new Float64Array([1.5, -2.0000001]))).toBe(false);
    // The same bytes seen as another type are another value.
    expect(sameRecord(new Float64Array([3.25]), new Uint8Array(new Float64Array([3.25]).buffer))).toBe(false);
    expect(sameRecord(new Int8Array([-1]), new Uint8Array([255]))).toBe(false);
    // BigInt64Array once threw in the hasher funes used before its own.
    expect(sameRecord(new BigInt64Array([1n]), new BigInt64Array([1n]))).toBe(true);
    expect(sameRecord(new BigInt64Array([1n]), new BigInt64Array([2n]))).toBe(false);
    // A view is its own window of bytes, not the whole buffer behind it.
    const big = new Uint8Array([0, 5, 6, 7, 0]);
    const other = new Uint8Array([8, 5, 6, 7, 8]);
    expect(sameRecord(big.subarray(1, 4), other.subarray(1, 4))).toBe(true);
    expect(sameRecord(new DataView(big.buffer, 1, 3), new DataView(other.buffer, 1, 3))).toBe(true);
    expect(sameRecord(new DataView(big.buffer, 0, 3), new DataView(other.buffer, 0, 3))).toBe(false);
  });

  test('Buffers and ArrayBuffers are hashed by their bytes', () => {
    expect(sameRecord(Buffer.from('funes'), Buffer.from('funes'))).toBe(true);
    expect(sameRecord(Buffer.from('funes'), Buffer.from('funez'))).toBe(false);
    expect(sameRecord(Buffer.from([1, 2]), new Uint8Array([1, 2]))).toBe(false);
    expect(sameRecord(bytes(4, 5), bytes(4, 5))).toBe(true);
    expect(sameRecord(bytes(4, 5), bytes(4, 6))).toBe(false);
  });

  test('sparse arrays: holes count, wherever they are', () => {
    const holeFirst: unknown[] = new Array(2);
    holeFirst[1] = 1;
    const holeLast: unknown[] = [1];
    holeLast.length = 2;
    expect(sameRecord(holeFirst, holeLast)).toBe(false);
    expect(sameRecord(holeFirst, [undefined, 1])).toBe(false);
    const again: unknown[] = new Array(2);
    again[1] = 1;
    expect(sameRecord(holeFirst, again)).toBe(true);
  });

  test('-0 and 0 are different inputs (1 / x tells them apart), at top level and nested', () => {
    expect(sameRecord(0, -0)).toBe(false);
    expect(sameRecord({ x: 0 }, { x: -0 })).toBe(false);
  });

  test('an omitted argument is undefined; a surplus argument is part of the key', () => {
    const before = runs;
    keys.pair(1);
    keys.pair(1, undefined);
    keys.pair(1, 2);
    (keys.pair as (...args: unknown[]) => number).call(keys, 1, 2, 3);
    expect(runs - before).toBe(3);
  });

  test.each([
    ['a WeakMap', () => new WeakMap()],
    ['a Promise', () => Promise.resolve(1)],
    ['a WeakMap inside an object', () => ({ inner: new WeakMap() })],
  ])('%s cannot be hashed: FunesError FUNES_UNHASHABLE names the parameter', (_, make) => {
    const before = runs;
    let caught: unknown;
    try {
      keys.pair(1, make());
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FunesError);
    expect(caught).toBeInstanceOf(TypeError);
    expect((caught as FunesError).code).toBe('FUNES_UNHASHABLE');
    expect((caught as FunesError).message).toMatch(/args\.right\b/);
    expect((caught as FunesError).message).not.toMatch(/args\.left/);
    expect(runs).toBe(before);
  });
});

// The argument order on the command line decides the order in which keys and entries are built.
const SCRIPT = `
import { memorious } from 'funes';
class Keys {
  @memorious
  take(value: unknown, extra: unknown): string {
    return 'ok';
  }
}
const reversed = process.argv[2] === 'reversed';
const order = <T,>(xs: T[]): T[] => (reversed ? [...xs].reverse() : xs);
const object = Object.fromEntries(order([['alpha', 1], ['beta', { y: [1, 2], x: 'z' }], ['gamma', null]]));
if (reversed) object.beta = { x: 'z', y: [1, 2] };
const value = {
  object,
  map: new Map(order([['a', 1], ['b', 2]] as [string, number][])),
  set: new Set(order([1, 2, 3])),
  floats: new Float64Array([0.1, 0.2]),
  view: new DataView(new Uint8Array([1, 2, 3]).buffer),
  buffer: Buffer.from('bytes'),
  sparse: [1, , 3],
};
new Keys().take(value, Object.fromEntries(order([['p', 1], ['q', 2]])));
console.log('done');
`;

describe('keys across processes', () => {
  const dir = projectDir();
  const script = writeScript(dir, 'keys', SCRIPT);
  const caches = [tempDir(), tempDir()];

  test('equal inputs give the same record path in two processes, whatever the key order', () => {
    runScript(dir, script, { env: { FUNES_CACHE_DIR: caches[0] } });
    runScript(dir, script, { env: { FUNES_CACHE_DIR: caches[1] }, args: ['reversed'] });
    const [first, second] = caches.map((c) => filesUnder(c!));
    expect(first).toHaveLength(1);
    expect(first![0]).toMatch(/^Keys\.take\/[0-9a-f]+\/[0-9a-f]{64}\.bin$/);
    expect(second).toEqual(first);
  });
});
