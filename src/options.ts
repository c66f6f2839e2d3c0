import { FunesError } from './errors';
import { isCacheMode, isStore, type CacheMode } from './config';
import { parseDuration } from './limits';
import type { Store } from './store/types';

/**
 * Options of `@memorious(options)`. All are optional; `@memorious` alone uses none.
 * @example `@memorious({ cacheDir: 'results/cache', maxAge: '30d', ignore: ['verbose'] })`
 */
export interface MemoriousOptions {
  /**
   * For a plain function (`memorious(options)(fn)`): the name its records go under,
   * `<cacheDir>/<name>/<version>/<key>.bin`. Needed for an anonymous function or arrow;
   * otherwise the function's own name is used. Not for methods, which are named
   * `Class.method`.
   * @default the function's name
   * @example `const fit = memorious({ name: 'fit' })((lr: number) => train(lr));`
   */
  readonly name?: string;
  /**
   * Where this method's records live. A relative path is taken from `process.cwd()`.
   * @default `Memorious.configure({ cacheDir })`, else `$FUNES_CACHE_DIR`, else `./cache`
   * @example `@memorious({ cacheDir: 'results/cache' })`
   */
  readonly cacheDir?: string;
  /**
   * Mixed into the version hash: change it to retire every stored result of the method
   * when something its source does not show has changed (a data file, a library).
   * @default none
   * @example `@memorious({ version: '2024-05 dataset' })`
   */
  readonly version?: string | number;
  /**
   * What else the method's results depend on, beyond what funes follows by itself (the
   * names the method reads, in its module and the project's own modules):
   * - a package name (`'mathjs'`): its installed version joins the version, so an
   *   upgrade retires stored results;
   * - a function or class: its code joins the version. Rarely needed now, since names
   *   the method reads are followed anyway; useful for code reached only at run time.
   * @default []
   * @example `@memorious({ dependsOn: ['mathjs', preprocess] })`
   */
  readonly dependsOn?: readonly (Function | string)[];
  /**
   * Leave the instance's own state out of the key. Only for methods whose result does
   * not depend on `this`: two differently configured instances would then share results.
   * @default false
   * @example `@memorious({ ignoreThis: true })`
   */
  readonly ignoreThis?: boolean;
  /**
   * How long a record stays good, in milliseconds or as a duration such as `'30d'`,
   * `'12h'`, `'15m'`: an older record is a miss, computed again and replaced.
   * @default no limit
   * @example `@memorious({ maxAge: '7d' })`
   */
  readonly maxAge?: number | string;
  /**
   * Parameters left out of the key but kept in the record's input: arguments that do not
   * change the result, such as a logger or a verbosity flag.
   * @default []
   * @example `@memorious({ ignore: ['verbose'] })`
   */
  readonly ignore?: readonly string[];
  /**
   * Computes what the key is made of, from the bound input and the instance, in place of
   * the input and the instance's state. Return plain data; the result is hashed.
   * @default the input and the instance's own state
   * @example `@memorious({ key: (input) => [input.dataset, input.seed] })`
   */
  readonly key?: (input: Readonly<Record<string, unknown>>, self: unknown) => unknown;
  /**
   * One computation per key across processes: the first caller takes a lock beside the
   * record, the others wait for its record instead of computing it again. A lock whose
   * holder died is taken over. Sync methods wait by blocking their thread.
   * @default true for async methods, false for sync ones
   * @example `@memorious({ lock: true })`
   */
  readonly lock?: boolean;
  /**
   * Where this method's records are kept, in place of files in the cache directory: a
   * `MemoryStore`, a `RedisStore`, or your own `Store`. An asynchronous store (Redis) can
   * serve only async methods.
   * @default files under `cacheDir`
   * @example `@memorious({ store: new RedisStore({ url: 'redis://cache:6379' }) })`
   */
  readonly store?: Store;
  /**
   * How this method uses the cache: `'on'`, `'off'`, `'refresh'` or `'read-only'` (see
   * `CacheMode`). Wins over `Memorious.configure({ mode })` and `$FUNES_MODE`.
   * @default the configured mode, else `$FUNES_MODE`, else `'on'`
   * @example `@memorious({ mode: 'read-only' })`
   */
  readonly mode?: CacheMode;
}

const KNOWN: Record<keyof MemoriousOptions, (v: unknown) => boolean> = {
  name: (v) => typeof v === 'string' && v.trim().length > 0,
  cacheDir: (v) => typeof v === 'string' && v.length > 0,
  version: (v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)),
  dependsOn: (v) => Array.isArray(v) && v.every((f) => typeof f === 'function' || (typeof f === 'string' && f.length > 0)),
  ignoreThis: (v) => typeof v === 'boolean',
  maxAge: (v) => {
    try {
      return (typeof v === 'number' || typeof v === 'string') && parseDuration(v) > 0;
    } catch {
      return false;
    }
  },
  ignore: (v) => Array.isArray(v) && v.every((name) => typeof name === 'string'),
  key: (v) => typeof v === 'function',
  lock: (v) => typeof v === 'boolean',
  store: (v) => isStore(v),
  mode: (v) => isCacheMode(v),
};

const EXPECTED: Record<keyof MemoriousOptions, string> = {
  name: 'a non-empty name',
  cacheDir: 'a non-empty path',
  version: 'a string or a finite number',
  dependsOn: 'an array of functions and package names',
  ignoreThis: 'a boolean',
  maxAge: 'a positive number of milliseconds or a duration such as 30d, 12h, 15m',
  ignore: 'an array of parameter names',
  key: 'a function (input, self) => data to hash',
  lock: 'a boolean',
  store: 'a Store (FileStore, MemoryStore, RedisStore or your own)',
  mode: "one of 'on', 'off', 'refresh', 'read-only'",
};

/** Checks options once, at decoration, so that a typo fails where it was made. */
export function checkOptions(options: unknown): MemoriousOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new FunesError('FUNES_BAD_OPTION', `@memorious options must be an object, got ${describe(options)}`);
  }
  for (const [key, value] of Object.entries(options)) {
    if (!(key in KNOWN)) {
      throw new FunesError(
        'FUNES_BAD_OPTION',
        `@memorious has no option '${key}'; known options: ${Object.keys(KNOWN).join(', ')}`,
      );
    }
    const name = key as keyof MemoriousOptions;
    if (value !== undefined && !KNOWN[name](value)) {
      throw new FunesError('FUNES_BAD_OPTION', `@memorious option '${key}' must be ${EXPECTED[name]}, got ${describe(value)}`);
    }
  }
  const checked = options as MemoriousOptions;
  if (checked.store && checked.cacheDir) {
    throw new FunesError('FUNES_BAD_OPTION', '@memorious: give either store or cacheDir; cacheDir says where files go');
  }
  if (checked.key && (checked.ignore || checked.ignoreThis)) {
    throw new FunesError('FUNES_BAD_OPTION', '@memorious: give either key, or ignore/ignoreThis; key decides the whole key');
  }
  return Object.freeze({ ...checked });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? JSON.stringify(value) : typeof value;
}
