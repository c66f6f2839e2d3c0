import { resolve } from 'node:path';
import { FunesError } from './errors';
import { FileStore } from './store/file-store';

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
}

let settings: FunesConfig = {};
const stores = new Map<string, FileStore>();

export function configure(config: FunesConfig): void {
  if (typeof config !== 'object' || config === null) {
    throw new FunesError('FUNES_BAD_OPTION', 'Memorious.configure takes an object, for example { cacheDir: "cache" }');
  }
  for (const [key, value] of Object.entries(config)) {
    if (key !== 'cacheDir') {
      throw new FunesError('FUNES_BAD_OPTION', `Memorious.configure has no setting '${key}'; known: cacheDir`);
    }
    if (value !== undefined && (typeof value !== 'string' || value === '')) {
      throw new FunesError('FUNES_BAD_OPTION', 'Memorious.configure: cacheDir must be a non-empty path');
    }
  }
  settings = { ...settings, ...config };
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

export function storeAt(root: string): FileStore {
  let store = stores.get(root);
  if (!store) {
    store = new FileStore(root);
    stores.set(root, store);
  }
  return store;
}
