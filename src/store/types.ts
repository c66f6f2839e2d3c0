import type { StoredRecord } from '../record';
import type { Dependency } from '../version/dependency';

/**
 * A value now, or a Promise of it: synchronous stores return the first, others the second.
 * @example `read(location: RecordLocation): MaybePromise<unknown>;`
 */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Where one record lives: the method, its version and the argument hash.
 * @example `{ method: 'Lab.fit', version: '5a8b8f966baa5875', key: '84a5…c1' }`
 */
export interface RecordLocation {
  /** `Class.method`, as given; a store makes it safe for its own namespace. */
  readonly method: string;
  /** The version hash (hex). */
  readonly version: string;
  /** The argument hash (hex). */
  readonly key: string;
}

/**
 * A held lock on one record's computation.
 * @example `const lock = await store.tryLock?.(loc, true); try { ... } finally { await lock?.release(); }`
 */
export interface Lock {
  /** Gives the lock up; called once the record is written or the computation failed. */
  release(): MaybePromise<void>;
}

/**
 * What produced a version: kept once beside its records, for people and the CLI.
 * @example `{ format: 2, method: 'Lab.double', source: 'double(x) { ... }', params: ['x'], created: 1763740000000 }`
 */
export interface VersionMeta {
  /** The on-disk format of funes that wrote it. */
  readonly format: number;
  /** `Class.method`. */
  readonly method: string;
  /**
   * The method's own text: normalised source as written (origin `'source'`), or the
   * compiled `toString()` (origin `'compiled'`).
   */
  readonly source: string;
  /** Whether the version was made from the source as written or, no source found, from compiled text. */
  readonly origin?: 'source' | 'compiled';
  /** The file the method was found in, relative to the project root. */
  readonly file?: string;
  /** What else the version rests on: helpers, constants, classes, imported code, packages. */
  readonly dependencies?: readonly Dependency[];
  /** The method's parameter names, in order. */
  readonly params: readonly string[];
  /** When the version was first written, milliseconds since the epoch. */
  readonly created: number;
}

/**
 * What one version holds.
 * @example `const { records, bytes }: Usage = await store.usage('Lab.fit', version);`
 */
export interface Usage {
  /** How many records. */
  readonly records: number;
  /** Their size as stored. */
  readonly bytes: number;
}

/**
 * How a record is to be kept.
 * @example `store.write(loc, record, { maxAge: 86_400_000 })`
 */
export interface WriteOptions {
  /** Milliseconds after which the record may be dropped; a store with expiry (Redis) uses it. */
  readonly maxAge?: number;
}

/**
 * How a record is to be read.
 * @example `store.read(loc, { readOnly: true })`
 */
export interface ReadOptions {
  /**
   * Leave the store exactly as it was: no refresh of the record's last use. Set by callers
   * that only look (read-only mode, `Memorious.peek`, `Memorious.missing`).
   */
  readonly readOnly?: boolean;
}

/**
 * One stored record, as `list` returns it.
 * @example `for (const { key, value } of await store.list('Lab.fit', version, console.warn)) ...`
 */
export interface StoredEntry {
  /** The argument hash it is stored under. */
  readonly key: string;
  /** The decoded record, not yet validated. */
  readonly value: unknown;
}

/**
 * Where records are kept: `FileStore` (the default), `MemoryStore`, `RedisStore`, or your
 * own. A store is given locations and records, never functions; it encodes records with
 * `encodeRecord`/`decodeRecord` (plain `v8.serialize`) but neither hashes nor validates
 * them, and it reports every fault by throwing (or rejecting), so that the caller
 * decides what a fault means for the call: to funes, a failing store is a miss.
 *
 * A store is synchronous (every member returns its result) or not (every member may
 * return a Promise). Sync methods need a synchronous store; async methods take either.
 *
 * @example
 * ```ts
 * class Lab {
 *   @memorious({ store: new MemoryStore() })
 *   async fit(params: Params): Promise<Model> { ... }
 * }
 * ```
 */
export interface Store {
  /** Whether every member returns its result directly rather than a Promise. */
  readonly synchronous: boolean;
  /**
   * The record stored at `location`, decoded, or `undefined` when there is none.
   * Throws `RecordDecodeError` when something is there but does not decode, and any
   * other error when the store cannot be read. With `readOnly`, the read changes nothing
   * in the store (a store that keeps each record's last use for pruning leaves it as it was).
   */
  read(location: RecordLocation, options?: ReadOptions): MaybePromise<unknown>;
  /**
   * Stores `record` at `location` so that a reader sees all of it or none of it.
   * Throws `RecordEncodeError` when the record cannot be encoded, another error when the
   * store cannot be written.
   */
  write(location: RecordLocation, record: StoredRecord, options?: WriteOptions): MaybePromise<void>;
  /** Whether something is stored at `location`. */
  has(location: RecordLocation): MaybePromise<boolean>;
  /** Removes what is stored at `location`, if anything. */
  delete(location: RecordLocation): MaybePromise<void>;
  /** Every record stored under one version, decoded; one that cannot be read or decoded goes to `onError`. */
  list(method: string, version: string, onError: (where: string, error: unknown) => void): MaybePromise<StoredEntry[]>;
  /**
   * Optional, for synchronous stores: `list`, one record at a time, so that a million
   * records take constant memory. `Memorious.cachedResults` uses `list` where it is missing.
   */
  iterate?(method: string, version: string, onError: (where: string, error: unknown) => void): Iterable<StoredEntry>;
  /** How many records one version holds, and their bytes as stored. */
  usage(method: string, version: string): MaybePromise<Usage>;
  /** The versions stored for a method. */
  versions(method: string): MaybePromise<string[]>;
  /** Removes one version of a method, or all of them when `version` is omitted; returns the records removed. */
  clear(method: string, version?: string): MaybePromise<number>;
  /**
   * Takes the lock on computing `location`'s record, or returns undefined while another
   * live holder has it. A holder that `beats` keeps the lock fresh while it works; a dead
   * holder's lock is taken over or expires. Throws when this store cannot lock at all.
   * Stores without locks leave it out: every caller then computes.
   */
  tryLock?(location: RecordLocation, beats: boolean): MaybePromise<Lock | undefined>;
  /**
   * Records, once per version, what produced it, and marks the version as the one a
   * program last used; returns the version marked before, if another. Best effort.
   */
  noteVersion?(meta: VersionMeta & { readonly version: string }): MaybePromise<string | undefined>;
  /** What `noteVersion` recorded for a version, if anything; for the debug log's account of a version change. */
  readMeta?(method: string, version: string): MaybePromise<Partial<VersionMeta> | undefined>;
  /** Where a method, version or record lives, for messages and for `Memorious.locate`. */
  describe(method: string, version?: string, key?: string): string;
}
