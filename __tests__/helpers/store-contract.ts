import { FORMAT, type StoredRecord } from '../../src/record';
import { encodeRecord, RecordDecodeError, RecordEncodeError } from '../../src/store/codec';
import type { RecordLocation, Store } from '../../src/store/types';

/** What a store factory gives the contract: a fresh, empty store, and how to dispose of it. */
export interface ContractStore {
  readonly store: Store;
  cleanup(): Promise<void>;
  /** Puts bytes that are not a v8 record at `loc`; the corruption tests are skipped without it. */
  corrupt?(loc: RecordLocation): Promise<void>;
  /** Whether the store honours `maxAge` by dropping records (Redis, memory). */
  readonly expires?: boolean;
}

const V1 = 'aa11';
const V2 = 'bb22';
const key = (n: number): string => n.toString(16).padStart(16, '0');
const at = (method: string, version: string, n: number): RecordLocation => ({ method, version, key: key(n) });

/** A record built by hand, as the library would write it for `loc`. */
export function makeRecord(loc: RecordLocation, output: unknown, input: Record<string, unknown> = { n: loc.key }): StoredRecord {
  return { input, output, time: 0.25, format: FORMAT, method: loc.method, version: loc.version, key: loc.key, async: true, created: 1_700_000_000_000 };
}

/** Outputs v8 keeps and JSON would not: the contract checks each survives a store. */
function richOutput(): Record<string, unknown> {
  return {
    floats: new Float64Array([1.5, -0, NaN, Infinity]),
    bytes: new Uint8Array([0, 1, 254, 255]),
    bigints: new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n]),
    map: new Map<unknown, unknown>([
      ['a', 1],
      [2, new Set(['x', 'y'])],
    ]),
    date: new Date(Date.UTC(2024, 1, 29, 12, 0, 0, 5)),
    negZero: -0,
    big: 12345678901234567890123456789n,
    nested: { list: [1, 'two', null, undefined, [3]], deep: { nan: NaN } },
    text: 'ünïcødé ✓',
  };
}

/** Awaits a store member's result whether the store is sync or not. */
async function run<T>(value: T | Promise<T>): Promise<T> {
  return value;
}

/** Calls a store member so that a sync store's throw and an async store's rejection look alike. */
async function attempt<T>(call: () => T | Promise<T>): Promise<T> {
  return call();
}

/** The built-in type of a value: v8.deserialize builds in Node's realm, not jest's, so instanceof fails. */
const kind = (value: unknown): string => Object.prototype.toString.call(value).slice(8, -1);

/**
 * The behaviour every `Store` owes funes, written once; each store's test file calls it
 * with a factory for a fresh, empty store.
 */
export function storeContract(name: string, factory: () => Promise<ContractStore>): void {
  describe(`Store contract: ${name}`, () => {
    let made: ContractStore;
    let store: Store;
    const M = 'Lab.fit';
    beforeEach(async () => {
      made = await factory();
      store = made.store;
    });
    afterEach(async () => {
      await made.cleanup();
    });

    test('declares whether it is synchronous, and then keeps to it', async () => {
      expect(typeof store.synchronous).toBe('boolean');
      const result = store.read(at(M, V1, 1));
      if (store.synchronous) expect(result).not.toBeInstanceOf(Promise);
      else expect(result).toBeInstanceOf(Promise);
      await result;
    });

    test('a missing location reads as undefined and is not there', async () => {
      expect(await run(store.read(at(M, V1, 1)))).toBeUndefined();
      expect(await run(store.has(at(M, V1, 1)))).toBe(false);
      await run(store.delete(at(M, V1, 1)));
      expect(await run(store.versions(M))).toEqual([]);
      expect(await run(store.list(M, V1, () => undefined))).toEqual([]);
      expect(await run(store.usage(M, V1))).toEqual({ records: 0, bytes: 0 });
      expect(await run(store.clear(M))).toBe(0);
    });

    test('a written record reads back whole: typed arrays, Maps, Sets, Dates, -0, BigInt', async () => {
      const loc = at(M, V1, 1);
      const record = makeRecord(loc, richOutput(), { a: new Map([['k', [1n]]]), b: -0 });
      await run(store.write(loc, record));
      expect(await run(store.has(loc))).toBe(true);
      const back = (await run(store.read(loc))) as StoredRecord<Record<string, unknown>>;
      expect(back).toEqual(record);
      expect(back).not.toBe(record);
      const out = back.output;
      expect(kind(out.floats)).toBe('Float64Array');
      expect(Object.is((out.floats as Float64Array)[1], -0)).toBe(true);
      expect(kind(out.bigints)).toBe('BigInt64Array');
      expect((out.bigints as BigInt64Array)[0]).toBe(-(2n ** 63n));
      expect(kind(out.map)).toBe('Map');
      expect((out.map as Map<unknown, unknown>).get(2)).toEqual(new Set(['x', 'y']));
      expect(kind(out.date)).toBe('Date');
      expect((out.date as Date).getTime()).toBe(Date.UTC(2024, 1, 29, 12, 0, 0, 5));
      expect(Object.is(out.negZero, -0)).toBe(true);
      expect(out.big).toBe(12345678901234567890123456789n);
      expect(Object.is(back.input.b, -0)).toBe(true);
    });

    test('delete removes one record and nothing else', async () => {
      await run(store.write(at(M, V1, 1), makeRecord(at(M, V1, 1), 1)));
      await run(store.write(at(M, V1, 2), makeRecord(at(M, V1, 2), 2)));
      await run(store.delete(at(M, V1, 1)));
      expect(await run(store.has(at(M, V1, 1)))).toBe(false);
      expect(await run(store.read(at(M, V1, 1)))).toBeUndefined();
      expect(((await run(store.read(at(M, V1, 2)))) as StoredRecord).output).toBe(2);
    });

    test('a second write to a location replaces the first', async () => {
      const loc = at(M, V1, 1);
      await run(store.write(loc, makeRecord(loc, 'first')));
      await run(store.write(loc, makeRecord(loc, 'second')));
      expect(((await run(store.read(loc))) as StoredRecord).output).toBe('second');
      expect((await run(store.usage(M, V1))).records).toBe(1);
    });

    test('list gives every record of one version, with its key, and no other', async () => {
      for (const n of [1, 2, 3]) await run(store.write(at(M, V1, n), makeRecord(at(M, V1, n), n * 10)));
      await run(store.write(at(M, V2, 9), makeRecord(at(M, V2, 9), 90)));
      await run(store.write(at('Lab.other', V1, 4), makeRecord(at('Lab.other', V1, 4), 40)));
      const errors: unknown[] = [];
      const entries = await run(store.list(M, V1, (_where, e) => errors.push(e)));
      expect(errors).toEqual([]);
      const got = entries.map((e) => [e.key, (e.value as StoredRecord).output]).sort();
      expect(got).toEqual([
        [key(1), 10],
        [key(2), 20],
        [key(3), 30],
      ]);
      for (const e of entries) expect((e.value as StoredRecord).key).toBe(e.key);
    });

    test('versions lists the versions of one method', async () => {
      await run(store.write(at(M, V1, 1), makeRecord(at(M, V1, 1), 1)));
      await run(store.write(at(M, V2, 1), makeRecord(at(M, V2, 1), 1)));
      await run(store.write(at('Lab.other', 'cc33', 1), makeRecord(at('Lab.other', 'cc33', 1), 1)));
      expect([...(await run(store.versions(M)))].sort()).toEqual([V1, V2]);
      expect(await run(store.versions('Lab.none'))).toEqual([]);
    });

    test('usage counts the records of a version and their bytes as encoded', async () => {
      const records = [1, 2, 3].map((n) => makeRecord(at(M, V1, n), 'x'.repeat(n * 100)));
      for (const r of records) await run(store.write(r, r));
      await run(store.write(at(M, V2, 1), makeRecord(at(M, V2, 1), 'other version')));
      const bytes = records.reduce((s, r) => s + encodeRecord(r).byteLength, 0);
      expect(await run(store.usage(M, V1))).toEqual({ records: 3, bytes });
    });

    test('clear removes one version, or all of a method, and counts the records', async () => {
      for (const n of [1, 2]) await run(store.write(at(M, V1, n), makeRecord(at(M, V1, n), n)));
      await run(store.write(at(M, V2, 1), makeRecord(at(M, V2, 1), 1)));
      await run(store.write(at('Lab.other', V1, 1), makeRecord(at('Lab.other', V1, 1), 1)));
      expect(await run(store.clear(M, V1))).toBe(2);
      expect(await run(store.read(at(M, V1, 1)))).toBeUndefined();
      expect(await run(store.versions(M))).toEqual([V2]);
      expect(await run(store.has(at(M, V2, 1)))).toBe(true);
      expect(await run(store.clear(M))).toBe(1);
      expect(await run(store.versions(M))).toEqual([]);
      expect(await run(store.has(at('Lab.other', V1, 1)))).toBe(true);
    });

    test('method names cannot reach into each other: separators and dots are kept apart', async () => {
      const names = ['A', 'A:b', 'A/b', 'A:aa11', '../A', 'A*', 'A.b'];
      for (const [i, m] of names.entries()) await run(store.write(at(m, V1, 1), makeRecord(at(m, V1, 1), i)));
      for (const [i, m] of names.entries()) expect(((await run(store.read(at(m, V1, 1)))) as StoredRecord).output).toBe(i);
      for (const m of names) expect(await run(store.versions(m))).toEqual([V1]);
      expect(await run(store.clear('A'))).toBe(1);
      for (const m of names.slice(1)) expect(await run(store.has(at(m, V1, 1)))).toBe(true);
    });

    test('a record that cannot be encoded throws RecordEncodeError and leaves nothing', async () => {
      const loc = at(M, V1, 1);
      const bad = makeRecord(loc, { fn: () => 1 });
      await expect(attempt(() => store.write(loc, bad))).rejects.toBeInstanceOf(RecordEncodeError);
      expect(await run(store.has(loc))).toBe(false);
      expect(await run(store.read(loc))).toBeUndefined();
      // An earlier record stays as it was.
      await run(store.write(loc, makeRecord(loc, 'good')));
      await expect(attempt(() => store.write(loc, makeRecord(loc, Symbol('s'))))).rejects.toBeInstanceOf(RecordEncodeError);
      expect(((await run(store.read(loc))) as StoredRecord).output).toBe('good');
    });

    test('garbage at a location: read throws RecordDecodeError, list reports it and goes on', async () => {
      if (!made.corrupt) return;
      const loc = at(M, V1, 1);
      await run(store.write(at(M, V1, 2), makeRecord(at(M, V1, 2), 2)));
      await made.corrupt(loc);
      await expect(attempt(() => store.read(loc))).rejects.toBeInstanceOf(RecordDecodeError);
      const where: string[] = [];
      const entries = await run(store.list(M, V1, (w, e) => (expect(e).toBeInstanceOf(RecordDecodeError), where.push(w))));
      expect(entries.map((e) => e.key)).toEqual([key(2)]);
      expect(where).toEqual([store.describe(M, V1, key(1))]);
      // A good write replaces the garbage.
      await run(store.write(loc, makeRecord(loc, 'fixed')));
      expect(((await run(store.read(loc))) as StoredRecord).output).toBe('fixed');
    });

    test('tryLock: one holder at a time; after release the next one gets it', async () => {
      if (!store.tryLock) return;
      const loc = at(M, V1, 1);
      const first = await run(store.tryLock(loc, true));
      expect(first).toBeDefined();
      expect(await run(store.tryLock(loc, true))).toBeUndefined();
      // Another key is not blocked.
      const other = await run(store.tryLock(at(M, V1, 2), false));
      expect(other).toBeDefined();
      await run(other!.release());
      await run(first!.release());
      const second = await run(store.tryLock(loc, false));
      expect(second).toBeDefined();
      expect(await run(store.tryLock(loc, false))).toBeUndefined();
      await run(second!.release());
      // A lock is not a record.
      expect(await run(store.has(loc))).toBe(false);
      expect(await run(store.usage(M, V1))).toEqual({ records: 0, bytes: 0 });
    });

    test('noteVersion keeps the meta once and returns the version marked before', async () => {
      if (!store.noteVersion) return;
      const meta = { format: FORMAT, method: M, source: 'fit(a) { return a; }', params: ['a'], created: 1 };
      expect(await run(store.noteVersion({ ...meta, version: V1 }))).toBeUndefined();
      expect(await run(store.noteVersion({ ...meta, version: V1 }))).toBeUndefined();
      expect(await run(store.noteVersion({ ...meta, version: V2 }))).toBe(V1);
      expect(await run(store.noteVersion({ ...meta, version: V1 }))).toBe(V2);
    });

    test('maxAge: a record is gone once it has expired', async () => {
      if (!made.expires) return;
      const loc = at(M, V1, 1);
      await run(store.write(loc, makeRecord(loc, 'brief'), { maxAge: 200 }));
      await run(store.write(at(M, V1, 2), makeRecord(at(M, V1, 2), 'lasting')));
      expect(await run(store.has(loc))).toBe(true);
      await new Promise((r) => setTimeout(r, 400));
      expect(await run(store.read(loc))).toBeUndefined();
      expect(await run(store.has(loc))).toBe(false);
      expect((await run(store.list(M, V1, () => undefined))).map((e) => e.key)).toEqual([key(2)]);
    });

    test('describe names a method, a version and a record distinctly', () => {
      const names = [store.describe(M), store.describe(M, V1), store.describe(M, V1, key(1)), store.describe('Lab.other')];
      expect(new Set(names).size).toBe(names.length);
      for (const n of names) expect(typeof n).toBe('string');
    });
  });
}
