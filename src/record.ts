/**
 * The on-disk format. Bump it whenever keys, versions or the record's shape change
 * meaning: it is part of every version hash, so old caches miss cleanly.
 */
export const FORMAT = 4;

/**
 * One remembered call, as stored: `v8.deserialize(readFileSync(file))` returns exactly this.
 *
 * @example
 * ```js
 * const { input, output, time } = require('v8').deserialize(require('fs').readFileSync(file));
 * ```
 */
export interface StoredRecord<Output = unknown> {
  /** Each parameter name, in declaration order, to the value given; plus `global_seed` when one was. */
  readonly input: Record<string, unknown>;
  /** What the method returned (for an async method, what its Promise resolved to). */
  readonly output: Output;
  /** Seconds the computation took. */
  readonly time: number;
  /** The on-disk format this record was written in. */
  readonly format: number;
  /** `Class.method` that made it. */
  readonly method: string;
  /** The version hash it was stored under; a record moved elsewhere is caught by it. */
  readonly version: string;
  /** The argument hash it was stored under, likewise. */
  readonly key: string;
  /** Whether the method returned a Promise, so that a hit does too. */
  readonly async: boolean;
  /** When it was written, milliseconds since the epoch. */
  readonly created: number;
  /**
   * What the key was made of: a short hash of the arguments (`args`) and of each field of
   * the instance (`this.data`). With `DEBUG=funes`, a miss is explained by them.
   */
  readonly parts?: Readonly<Record<string, string>>;
}

/**
 * The part of a record that `Memorious.loadCachedResults` hands back.
 * @example `const best = Memorious.loadCachedResults(lab.fit).sort((a, b) => a.output.loss - b.output.loss)[0];`
 */
export interface CachedResult<Output = unknown> {
  /** Each parameter name, in order, to the value given; plus `global_seed` when one was. */
  readonly input: Record<string, unknown>;
  /** What the method returned (resolved, for an async method). */
  readonly output: Output;
  /** Seconds the computation took. */
  readonly time: number;
}

/** Why a stored value cannot be served as the record for `version`/`key`, or undefined if it can. */
export function invalidity(value: unknown, version: string, key?: string): string | undefined {
  if (typeof value !== 'object' || value === null) return 'it is not an object';
  const r = value as Partial<StoredRecord>;
  if (typeof r.format !== 'number') return 'it has no format version';
  if (r.format > FORMAT) return `it was written in format ${r.format}, newer than this funes (${FORMAT})`;
  if (r.format !== FORMAT) return `it was written in old format ${r.format}`;
  if (r.version !== version) return 'it belongs to another version';
  if (key !== undefined && r.key !== key) return 'it belongs to another key';
  if (typeof r.input !== 'object' || r.input === null) return 'it has no input';
  if (!('output' in r)) return 'it has no output';
  if (typeof r.time !== 'number' || !(r.time >= 0)) return 'it has no time';
  if (typeof r.async !== 'boolean') return 'it does not say whether it is async';
  if (typeof r.created !== 'number' || !Number.isFinite(r.created)) return 'it does not say when it was written';
  return undefined;
}

