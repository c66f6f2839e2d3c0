import { deserialize, serialize } from 'node:v8';
import type { StoredRecord } from '../record';

/**
 * A record that `v8.serialize` refused (a function or a Symbol in it). A store throws it from `write`.
 * @example `try { encodeRecord(record); } catch (e) { if (e instanceof RecordEncodeError) ... }`
 */
export class RecordEncodeError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'RecordEncodeError';
  }
}

/**
 * Stored bytes that `v8.deserialize` refused: truncated, garbage, or from a newer Node. A store throws it from `read`.
 * @example `try { decodeRecord(bytes); } catch (e) { if (e instanceof RecordDecodeError) ... }`
 */
export class RecordDecodeError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'RecordDecodeError';
  }
}

/**
 * A record's bytes: plain `v8.serialize`, so that no library is needed to read them back.
 * Stores of your own encode with it, so that records look the same in every store.
 * @throws RecordEncodeError
 * @example `await redis.set(key, Buffer.from(encodeRecord(record)));`
 */
export function encodeRecord(record: StoredRecord): Uint8Array {
  try {
    return serialize(record);
  } catch (error) {
    throw new RecordEncodeError(error);
  }
}

/**
 * The record in stored bytes, not yet validated: `v8.deserialize`.
 * @throws RecordDecodeError
 * @example `const record = decodeRecord(readFileSync(file));`
 */
export function decodeRecord(bytes: Uint8Array): unknown {
  try {
    return deserialize(bytes);
  } catch (error) {
    throw new RecordDecodeError(error);
  }
}
