import { createHash, hash } from 'node:crypto';

/** Reused between calls: a large number array is hashed through it a slice at a time. */
const chunk = new Float64Array(8192);
const chunkBytes = new Uint8Array(chunk.buffer);

/** The SHA-256 of a view's bytes (its window, for a DataView or a subarray). */
export function bytesDigest(view: ArrayBufferView | ArrayBuffer | SharedArrayBuffer): { digest: string; size: number } {
  const data = ArrayBuffer.isView(view) ? new Uint8Array(view.buffer, view.byteOffset, view.byteLength) : new Uint8Array(view);
  return { digest: hash('sha256', data, 'hex'), size: data.byteLength };
}

/**
 * The SHA-256 of an array's numbers as float64 bytes, or undefined if any element is not
 * a number (or is a hole). Each number keeps its exact bits, so -0 and 0 differ; every NaN
 * is written as the one canonical NaN, since JavaScript cannot tell NaNs apart either.
 * Copying a slice at a time into one small buffer keeps a 10 MB array within about twice
 * the cost of hashing the same numbers held in a Float64Array.
 */
export function numbersDigest(list: readonly unknown[]): string | undefined {
  // A getter on an element may make another key, which comes back here: it gets a buffer of its own.
  if (busy) return digestThrough(list, new Float64Array(chunk.length));
  busy = true;
  try {
    return digestThrough(list, chunk);
  } finally {
    busy = false;
  }
}

let busy = false;

function digestThrough(list: readonly unknown[], buffer: Float64Array): string | undefined {
  const bytes = buffer === chunk ? chunkBytes : new Uint8Array(buffer.buffer);
  // A list that fits in one slice is hashed in one shot, with no hash object.
  const hasher = list.length > buffer.length ? createHash('sha256') : undefined;
  let j = 0;
  for (let i = 0; i < list.length; i++) {
    const x = list[i];
    if (typeof x !== 'number') return undefined;
    buffer[j++] = x === x ? x : NaN;
    if (j === buffer.length && hasher) {
      hasher.update(bytes);
      j = 0;
    }
  }
  if (!hasher) return hash('sha256', bytes.subarray(0, j * 8), 'hex');
  if (j > 0) hasher.update(bytes.subarray(0, j * 8));
  return hasher.digest('hex');
}

/**
 * SHA-256 of a key's canonical text, as UTF-16 code units (so lone surrogates stay
 * distinct), in hex. One-shot: a hash object per key costs more than the hashing. A text
 * of up to 4,096 code units is encoded into one reused buffer, through a view of its
 * length made once, instead of a new Buffer per key.
 */
export function textDigest(text: string): string {
  const size = text.length * 2;
  if (size > scratch.length) return hash('sha256', Buffer.from(text, 'utf16le'), 'hex');
  scratch.write(text, 0, size, 'utf16le');
  let view = scratchViews[size];
  if (view === undefined) scratchViews[size] = view = scratch.subarray(0, size);
  return hash('sha256', view, 'hex');
}

/** Where `textDigest` encodes a short text: nothing runs between the encoding and the hashing, so one is enough. */
const scratch = Buffer.allocUnsafeSlow(8192);
const scratchViews: Buffer[] = [];
