import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { deserialize } from 'node:v8';
import fc from 'fast-check';
import { memorious, Memorious } from '../src';
import { tempDir } from './helpers/cache';
import { lastJson, projectDir, runScript, writeScript } from './helpers/child';
import { recordFigures } from './helpers/figures';
import { expectWarnings } from './helpers/quiet-warnings';
// Warnings this file provokes: its memorized code reads test-local counters, which no version can see.
expectWarnings('FUNES_HIDDEN_DEPENDENCY');

// Invariants 3 and 4 by property: equal values (structural clones with key order and
// Map/Set insertion shuffled, typed arrays copied out of their buffers) always hit each
// other, in this process and in another; distinct values never share a key. -0 and 0
// are distinct (decided; see docs/guide.md), NaN is one value.
const RUNS = process.env.FUNES_LONG_TESTS === '1' ? 3000 : 250;
const SAMPLE_SEED = 4242;
const SAMPLE_SIZE = 200;

// Plain JavaScript shared with the child process, so that both generate the same values.
const SHARED = String.raw`
const KINDS = ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array', 'DataView', 'ArrayBuffer'];
function binary(fc) {
  return fc.tuple(fc.constantFrom(...KINDS), fc.uint8Array({ maxLength: 40 }), fc.nat(3)).map(([kind, bytes, pad]) => {
    if (kind === 'ArrayBuffer') return bytes.slice().buffer;
    const size = kind === 'DataView' ? 1 : globalThis[kind].BYTES_PER_ELEMENT;
    const n = Math.floor(bytes.length / size);
    const buffer = new ArrayBuffer((n + 2 * pad) * size); // a window into a larger buffer
    new Uint8Array(buffer).fill(pad);
    new Uint8Array(buffer, pad * size, n * size).set(bytes.subarray(0, n * size));
    return kind === 'DataView' ? new DataView(buffer, pad, n) : new globalThis[kind](buffer, pad * size, n);
  });
}
function arbitrary(fc) {
  const leaves = [fc.boolean(), fc.integer(), fc.double(), fc.string({ maxLength: 6 }), fc.bigInt(),
    fc.constantFrom(null, undefined, 0, -0, NaN, Infinity, -Infinity, '', '0'), fc.date(), binary(fc)];
  return fc.anything({ maxDepth: 3, maxKeys: 5, values: leaves, withBigInt: true, withDate: true, withMap: true,
    withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true });
}
function prng(seed) {
  let s = seed >>> 0;
  return () => { s = (s * 1103515245 + 12345) >>> 0; return s / 4294967296; };
}
function shuffle(list, rnd) {
  for (let i = list.length - 1; i > 0; i--) { const j = Math.floor(rnd() * (i + 1)); [list[i], list[j]] = [list[j], list[i]]; }
  return list;
}
/** An equal value made anew: keys and Map/Set entries in another order, binary data in fresh buffers. */
function clone(v, rnd) {
  if (typeof v !== 'object' || v === null) return v;
  const tag = Object.prototype.toString.call(v).slice(8, -1);
  if (Array.isArray(v)) {
    const out = new Array(v.length);
    for (const i of shuffle(Object.keys(v), rnd)) out[i] = clone(v[i], rnd);
    return out;
  }
  if (tag === 'ArrayBuffer') return v.slice(0);
  if (ArrayBuffer.isView(v)) {
    const copy = v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength);
    return tag === 'DataView' ? new DataView(copy) : new globalThis[tag](copy);
  }
  if (tag === 'Date') return new Date(v.getTime());
  if (tag === 'Map') return new Map(shuffle([...v], rnd).map(([k, x]) => [clone(k, rnd), clone(x, rnd)]));
  if (tag === 'Set') return new Set(shuffle([...v], rnd).map((x) => clone(x, rnd)));
  const out = Object.getPrototypeOf(v) === null ? Object.create(null) : {};
  for (const k of shuffle(Object.keys(v), rnd)) {
    Object.defineProperty(out, k, { value: clone(v[k], rnd), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
`;
const shared = new Function(`${SHARED}; return { arbitrary, clone, prng };`)() as {
  arbitrary(f: typeof fc): fc.Arbitrary<unknown>;
  clone(v: unknown, rnd: () => number): unknown;
  prng(seed: number): () => number;
};

/** Equality as a key must see it: -0 is not 0, NaN is NaN, holes are not undefined, binary by kind and bytes. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a !== typeof b) return false;
  if (typeof a !== 'object' || a === null || b === null) return Object.is(a, b);
  const kind = (v: object): string => {
    const proto = Object.getPrototypeOf(v) as object | null;
    return proto === null || proto === Object.prototype ? 'Object' : Object.prototype.toString.call(v).slice(8, -1);
  };
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const k = kind(x);
  if (k !== kind(y)) return false;
  if (ArrayBuffer.isView(x) || k === 'ArrayBuffer') {
    const bytes = (v: object): Buffer =>
      ArrayBuffer.isView(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : Buffer.from(v as ArrayBuffer);
    return bytes(x).equals(bytes(y));
  }
  if (k === 'Date') return Object.is((x as unknown as Date).getTime(), (y as unknown as Date).getTime());
  if (k === 'Map' || k === 'Set') {
    const entries = (v: object): unknown[][] => (k === 'Map' ? [...(v as Map<unknown, unknown>)] : [...(v as Set<unknown>)].map((e) => [e]));
    const left = entries(x);
    const right = entries(y);
    if (left.length !== right.length) return false;
    // A multiset match: `same` is an equivalence, so a greedy matching finds one if any exists.
    return left.every((e) => {
      const i = right.findIndex((f) => e.every((part, n) => same(part, f[n])));
      return i >= 0 && right.splice(i, 1).length === 1;
    });
  }
  const kx = Object.keys(x);
  const ky = Object.keys(y);
  if (Array.isArray(x) && x.length !== (y as unknown as unknown[]).length) return false;
  return kx.length === ky.length && kx.every((key) => Object.prototype.hasOwnProperty.call(y, key) && same(x[key], y[key]));
}

/** A clone of `value` with one leaf (an element, a property or a Map value) replaced by `leaf`. */
function mutate(value: unknown, leaf: unknown, rnd: () => number): unknown {
  const copy = shared.clone(value, rnd);
  const places: [object, unknown][] = [];
  const walk = (v: unknown): void => {
    if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v) || v instanceof Date) return;
    const entries: [unknown, unknown][] = v instanceof Map ? [...v] : v instanceof Set ? [] : Object.entries(v);
    for (const [k, x] of entries) {
      places.push([v, k]);
      walk(x);
    }
    if (Array.isArray(v)) for (let i = 0; i < v.length; i++) if (!(i in v)) places.push([v, String(i)]);
  };
  walk(copy);
  if (places.length === 0) return leaf;
  const [where, key] = places[Math.floor(rnd() * places.length)]!;
  if (where instanceof Map) where.set(key, leaf);
  else Object.defineProperty(where, key as string, { value: leaf, enumerable: true, writable: true, configurable: true });
  return copy;
}

let runs = 0;
let nonce = 0;
class Probe {
  @memorious({ cacheDir: tempDir() })
  probe(_nonce: number, _value: unknown): number {
    return ++runs;
  }
}
const p = new Probe();
const figures: Record<string, unknown> = { runsPerProperty: RUNS };

test('an equal value, rebuilt with its keys and entries in another order, never misses', () => {
  let checked = 0;
  fc.assert(
    fc.property(shared.arbitrary(fc), fc.integer(), (value, seed) => {
      const n = ++nonce;
      p.probe(n, value);
      const before = runs;
      p.probe(n, shared.clone(value, shared.prng(seed)));
      checked++;
      return runs === before;
    }),
    { numRuns: RUNS },
  );
  figures.equalPairsChecked = checked;
});

test('two values that differ never share a key', () => {
  let checked = 0;
  let skipped = 0;
  // Pairs of independent values, and near misses: a copy with one leaf replaced.
  const near = fc.constantFrom<unknown>(0, -0, NaN, undefined, null, '', '0', 0n, false, [], {}, new Array(1), [undefined], new Float32Array(1));
  const pair = fc.oneof(
    fc.tuple(shared.arbitrary(fc), shared.arbitrary(fc)),
    fc.tuple(shared.arbitrary(fc), near, fc.integer()).map(([v, leaf, seed]) => [v, mutate(v, leaf, shared.prng(seed))]),
    fc.tuple(near, near),
  );
  fc.assert(
    fc.property(pair, ([a, b]) => {
      if (same(a, b)) {
        skipped++;
        return true;
      }
      const n = ++nonce;
      p.probe(n, a);
      const before = runs;
      p.probe(n, b);
      checked++;
      return runs === before + 1;
    }),
    { numRuns: RUNS * 2 },
  );
  figures.distinctPairsChecked = checked;
  figures.equalPairsSkipped = skipped;
});

describe('across processes', () => {
  const dir = projectDir();
  const CHILD = `
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { deserialize } from 'node:v8';
import { memorious, Memorious } from 'funes';
const fc = require(process.env.FAST_CHECK!);
${SHARED}
let index = -1;
class Probe {
  @memorious({ cacheDir: 'cache' })
  probe(_nonce: number, _value: unknown): number { return index; }
}
const p = new Probe();
const values = fc.sample(arbitrary(fc), { seed: ${SAMPLE_SEED}, numRuns: ${SAMPLE_SIZE} });
values.forEach((v: unknown, i: number) => { index = i; p.probe(0, clone(v, prng(i))); });
const dir = Memorious.locate(p.probe);
const keys: Record<number, string> = {};
for (const f of readdirSync(dir).filter((f) => f.endsWith('.bin'))) keys[deserialize(readFileSync(join(dir, f))).output] = basename(f, '.bin');
console.log(JSON.stringify(keys));
`;

  test('a child process computes the same keys for shuffled clones of the same seeded sample', () => {
    const script = writeScript(dir, 'keys', CHILD);
    const child = lastJson<Record<string, string>>(runScript(dir, script, { env: { FAST_CHECK: require.resolve('fast-check') } }));
    let index = -1;
    class Probe {
      @memorious({ cacheDir: join(dir, 'parent-cache') })
      probe(_nonce: number, _value: unknown): number {
        return index;
      }
    }
    const local = new Probe();
    const values = fc.sample(shared.arbitrary(fc), { seed: SAMPLE_SEED, numRuns: SAMPLE_SIZE });
    values.forEach((v, i) => {
      index = i;
      local.probe(0, v);
    });
    const at = Memorious.locate(local.probe);
    const keys: Record<string, string> = {};
    for (const f of readdirSync(at).filter((n) => n.endsWith('.bin'))) {
      keys[String(deserialize(readFileSync(join(at, f))).output)] = basename(f, '.bin');
    }
    expect(Object.keys(keys).length).toBeGreaterThan(SAMPLE_SIZE / 2);
    expect(child).toEqual(keys);
    figures.crossProcessValues = SAMPLE_SIZE;
    figures.crossProcessDistinctKeys = Object.keys(keys).length;
  });
});

afterAll(() => recordFigures('properties', 'properties', figures));
