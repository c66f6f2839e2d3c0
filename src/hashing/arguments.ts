import { createHash } from 'node:crypto';
import objectHash from 'object-hash';

/**
 * Binary values are replaced by this before object-hash sees them: object-hash hashes
 * every DataView alike and walks typed arrays element by element. Its constructor is
 * part of what object-hash hashes, so no user value can pose as one.
 */
class Bytes {
  constructor(
    readonly kind: string,
    readonly length: number,
    readonly sha256: string,
  ) {}
}

/** A hole in a sparse array; object-hash skips holes, so `[, 1]` and `[1, ,]` would meet. */
class Hole {}
const HOLE = new Hole();

/** object-hash writes numbers as text, and `String(-0)` is `'0'`; but `1 / -0` is not `1 / 0`. */
class NegativeZero {}
const NEGATIVE_ZERO = new NegativeZero();

function bytesOf(view: ArrayBufferView | ArrayBuffer | SharedArrayBuffer): Bytes {
  const isView = ArrayBuffer.isView(view);
  const bytes = isView ? new Uint8Array(view.buffer, view.byteOffset, view.byteLength) : new Uint8Array(view);
  const kind = Buffer.isBuffer(view) ? 'Buffer' : Object.prototype.toString.call(view).slice(8, -1);
  return new Bytes(kind, bytes.byteLength, createHash('sha256').update(bytes).digest('hex'));
}

function replacer(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return Object.is(value, -0) ? NEGATIVE_ZERO : value;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) {
    return bytesOf(value);
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return Array.from(value, (v, j) => (j in value ? v : HOLE));
    }
  }
  return value;
}

const OPTIONS: objectHash.NormalOption = { algorithm: 'sha256', encoding: 'hex', replacer };

/** A canonical hash of a value: equal for equal values whatever the order of object keys. */
export function hashValue(value: unknown): string {
  return objectHash(value === undefined ? { undefined: true } : (value as object), OPTIONS);
}

/**
 * An instance's own enumerable state, as a plain object: hashing the instance itself would
 * pull in its class's whole source, so editing any other method would miss every key.
 */
export function ownState(self: unknown): unknown {
  if ((typeof self !== 'object' && typeof self !== 'function') || self === null) return self ?? null;
  const state: Record<string, unknown> = {};
  for (const key of Object.keys(self)) state[key] = (self as Record<string, unknown>)[key];
  return state;
}
