import { cacheRoot, configure, type FunesConfig } from './config';
import { parseBytes, parseCount, parseDuration } from './limits';
import { prune, type PruneOptions, type PruneSummary } from './maintenance/prune';
import type { ClearSummary } from './maintenance/stale';
import { describeError, FunesError, warnOnce } from './errors';
import { invalidity, type CachedResult, type StoredRecord } from './record';
import type { Store, StoredEntry } from './store/types';
import { registered, type RegisteredMethod } from './registry';
import type { GlobalSeed } from './seed';
import { seededObject, seededView } from './seeded';

/**
 * Any decorated method, as `obj.method` or `Class.prototype.method`: what the `Memorious`
 * helpers take.
 * @example `Memorious.locate(lab.double)`
 */
export type AnyMethod = (...args: never[]) => unknown;

/**
 * What `Memorious.stats` reports of one method.
 * @example `const { records, hits, savedSeconds }: MethodStats = Memorious.stats(lab.fit);`
 */
export interface MethodStats {
  /** `Class.method`. */
  readonly method: string;
  /** The current version hash. */
  readonly version: string;
  /** Records of the current version on disk. */
  readonly records: number;
  /** Their size as stored. */
  readonly bytes: number;
  /** Versions on disk, the current one included if it has records. */
  readonly versions: number;
  /** Calls in this process served from the cache. */
  readonly hits: number;
  /** Calls in this process that computed. */
  readonly misses: number;
  /** Seconds the hits saved: the sum of the served records' `time`. */
  readonly savedSeconds: number;
}

/**
 * Static helpers to configure funes and to look into what a method has stored.
 * Each takes a decorated method as `obj.method` or `Class.prototype.method`.
 * @example
 * ```ts
 * Memorious.configure({ cacheDir: 'results/cache' });
 * const records = Memorious.loadCachedResults(lab.double);
 * ```
 */
export class Memorious {
  private constructor() {}

  /**
   * Sets process-wide defaults. A method's own `cacheDir` option wins over them.
   * @example `Memorious.configure({ cacheDir: '/scratch/cache' })`
   */
  static configure(config: FunesConfig): void {
    configure(config);
  }

  /**
   * Every stored record of the method's current version, oldest first, as
   * `{ input, output, time }`. Records of older versions are not included.
   * A file that cannot be read or is not a valid record is skipped with a warning.
   *
   * @throws FunesError `FUNES_NOT_MEMORIOUS` if `method` is not decorated with `@memorious`.
   * @example
   * ```ts
   * for (const { input, output, time } of Memorious.loadCachedResults(lab.double)) ...
   * ```
   */
  static loadCachedResults<F extends AnyMethod>(method: F): CachedResult<Awaited<ReturnType<F>>>[] {
    const m = known(method, 'loadCachedResults');
    const store = synchronous(m, 'loadCachedResults', 'loadCachedResultsAsync');
    const { name, version } = m.identity();
    return results(store, name, version, store.list(name, version, onBad(store, name)) as StoredEntry[], m.maxAge);
  }

  /**
   * `loadCachedResults` for any store, synchronous or not (Redis): resolves to the records
   * of the method's current version, oldest first, as `{ input, output, time }`.
   * @example
   * ```ts
   * const records = await Memorious.loadCachedResultsAsync(lab.fit);
   * ```
   */
  static async loadCachedResultsAsync<F extends AnyMethod>(method: F): Promise<CachedResult<Awaited<ReturnType<F>>>[]> {
    const m = known(method, 'loadCachedResultsAsync');
    const store = m.store();
    const { name, version } = m.identity();
    return results(store, name, version, await store.list(name, version, onBad(store, name)), m.maxAge);
  }

  /**
   * The stored record for a call, or `undefined`, without computing anything: what a call
   * with these arguments would be served. Pass the instance with the method when its state
   * is part of the key (`[lab, lab.fit]`); a plain function, a static method, or a method
   * with `ignoreThis` or `key` needs none. A seeded call is peeked through its `withSeed`
   * view, or with `{ global_seed }` as the last argument. A Promise for an asynchronous
   * store (Redis): `await` the answer, which is right for every store.
   *
   * @throws FunesError `FUNES_UNBOUND` for an instance method given without its instance;
   *   `FUNES_UNHASHABLE` for arguments no key can capture, as a call would.
   * @example
   * ```ts
   * const stored = Memorious.peek([lab, lab.fit], params, 10);   // { input, output, time } or undefined
   * const hit = Memorious.peek(cachedSimulate, 1000, 0.1);
   * const seeded = await Memorious.peek(withSeed(cachedSimulate, 7), 1000, 0.1);
   * ```
   */
  static peek<F extends AnyMethod>(
    target: F | readonly [object, F],
    ...args: Parameters<F> | [...Parameters<F>, { readonly global_seed: GlobalSeed }]
  ): CachedResult<Awaited<ReturnType<F>>> | undefined | Promise<CachedResult<Awaited<ReturnType<F>>> | undefined> {
    const { m, self, seed } = bound(target, 'peek');
    type Result = CachedResult<Awaited<ReturnType<F>>>;
    const record = m.peek(self, seed === undefined ? args : [...args, { global_seed: seed }]);
    return record instanceof Promise ? record.then((r) => asResult<Awaited<ReturnType<F>>>(r)) : asResult<Result['output']>(record);
  }

  /**
   * The argument lists of a sweep that are not stored yet, in the order given: what is
   * left to compute, to plan a run or split it across workers. Takes the method as
   * `peek` does; a Promise for an asynchronous store.
   * @example
   * ```ts
   * const grid = [0.1, 0.2, 0.4].map((rate): [number, number] => [1000, rate]);
   * const todo = await Memorious.missing(cachedSimulate, grid);
   * for (const args of todo.filter((_, i) => i % workers === me)) cachedSimulate(...args);
   * ```
   */
  static missing<F extends AnyMethod, A extends Readonly<Parameters<F>> | Readonly<[...Parameters<F>, { readonly global_seed: GlobalSeed }]>>(target: F | readonly [object, F], argLists: readonly A[]): A[] | Promise<A[]> {
    const { m, self, seed } = bound(target, 'missing');
    const found = argLists.map((args) => m.peek(self, seed === undefined ? [...args] : [...args, { global_seed: seed }]));
    const pick = (records: readonly (StoredRecord | undefined)[]): A[] => argLists.filter((_, i) => records[i] === undefined);
    return found.some((r) => r instanceof Promise) ? Promise.all(found).then(pick) : pick(found as (StoredRecord | undefined)[]);
  }

  /**
   * The records of the method's current version, one at a time, as `{ input, output, time }`:
   * unlike `loadCachedResults`, a million records take constant memory, and they come in
   * the order the store finds them, not oldest first. A record that cannot be read is
   * skipped with a warning.
   * @throws FunesError `FUNES_ASYNC_STORE` for an asynchronous store; use `loadCachedResultsAsync`.
   * @example
   * ```ts
   * let best; for (const r of Memorious.cachedResults(lab.fit)) if (!best || r.output.loss < best.output.loss) best = r;
   * ```
   */
  static *cachedResults<F extends AnyMethod>(method: F): Generator<CachedResult<Awaited<ReturnType<F>>>, void, undefined> {
    const m = known(method, 'cachedResults');
    const store = synchronous(m, 'cachedResults', 'loadCachedResultsAsync');
    const { name, version } = m.identity();
    const entries = store.iterate ? store.iterate(name, version, onBad(store, name)) : (store.list(name, version, onBad(store, name)) as StoredEntry[]);
    const now = Date.now();
    for (const { key, value } of entries) {
      const why = invalidity(value, version, key);
      if (why) warnOnce(name, 'FUNES_INVALID_RECORD', `${store.describe(name, version, key)} is not a usable record (${why}); skipped`);
      else if (m.maxAge === undefined || now - (value as StoredRecord).created <= m.maxAge) yield asResult(value as StoredRecord)!;
    }
  }

  /**
   * The directory that holds the method's current version: `<cacheDir>/<Class.method>/<version>`.
   * @example `rm -rf "$(node -e '...Memorious.locate(lab.double)')"` removes its results by hand.
   */
  static locate(method: AnyMethod): string {
    const m = known(method, 'locate');
    const { name, version } = m.identity();
    return m.store().describe(name, version);
  }

  /**
   * Removes the stored records of the method's current version, or of every version with
   * `{ allVersions: true }`. Returns how many records were removed.
   * @example `Memorious.clear(lab.double, { allVersions: true })`
   */
  static clear(method: AnyMethod, options: { readonly allVersions?: boolean } = {}): number {
    const m = known(method, 'clear');
    const store = synchronous(m, 'clear');
    const { name, version } = m.identity();
    return store.clear(name, options.allVersions ? undefined : version) as number;
  }

  /**
   * What the method has stored and done: records and bytes of its current version, how
   * many versions are on disk, and this process's hits, misses and the seconds its hits
   * saved (the sum of the served records' `time`).
   * @example
   * ```ts
   * const { hits, misses, savedSeconds } = Memorious.stats(lab.fit);
   * console.log(`${hits} hits saved ${savedSeconds.toFixed(0)} s`);
   * ```
   */
  static stats(method: AnyMethod): MethodStats {
    const m = known(method, 'stats');
    const store = synchronous(m, 'stats');
    const { name, version } = m.identity();
    const { records, bytes } = store.usage(name, version) as { records: number; bytes: number };
    const { hits, misses, savedSeconds } = m.counts;
    const versions = (store.versions(name) as string[]).length;
    return { method: name, version, records, bytes, versions, hits, misses, savedSeconds };
  }

  /**
   * The versions stored for the method other than its current one (the one this process
   * computes): results no call will be served any more.
   * @example
   * ```ts
   * if (Memorious.staleVersions(lab.double).length > 0) Memorious.clearStale(lab.double);
   * ```
   */
  static staleVersions(method: AnyMethod): string[] {
    const m = known(method, 'staleVersions');
    const store = synchronous(m, 'staleVersions');
    const { name, version } = m.identity();
    return (store.versions(name) as string[]).filter((v) => v !== version).sort();
  }

  /**
   * Removes every stored version of the method but the current one, and says what went.
   * @example
   * ```ts
   * const { versions, records, bytes } = Memorious.clearStale(lab.double);
   * ```
   */
  static clearStale(method: AnyMethod): ClearSummary {
    const m = known(method, 'clearStale');
    const store = synchronous(m, 'clearStale');
    const { name } = m.identity();
    let records = 0;
    let bytes = 0;
    const stale = Memorious.staleVersions(method);
    for (const version of stale) {
      bytes += (store.usage(name, version) as { bytes: number }).bytes;
      records += store.clear(name, version) as number;
    }
    return { versions: stale.length, records, bytes };
  }

  /**
   * Removes least recently used records from a whole cache directory until every limit
   * holds, and temporary files left over from interrupted writes (older than a minute).
   * A record's last use is its file's modification time, which the library refreshes on
   * hits (at most hourly), so it holds on `noatime` mounts too. Version folders left
   * without records go with their last record.
   *
   * @throws FunesError `FUNES_BAD_OPTION` for a limit it cannot read.
   * @example
   * ```ts
   * const { removed, freedBytes, kept } = Memorious.prune({ maxBytes: '10G', maxAge: '30d' });
   * Memorious.prune({ dir: 'results/cache', maxEntries: 10_000, dryRun: true });
   * ```
   */
  static prune(options: PruneOptions = {}): PruneSummary {
    const { dir, maxBytes, maxAge, maxEntries, dryRun } = options;
    return prune(
      cacheRoot(dir),
      {
        maxBytes: maxBytes === undefined ? undefined : parseBytes(maxBytes),
        maxAge: maxAge === undefined ? undefined : parseDuration(maxAge),
        maxEntries: maxEntries === undefined ? undefined : parseCount(maxEntries),
      },
      { dryRun },
    );
  }
}

function onBad(store: Store, name: string): (where: string, error: unknown) => void {
  return (where, error) => warnOnce(name, 'FUNES_INVALID_RECORD', `${where} is not a usable record (${describeError(error)}); skipped`);
}

/** Valid, unexpired records of one version, oldest first, as callers see them; invalid ones are warned about. */
function results<O>(store: Store, name: string, version: string, entries: StoredEntry[], maxAge: number | undefined): CachedResult<O>[] {
  const records: StoredRecord[] = [];
  const now = Date.now();
  for (const { key, value } of entries) {
    const why = invalidity(value, version, key);
    if (why) warnOnce(name, 'FUNES_INVALID_RECORD', `${store.describe(name, version, key)} is not a usable record (${why}); skipped`);
    // An expired record is no result: a call would compute it again.
    else if (maxAge === undefined || now - (value as StoredRecord).created <= maxAge) records.push(value as StoredRecord);
  }
  records.sort((a, b) => a.created - b.created || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return records.map(({ input, output, time }) => ({ input, output, time }) as CachedResult<O>);
}

/** The method's store, which this synchronous helper needs to answer now. */
function synchronous(m: RegisteredMethod, verb: string, instead?: string): Store {
  const store = m.store();
  if (store.synchronous) return store;
  throw new FunesError(
    'FUNES_ASYNC_STORE',
    `Memorious.${verb} answers at once, but the method's store is asynchronous (Redis)` +
      (instead ? `; use Memorious.${instead}` : '; use the funes CLI with --redis, or the store itself'),
  );
}

function asResult<O>(record: StoredRecord | undefined): CachedResult<O> | undefined {
  return record && ({ input: record.input, output: record.output, time: record.time } as CachedResult<O>);
}

/** The method, the `this` its key is made with, and the seed when `target` is a `withSeed` view. */
function bound(target: unknown, verb: string): { m: RegisteredMethod; self: unknown; seed?: GlobalSeed } {
  const view = seededView(target);
  if (view) return { ...bound(view.self ? [view.self.value, view.fn] : view.fn, verb), seed: view.seed };
  if (Array.isArray(target)) {
    // Either half may be a withSeed view: `[lab, withSeed(lab, 3).fit]`, `[withSeed(lab, 3), lab.fit]`.
    const objectView = seededObject(target[0]);
    const seed = seededView(target[1])?.seed ?? objectView?.seed;
    const found = { m: known(target[1], verb), self: objectView ? objectView.target : target[0] };
    return seed === undefined ? found : { ...found, seed };
  }
  const m = known(target, verb);
  const implicit = m.implicitThis();
  if (!implicit) {
    throw new FunesError(
      'FUNES_UNBOUND',
      `Memorious.${verb}: the instance is part of '${(target as Function).name}''s key; pass it with the method: Memorious.${verb}([obj, obj.${(target as Function).name}], ...)`,
    );
  }
  return { m, self: implicit.self };
}

function known(method: unknown, verb: string): RegisteredMethod {
  const m = registered(seededView(method)?.fn ?? method);
  if (!m) {
    const name = typeof method === 'function' ? `'${method.name}'` : typeof method;
    throw new FunesError(
      'FUNES_NOT_MEMORIOUS',
      `Memorious.${verb} takes a @memorious method (obj.method or Class.prototype.method), got ${name}`,
    );
  }
  return m;
}
