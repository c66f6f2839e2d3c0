import { deserialize, serialize } from 'node:v8';
import type { StoredRecord } from '../record';

/** A record that `v8.serialize` refused (a function or a Symbol in it). */
export class RecordEncodeError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'RecordEncodeError';
  }
}

/** Stored bytes that `v8.deserialize` refused: truncated, garbage, or from a newer Node. */
export class RecordDecodeError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'RecordDecodeError';
  }
}

/**
 * A record's bytes: plain `v8.serialize`, so that no library is needed to read them back.
 * @throws RecordEncodeError
 */
export function encodeRecord(record: StoredRecord): Uint8Array {
  try {
    return serialize(record);
  } catch (error) {
    throw new RecordEncodeError(error);
  }
}

/** @throws RecordDecodeError */
export function decodeRecord(bytes: Uint8Array): unknown {
  try {
    return deserialize(bytes);
  } catch (error) {
    throw new RecordDecodeError(error);
  }
}
