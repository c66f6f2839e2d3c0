import { resolve } from 'node:path';
import { FunesError } from './errors';
import { parseBytes, parseDuration } from './limits';
import { DEFAULT_MEMORY_BYTES, memoryTier } from './store/memory-tier';
import { FileStore } from './store/file-store';
import type { Store } from './store/types';

/**
 * Process-wide settings, for `Memorious.configure`.
 * @example `Memorious.configure({ cacheDir: '/scratch/funes' })`
 */
export interface FunesConfig {
  /**
   * The cache directory for methods that set none; `undefined` returns to the default.
   * @default `$FUNES_CACHE_DIR`, else `./cache` in the working directory
   */
  readonly cacheDir?: string;
  /**
   * The store for methods that set neither `store` nor `cacheDir`, in place of files in
   * the cache directory; `undefined` returns to files.
   * @example `Memorious.configure({ store: new RedisStore({ url: 'redis://cache:6379' }) })`
   */
  readonly store?: Store;
  /**
   * How long making one call's key may take before funes warns (`FUNES_SLOW_KEY`, once per
   * method), in milliseconds or as a duration such as `'50ms'`; `undefined` returns to the default.
   * @default 10 ms
   * @example `Memorious.configure({ slowKey: '100ms' })`
   */
  readonly slowKey?: number | string;
  /**
   * How every memorized method and function uses the cache, unless its own `mode` option
   * says otherwise; `undefined` returns to `$FUNES_MODE`, else `'on'`. See {@link CacheMode}.
   * @example `Memorious.configure({ mode: 'read-only' })`
   */
  readonly mode?: CacheMode;
  /**
   * The memory tier's budget, in bytes or as a size such as `'256M'`: repeated hits of
   * records in files are served from memory, after one `stat` shows the file unchanged,
   * holding the most recently used records' bytes up to this many (one record at most a
   * sixteenth of it). `0` turns the tier off; `undefined` returns to the default.
   * @default 64 MiB
   * @example `Memorious.configure({ memoryBytes: '1G' })`
   */
  readonly memoryBytes?: number | string;
}

/**
 * How calls use the cache:
 * - `'on'`: serve hits, compute and store misses (the default);
 * - `'off'`: neither read nor write: every call computes, as if undecorated;
 * - `'refresh'`: compute every call and replace its stored record;
 * - `'read-only'`: serve hits, compute misses but never write (a shared cache a job must not change).
 *
 * Set it without touching code with `FUNES_MODE=off`, for the whole process with
 * `Memorious.configure({ mode })`, or per method with `@memorious({ mode })`; the most
 * specific one wins.
 * @example `FUNES_MODE=refresh node sweep.js`
 */
export type CacheMode = 'on' | 'off' | 'refresh' | 'read-only';

const MODES: readonly CacheMode[] = ['on', 'off', 'refresh', 'read-only'];

/** Whether `value` is a cache mode. */
export function isCacheMode(value: unknown): value is CacheMode {
  return MODES.includes(value as CacheMode);
}

/** The error for a mode that is none of the four. */
export function badMode(where: string, value: unknown): FunesError {
  return new FunesError('FUNES_BAD_OPTION', `${where} must be one of ${MODES.join(', ')}; got ${JSON.stringify(value)}`);
}

/** `$FUNES_MODE`, read at the first call and again after `Memorious.configure({ mode: undefined })`. */
let envMode: CacheMode | undefined;

/** The configured mode, else `$FUNES_MODE`, else `'on'`; a bad `$FUNES_MODE` throws at the call. */
export function cacheMode(): CacheMode {
  if (settings.mode !== undefined) return settings.mode;
  // Read once: an environment variable is a setting for the process, and reading
  // process.env costs more than the rest of a small hit's bookkeeping.
  if (envMode === undefined) {
    const raw = process.env.FUNES_MODE;
    const mode = raw === undefined || raw === '' ? 'on' : raw.trim().toLowerCase();
    if (!isCacheMode(mode)) throw badMode('FUNES_MODE', raw);
    envMode = mode;
  }
  return envMode;
}

let settings: FunesConfig = {};
const DEFAULT_SLOW_KEY_MS = 10;
let slowKey = DEFAULT_SLOW_KEY_MS;

/** Milliseconds a call's key may take before `FUNES_SLOW_KEY`. */
export function slowKeyMs(): number {
  return slowKey;
}
const stores = new Map<string, FileStore>();

export function configure(config: FunesConfig): void {
  if (typeof config !== 'object' || config === null) {
    throw new FunesError('FUNES_BAD_OPTION', 'Memorious.configure takes an object, for example { cacheDir: "cache" }');
  }
  for (const [key, value] of Object.entries(config)) {
    if (key === 'cacheDir') {
      if (value !== undefined && (typeof value !== 'string' || value === '')) {
        throw new FunesError('FUNES_BAD_OPTION', 'Memorious.configure: cacheDir must be a non-empty path');
      }
    } else if (key === 'store') {
      if (value !== undefined && !isStore(value)) {
        throw new FunesError('FUNES_BAD_OPTION', 'Memorious.configure: store must be a Store (FileStore, MemoryStore, RedisStore or your own)');
      }
    } else if (key === 'mode') {
      if (value !== undefined && !isCacheMode(value)) throw badMode('Memorious.configure: mode', value);
      envMode = undefined;
    } else if (key === 'memoryBytes') {
      memoryTier.setBudget(value === undefined ? DEFAULT_MEMORY_BYTES : parseBytes(value as number | string, 'memoryBytes'));
    } else if (key === 'slowKey') {
      if (value !== undefined) slowKey = parseDuration(value as number | string, 'slowKey');
      else slowKey = DEFAULT_SLOW_KEY_MS;
    } else {
      throw new FunesError('FUNES_BAD_OPTION', `Memorious.configure has no setting '${key}'; known: cacheDir, store, slowKey, mode, memoryBytes`);
    }
  }
  settings = { ...settings, ...config };
}

/** Enough of the shape to catch a wrong value early; the interface's TSDoc says the rest. */
export function isStore(value: unknown): value is Store {
  const s = value as Partial<Store> | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.synchronous === 'boolean' &&
    ['read', 'write', 'has', 'delete', 'list', 'usage', 'versions', 'clear', 'describe'].every(
      (m) => typeof (s as Record<string, unknown>)[m] === 'function',
    )
  );
}

let last: { given: string; cwd: string; root: string } | undefined;

/** The directory a method's records go to, decided at each call so `configure` may come late. */
export function cacheRoot(cacheDir: string | undefined): string {
  const given = cacheDir ?? settings.cacheDir ?? (process.env.FUNES_CACHE_DIR || 'cache');
  const cwd = process.cwd();
  // Resolving is a good part of a hit's own cost; the answer rarely changes.
  if (last?.given !== given || last.cwd !== cwd) last = { given, cwd, root: resolve(cwd, given) };
  return last.root;
}

/**
 * The store a method uses now: its own `store`, else files in its own `cacheDir`, else
 * the configured store, else files in the configured or default cache directory.
 */
export function storeFor(store: Store | undefined, cacheDir: string | undefined): Store {
  if (store) return store;
  if (cacheDir === undefined && settings.store) return settings.store;
  return storeAt(cacheRoot(cacheDir));
}

export function storeAt(root: string): FileStore {
  let store = stores.get(root);
  if (!store) {
    store = new FileStore(root);
    stores.set(root, store);
  }
  return store;
}
