import { configure, type FunesConfig } from './config';
import { describeError, FunesError, warnOnce } from './errors';
import { decode, invalidity, type CachedResult, type StoredRecord } from './record';
import { registered, type RegisteredMethod } from './registry';

type AnyMethod = (...args: never[]) => unknown;

/**
 * Static helpers to configure funes and to look into what a method has stored.
 * Each takes a decorated method as `obj.method` or `Class.prototype.method`.
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
    const { name, version } = m.identity();
    const store = m.store();
    const bad = (where: string, why: string): void =>
      warnOnce(name, 'FUNES_INVALID_RECORD', `${where} is not a usable record (${why}); skipped`);
    const records: StoredRecord[] = [];
    for (const { key, bytes } of store.list(name, version, (where, error) => bad(where, describeError(error)))) {
      let value: unknown;
      let why: string | undefined;
      try {
        value = decode(bytes);
        why = invalidity(value, version, key);
      } catch (error) {
        why = `it does not deserialize: ${describeError(error)}`;
      }
      if (why) bad(store.describe(name, version, key), why);
      else records.push(value as StoredRecord);
    }
    records.sort((a, b) => a.created - b.created || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return records.map(({ input, output, time }) => ({ input, output, time }) as CachedResult<Awaited<ReturnType<F>>>);
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
    const { name, version } = m.identity();
    return m.store().clear(name, options.allVersions ? undefined : version);
  }
}

function known(method: unknown, verb: string): RegisteredMethod {
  const m = registered(method);
  if (!m) {
    const name = typeof method === 'function' ? `'${method.name}'` : typeof method;
    throw new FunesError(
      'FUNES_NOT_MEMORIOUS',
      `Memorious.${verb} takes a @memorious method (obj.method or Class.prototype.method), got ${name}`,
    );
  }
  return m;
}
