import { FunesError } from '../errors';
import type { StoredRecord } from '../record';
import { decodeRecord, encodeRecord } from './codec';
import { hexSegment, safeSegment } from './names';
import { connect, firstConnection, serverOf, type RedisClient } from './redis-client';
import { takeLock } from './redis-lock';
import type { Lock, RecordLocation, Store, StoredEntry, Usage, VersionMeta, WriteOptions } from './types';

/**
 * One record's key and stored size, as `RedisStore.sizes` lists them.
 * @example `for (const { key, bytes } of await store.sizes('Lab.fit', version)) ...`
 */
export interface RecordSize {
  /** The argument hash. */
  readonly key: string;
  /** Bytes as stored. */
  readonly bytes: number;
}

/**
 * How a `RedisStore` connects and names its keys.
 *
 * @example
 * ```ts
 * new RedisStore({ url: 'redis://cache.lab:6379/2', prefix: 'sweep', lockTtlMs: 60_000 });
 * ```
 */
export interface RedisStoreOptions {
  /**
   * Where Redis listens, as `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS).
   * Ignored when `client` is given.
   * @default 'redis://127.0.0.1:6379'
   * @example `{ url: process.env.REDIS_URL }`
   */
  readonly url?: string;
  /**
   * A connected ioredis client to use instead of making one from `url`; `close()` leaves
   * it open, since it is yours. Give it `enableOfflineQueue: false` and a small
   * `maxRetriesPerRequest`, or calls wait for Redis while it is down instead of computing.
   * @example `{ client: new Redis({ host: 'cache', enableOfflineQueue: false, maxRetriesPerRequest: 1 }) }`
   */
  readonly client?: RedisClient;
  /**
   * The first part of every key, so that several caches (or other data) share one Redis.
   * @default 'funes'
   * @example `{ prefix: 'lab-a' }`
   */
  readonly prefix?: string;
  /**
   * How long a computation's lock lives without renewal: a holder renews it every third
   * of this while it computes, so it only runs out when the holder died or lost Redis;
   * then another worker takes over. Keep it well above a network hiccup.
   * @default 30000
   * @example `{ lockTtlMs: 120_000 }`
   */
  readonly lockTtlMs?: number;
  /**
   * How long the first commands wait for the first connection; afterwards, commands
   * sent while Redis is unreachable fail at once, so funes computes instead of waiting.
   * @default 5000
   * @example `{ connectTimeoutMs: 1000 }`
   */
  readonly connectTimeoutMs?: number;
}

/** Keys per SCAN step and per batch of reads. */
const BATCH = 500;
const HEX = /^[0-9a-f]{1,128}$/;

/**
 * Records in Redis, shared by every process and machine that reaches it: key
 * `<prefix>:<Class.method>:<version>:<argument hash>`, value the record's v8 bytes
 * (the same bytes a `FileStore` writes to a `.bin` file). Asynchronous, so it serves
 * async methods only.
 *
 * - A write is one `SET`: readers see a whole record or none. `maxAge` becomes Redis expiry (`PX`).
 * - One computation per key across machines: a lock `SET <key>:lock <token> NX PX lockTtlMs`,
 *   renewed while its holder computes and released by token; a holder that dies lets it expire.
 * - While Redis is unreachable every command fails at once: calls compute, funes warns
 *   once, and caching resumes by itself when Redis is back.
 * - Listing, counting and clearing walk keys with `SCAN`, never `KEYS`.
 *
 * ioredis is an optional peer dependency: install it beside funes (`npm install ioredis`).
 *
 * @example
 * ```ts
 * import { memorious, Memorious, RedisStore } from 'funes';
 *
 * const store = new RedisStore({ url: 'redis://cache.lab:6379' });
 * class Lab {
 *   @memorious({ store })
 *   async fit(alpha: number): Promise<number> { return train(alpha); }
 * }
 * // or for every method: Memorious.configure({ store });
 * ```
 */
export class RedisStore implements Store {
  /**
   * Always `false`: Redis answers over the network, so sync methods cannot use this store.
   * @example `if (!store.synchronous) await store.read(loc);`
   */
  readonly synchronous = false;
  /**
   * The ioredis client in use.
   * @example `await store.client.call('DBSIZE');`
   */
  readonly client: RedisClient;
  /**
   * The first part of every key.
   * @example `store.prefix // 'funes'`
   */
  readonly prefix: string;
  /**
   * Milliseconds a lock lives without renewal.
   * @example `store.lockTtlMs // 30000`
   */
  readonly lockTtlMs: number;
  private readonly owned: boolean;
  private connecting: Promise<void> | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Escaped segments by method name: `safeSegment` is most of a key's cost. */
  private readonly segments = new Map<string, string>();

  /**
   * Connects to Redis (lazily loading ioredis) or adopts the client given.
   * @throws FunesError `FUNES_MISSING_DEPENDENCY` when ioredis is not installed, `FUNES_BAD_OPTION` for a bad option.
   * @example
   * ```ts
   * const store = new RedisStore({ url: 'redis://127.0.0.1:6379', prefix: 'sweep' });
   * ```
   */
  constructor(options: RedisStoreOptions = {}) {
    this.prefix = options.prefix ?? 'funes';
    if (typeof this.prefix !== 'string' || this.prefix === '') {
      throw new FunesError('FUNES_BAD_OPTION', `RedisStore: prefix must be a non-empty string, not ${JSON.stringify(options.prefix)}`);
    }
    this.lockTtlMs = options.lockTtlMs ?? 30_000;
    if (!Number.isInteger(this.lockTtlMs) || this.lockTtlMs < 30) {
      throw new FunesError('FUNES_BAD_OPTION', `RedisStore: lockTtlMs must be a whole number of milliseconds, at least 30; got ${String(options.lockTtlMs)}`);
    }
    if (options.client) {
      this.client = options.client;
      this.owned = false;
    } else {
      this.client = connect(options.url);
      this.owned = true;
    }
    this.connecting = firstConnection(this.client, options.connectTimeoutMs ?? 5000)?.then(() => {
      this.connecting = undefined;
    });
  }

  /**
   * The Redis key of a method, a version or a record: `<prefix>:<Class.method>:<version>:<argument hash>`,
   * the method made safe by `safeSegment` so that no name can reach into another's keys.
   * @example `store.key('Lab.fit', 'ab12', 'cd34') // 'funes:Lab.fit:ab12:cd34'`
   */
  key(method: string, version?: string, key?: string): string {
    let segment = this.segments.get(method);
    if (segment === undefined) {
      segment = safeSegment(method);
      this.segments.set(method, segment);
    }
    let out = `${this.prefix}:${segment}`;
    if (version !== undefined) out += `:${hexSegment(version)}`;
    if (key !== undefined) out += `:${hexSegment(key)}`;
    return out;
  }

  /**
   * Where a method, version or record lives: the server, then the key.
   * @example `store.describe('Lab.fit', v, k) // 'redis://127.0.0.1:6379 funes:Lab.fit:<v>:<k>'`
   */
  describe(method: string, version?: string, key?: string): string {
    return `${serverOf(this.client)} ${this.key(method, version, key)}`;
  }

  /**
   * The record at `loc`, decoded, or `undefined`.
   * @throws RecordDecodeError when the value is not a v8-serialized record; any error when Redis cannot be reached.
   * @example `const record = await store.read({ method: 'Lab.fit', version, key });`
   */
  async read(loc: RecordLocation): Promise<unknown> {
    await this.ready();
    const bytes = await this.client.getBuffer(this.key(loc.method, loc.version, loc.key));
    return bytes === null ? undefined : decodeRecord(bytes);
  }

  /**
   * Stores `record` with one `SET` (with `PX` when `maxAge` is given).
   * @throws RecordEncodeError when the record cannot be serialized (nothing is written).
   * @example `await store.write(loc, record, { maxAge: 86_400_000 });`
   */
  async write(loc: RecordLocation, record: StoredRecord, options?: WriteOptions): Promise<void> {
    const bytes = encodeRecord(record);
    const value = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const key = this.key(loc.method, loc.version, loc.key);
    await this.ready();
    if (options?.maxAge !== undefined) await this.client.call('SET', key, value, 'PX', Math.max(1, Math.ceil(options.maxAge)));
    else await this.client.call('SET', key, value);
  }

  /**
   * Whether a record is stored at `loc`.
   * @example `if (await store.has(loc)) ...`
   */
  async has(loc: RecordLocation): Promise<boolean> {
    await this.ready();
    return (await this.client.call('EXISTS', this.key(loc.method, loc.version, loc.key))) === 1;
  }

  /**
   * Removes the record at `loc`, if any.
   * @example `await store.delete(loc);`
   */
  async delete(loc: RecordLocation): Promise<void> {
    await this.ready();
    await this.client.call('UNLINK', this.key(loc.method, loc.version, loc.key));
  }

  /**
   * Every record of one version, decoded; one that does not decode goes to `onError`.
   * @example `const entries = await store.list('Lab.fit', version, (where, e) => console.warn(where, e));`
   */
  async list(method: string, version: string, onError: (where: string, error: unknown) => void): Promise<StoredEntry[]> {
    const keys = await this.recordKeys(method, version);
    const out: StoredEntry[] = [];
    for (let i = 0; i < keys.length; i += BATCH) {
      const batch = keys.slice(i, i + BATCH);
      const values = await Promise.all(batch.map((k) => this.client.getBuffer(this.key(method, version, k))));
      values.forEach((bytes, j) => {
        const key = batch[j]!;
        if (bytes === null) return; // expired or removed while we listed
        try {
          out.push({ key, value: decodeRecord(bytes) });
        } catch (error) {
          onError(this.describe(method, version, key), error);
        }
      });
    }
    return out;
  }

  /**
   * How many records one version holds and their bytes (`STRLEN` of each value).
   * @example `const { records, bytes } = await store.usage('Lab.fit', version);`
   */
  async usage(method: string, version: string): Promise<Usage> {
    const sizes = await this.sizes(method, version);
    return { records: sizes.length, bytes: sizes.reduce((n, s) => n + s.bytes, 0) };
  }

  /**
   * Each record of one version with its size in bytes (`STRLEN`), without reading it.
   * @example `for (const { key, bytes } of await store.sizes('Lab.fit', version)) ...`
   */
  async sizes(method: string, version: string): Promise<RecordSize[]> {
    const keys = await this.recordKeys(method, version);
    const out: { key: string; bytes: number }[] = [];
    for (let i = 0; i < keys.length; i += BATCH) {
      const batch = keys.slice(i, i + BATCH);
      const sizes = await Promise.all(batch.map((k) => this.client.call('STRLEN', this.key(method, version, k))));
      sizes.forEach((n, j) => {
        // 0: expired or removed since the SCAN.
        if (typeof n === 'number' && n > 0) out.push({ key: batch[j]!, bytes: n });
      });
    }
    return out;
  }

  /**
   * The versions stored for a method (those with records, a meta entry or a lock).
   * @example `const versions = await store.versions('Lab.fit');`
   */
  async versions(method: string): Promise<string[]> {
    const base = this.key(method) + ':';
    const found = new Set<string>();
    for (const key of await this.scan(`${globEscape(base)}*`)) {
      const rest = key.slice(base.length).split(':');
      if (rest.length >= 2 && HEX.test(rest[0]!)) found.add(rest[0]!);
    }
    return [...found].sort();
  }

  /**
   * Removes one version of a method (records, meta, locks), or every version and the
   * `current` marker when `version` is omitted; returns the records removed. Deletes with `UNLINK`.
   * @example `const removed = await store.clear('Lab.fit');`
   */
  async clear(method: string, version?: string): Promise<number> {
    const base = version === undefined ? this.key(method) : this.key(method, version);
    const keys = await this.scan(`${globEscape(base)}:*`);
    let records = 0;
    for (const key of keys) {
      const rest = key.slice(base.length + 1).split(':');
      const isRecord = version === undefined ? rest.length === 2 && HEX.test(rest[0]!) && HEX.test(rest[1]!) : rest.length === 1 && HEX.test(rest[0]!);
      if (isRecord) records++;
    }
    for (let i = 0; i < keys.length; i += BATCH) await this.client.call('UNLINK', ...keys.slice(i, i + BATCH));
    return records;
  }

  /**
   * Takes the lock on computing `loc`'s record (`SET <key>:lock <token> NX PX lockTtlMs`),
   * or returns `undefined` while another worker holds it. With `beats`, the lock is renewed
   * every `lockTtlMs / 3` until released.
   * @example
   * ```ts
   * const lock = await store.tryLock(loc, true);
   * if (lock) try { await store.write(loc, await compute()); } finally { await lock.release(); }
   * ```
   */
  async tryLock(loc: RecordLocation, beats: boolean): Promise<Lock | undefined> {
    await this.ready();
    return takeLock(this.client, `${this.key(loc.method, loc.version, loc.key)}:lock`, this.lockTtlMs, beats, this.timers);
  }

  /**
   * Keeps what produced a version once (`<prefix>:<method>:<version>:meta`, JSON, `SET NX`)
   * and marks it current (`<prefix>:<method>:current`); returns the version marked before, if another.
   * @example `const before = await store.noteVersion({ version, format, method, source, params, created });`
   */
  async noteVersion(meta: VersionMeta & { readonly version: string }): Promise<string | undefined> {
    const { version, ...rest } = meta;
    await this.ready();
    await this.client.call('SET', `${this.key(meta.method, version)}:meta`, JSON.stringify(rest), 'NX');
    const before = await this.client.call('GETSET', `${this.key(meta.method)}:current`, version);
    return typeof before === 'string' && before !== version ? before : undefined;
  }

  /**
   * What produced a version, as `noteVersion` kept it, or undefined.
   * @example `const meta = await store.readMeta('Lab.fit', version);`
   */
  async readMeta(method: string, version: string): Promise<Partial<VersionMeta> | undefined> {
    await this.ready();
    const text = await this.client.call('GET', `${this.key(method, version)}:meta`);
    if (typeof text !== 'string') return undefined;
    try {
      const value: unknown = JSON.parse(text);
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Partial<VersionMeta>) : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * The version a program last marked current for `method`, or undefined.
   * @example `const current = await store.current('Lab.fit');`
   */
  async current(method: string): Promise<string | undefined> {
    await this.ready();
    const text = await this.client.call('GET', `${this.key(method)}:current`);
    return typeof text === 'string' && HEX.test(text) ? text : undefined;
  }

  /**
   * The methods stored under this prefix, as their key segments (`safeSegment` of `Class.method`);
   * `segmentName` or a version's meta gives the name back.
   * @example `for (const segment of await store.methods()) console.log(segment);`
   */
  async methods(): Promise<string[]> {
    const base = `${this.prefix}:`;
    const found = new Set<string>();
    for (const key of await this.scan(`${globEscape(base)}*`)) {
      const segment = key.slice(base.length).split(':')[0];
      if (segment) found.add(segment);
    }
    return [...found].sort();
  }

  /**
   * Stops renewing locks and, for a client this store made, quits it (a client you gave stays open).
   * @example `afterAll(() => store.close());`
   */
  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers.clear();
    if (!this.owned) return;
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }

  /** Keys matching `pattern`, by SCAN cursor. */
  private async scan(pattern: string): Promise<string[]> {
    await this.ready();
    const out = new Set<string>();
    let cursor = '0';
    do {
      const [next, keys] = (await this.client.call('SCAN', cursor, 'MATCH', pattern, 'COUNT', BATCH)) as [string, string[]];
      for (const k of keys) out.add(k);
      cursor = next;
    } while (cursor !== '0');
    return [...out];
  }

  /** The argument hashes of one version's records. */
  private async recordKeys(method: string, version: string): Promise<string[]> {
    const base = this.key(method, version) + ':';
    const keys: string[] = [];
    for (const key of await this.scan(`${globEscape(base)}*`)) {
      const rest = key.slice(base.length);
      if (HEX.test(rest)) keys.push(rest);
    }
    return keys.sort();
  }

  /**
   * Waits for the first connection only: commands sent before it would fail with the
   * offline queue off. Later outages are not waited for.
   */
  private async ready(): Promise<void> {
    if (this.connecting) await this.connecting;
  }
}

/** Escapes the characters SCAN's MATCH treats as a pattern (`safeSegment` never makes them; a prefix might). */
function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
