import { createHash, hash } from 'node:crypto';

/** Reused between calls: a large number array is hashed through it a slice at a time. */
const chunk = new Float64Array(8192);
const chunkBytes = new Uint8Array(chunk.buffer);

/** The SHA-256 of a view's bytes (its window, for a DataView or a subarray). */
export function bytesDigest(view: ArrayBufferView | ArrayBuffer | SharedArrayBuffer): { digest: string; size: number } {
  const data = ArrayBuffer.isView(view) ? new Uint8Array(view.buffer, view.byteOffset, view.byteLength) : new Uint8Array(view);
  return { digest: createHash('sha256').update(data).digest('hex'), size: data.byteLength };
}

/**
 * The SHA-256 of an array's numbers as float64 bytes, or undefined if any element is not
 * a number (or is a hole). Each number keeps its exact bits, so -0 and 0 differ; every NaN
 * is written as the one canonical NaN, since JavaScript cannot tell NaNs apart either.
 * Copying a slice at a time into one small buffer keeps a 10 MB array within about twice
 * the cost of hashing the same numbers held in a Float64Array.
 */
export function numbersDigest(list: readonly unknown[]): string | undefined {
  const hash = createHash('sha256');
  let j = 0;
  for (let i = 0; i < list.length; i++) {
    const x = list[i];
    if (typeof x !== 'number') return undefined;
    chunk[j++] = x === x ? x : NaN;
    if (j === chunk.length) {
      hash.update(chunkBytes);
      j = 0;
    }
  }
  if (j > 0) hash.update(chunkBytes.subarray(0, j * 8));
  return hash.digest('hex');
}

/**
 * SHA-256 of a key's canonical text, as UTF-16 code units (so lone surrogates stay
 * distinct), in hex. One-shot: a hash object per key costs more than the hashing.
 */
export function textDigest(text: string): string {
  return hash('sha256', Buffer.from(text, 'utf16le'), 'hex');
}
