import { describeError, FunesError } from '../errors';
import { invalidity, type StoredRecord } from '../record';
import { safeSegment, segmentName } from '../store/names';
import { RedisStore } from '../store/redis-store';
import { newestFirst, type MethodDir, type RecordFile, type VersionDir } from '../store/scan';
import { CliError } from './errors';
import { oldestFirst, type LoadedRecord } from './select';

/** Which Redis, and which keys in it: `--redis URL` and `--prefix`. */
export interface RedisTarget {
  readonly url: string;
  readonly prefix: string;
}

/** A record of a Redis version that cannot be served, and why. */
export interface RedisProblem {
  readonly where: string;
  readonly key: string;
  readonly why: string;
}

/** Runs `fn` with a store on `target`, turning an unreachable Redis into one clear line, and closes it. */
export async function withRedis<T>(target: RedisTarget, fn: (store: RedisStore) => Promise<T>): Promise<T> {
  let store: RedisStore;
  try {
    store = new RedisStore({ url: target.url, prefix: target.prefix, connectTimeoutMs: 3000 });
  } catch (error) {
    if (error instanceof FunesError) throw new CliError(error.message);
    throw error;
  }
  try {
    return await fn(store);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`Redis at ${target.url}: ${describeError(error)}; check the URL and that Redis is running`);
  } finally {
    await store.close();
  }
}

/** Every method stored under the store's prefix, as the file scan shapes them (paths are `describe` strings). */
export async function scanRedis(store: RedisStore): Promise<MethodDir[]> {
  const methods = await Promise.all((await store.methods()).map((segment) => redisMethod(store, segment)));
  return methods.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The stored method named `Class.method` (or by its key segment). */
export async function findRedisMethod(store: RedisStore, name: string): Promise<MethodDir> {
  const segments = await store.methods();
  for (const segment of [safeSegment(name), name]) if (segments.includes(segment)) return redisMethod(store, segment);
  throw new CliError(`no method ${name} under ${store.describe(name).replace(/:[^:]*$/, ':*')}; run 'funes ls --redis URL' to see the stored methods`);
}

async function redisMethod(store: RedisStore, segment: string): Promise<MethodDir> {
  const name = await methodName(store, segment);
  const hashes = await store.versions(name);
  const versions = await Promise.all(
    hashes.map(async (hash): Promise<VersionDir> => {
      const [meta, sizes] = await Promise.all([store.readMeta(name, hash), store.sizes(name, hash)]);
      const records = sizes.map((s): RecordFile => ({ key: s.key, path: store.describe(name, hash, s.key), size: s.bytes, mtimeMs: 0 }));
      return { hash, path: store.describe(name, hash), mtimeMs: 0, meta, records, temps: [] };
    }),
  );
  return { segment, name, path: store.describe(name), current: await store.current(name), versions: newestFirst(versions), temps: [] };
}

/**
 * The `Class.method` a key segment was made from: unescaped, or (for a name too long to
 * restore) from a version's meta.
 */
async function methodName(store: RedisStore, segment: string): Promise<string> {
  const name = segmentName(segment);
  if (safeSegment(name) === segment) return name;
  const metas = (await store.client.call('SCAN', '0', 'MATCH', `${store.prefix}:${segment}:*:meta`, 'COUNT', 1000)) as [string, string[]];
  for (const key of metas[1]) {
    try {
      const meta = JSON.parse(String(await store.client.call('GET', key))) as { method?: unknown };
      if (typeof meta.method === 'string' && safeSegment(meta.method) === segment) return meta.method;
    } catch {
      // Unreadable meta: try the next.
    }
  }
  return name;
}

/** Every valid record of a version, oldest first; the others as problems. */
export async function loadRedisRecords(store: RedisStore, method: MethodDir, version: VersionDir): Promise<{ records: LoadedRecord[]; invalid: number; problems: RedisProblem[] }> {
  const problems: RedisProblem[] = [];
  const sizes = new Map(version.records.map((r) => [r.key, r]));
  const entries = await store.list(method.name, version.hash, (where, error) => {
    problems.push({ where, key: where.split(':').pop()!, why: `it does not deserialize: ${describeError(error)}` });
  });
  const records: LoadedRecord[] = [];
  for (const { key, value } of entries) {
    const where = store.describe(method.name, version.hash, key);
    const why = invalidity(value, version.hash, key);
    const record = value as StoredRecord;
    if (why) problems.push({ where, key, why });
    else if (typeof record.method === 'string' && safeSegment(record.method) !== method.segment) problems.push({ where, key, why: `it belongs to another method (${record.method})` });
    else records.push({ file: sizes.get(key) ?? { key, path: where, size: 0, mtimeMs: 0 }, record });
  }
  records.sort(oldestFirst);
  return { records, invalid: problems.length, problems };
}
