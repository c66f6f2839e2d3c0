/**
 * Codes of the errors funes throws. Each names a mistake the caller can fix.
 * @example `if (error instanceof FunesError && error.code === 'FUNES_BAD_SEED') ...`
 */
export type FunesErrorCode =
  | 'FUNES_NOT_A_METHOD'
  | 'FUNES_BAD_OPTION'
  | 'FUNES_BAD_SEED'
  | 'FUNES_UNHASHABLE'
  | 'FUNES_UNPARSABLE'
  | 'FUNES_NOT_MEMORIOUS'
  | 'FUNES_UNBOUND'
  | 'FUNES_ASYNC_STORE'
  /** An optional package a feature needs is not installed (ioredis, for `RedisStore`). */
  | 'FUNES_MISSING_DEPENDENCY';

/**
 * The one error class funes throws. Every instance is a misuse the caller can correct
 * (a bad option, an argument that cannot be hashed, a decorator in the wrong place),
 * which is why it extends `TypeError`; faults of the cache itself are never thrown,
 * only warned about.
 *
 * @example
 * ```ts
 * try { lab.fit(new WeakMap()); }
 * catch (e) { if (e instanceof FunesError && e.code === 'FUNES_UNHASHABLE') ... }
 * ```
 */
export class FunesError extends TypeError {
  /** A stable code to branch on; the message may change, the code will not. */
  readonly code: FunesErrorCode;

  constructor(code: FunesErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FunesError';
    this.code = code;
  }
}

/**
 * Codes of the warnings funes emits through `process.emitWarning` (type `FunesWarning`).
 * Filter on them with `process.on('warning', w => w.code === ...)`.
 * @example
 * ```ts
 * process.on('warning', (w: Error & { code?: FunesWarningCode }) => {
 *   if (w.code === 'FUNES_WRITE_FAILED') alertOps(w.message);
 * });
 * ```
 */
export type FunesWarningCode =
  | 'FUNES_UNSERIALIZABLE'
  /** An argument cannot be stored in the record; a placeholder stands in for it, and the output is stored. */
  | 'FUNES_UNSERIALIZABLE_INPUT'
  /** Making a call's key took longer than the `slowKey` threshold; names the largest part. */
  | 'FUNES_SLOW_KEY'
  | 'FUNES_LOSSY_OUTPUT'
  | 'FUNES_FUNCTION_IN_KEY'
  | 'FUNES_WRITE_FAILED'
  | 'FUNES_READ_FAILED'
  | 'FUNES_INVALID_RECORD'
  | 'FUNES_NO_OWNER'
  /** Two memorized functions or methods with different code keep their records under one name; a stale clear of one removes the other's. */
  | 'FUNES_NAME_CLASH'
  /** A method reads a value no source shows: a captured local, a reassigned module binding, an unresolvable import. */
  | 'FUNES_HIDDEN_DEPENDENCY';

const warned = new Set<string>();

/** Warns once per method and code: a sweep of a million calls must not print a million lines. */
export function warnOnce(method: string, code: FunesWarningCode, message: string): void {
  const id = `${method}\0${code}`;
  if (warned.has(id)) return;
  warned.add(id);
  process.emitWarning(`${method}: ${message}`, { type: 'FunesWarning', code });
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
