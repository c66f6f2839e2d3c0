import { describeError, warnOnce } from './errors';
import { decode, encode, invalidity, type StoredRecord } from './record';
import { log } from './log';
import { lossyPlace } from './roundtrip';
import type { RecordLocation, Store } from './store/types';

/**
 * The record at `loc`, or undefined for a miss. Whatever is wrong with what is stored
 * (unreadable, not a record, another key's, expired) is a miss, never an error: a bad
 * record is removed so that the write after the computation finds the place clear.
 */
export function readRecord(store: Store, loc: RecordLocation, maxAge: number | undefined): StoredRecord | undefined {
  let bytes: Uint8Array | undefined;
  try {
    bytes = store.read(loc);
  } catch (error) {
    warnOnce(loc.method, 'FUNES_READ_FAILED', `cannot read ${where(store, loc)} (${describeError(error)}); computing instead`);
    return undefined;
  }
  if (!bytes) return undefined;
  let why: string | undefined;
  let value: unknown;
  try {
    value = decode(bytes);
    why = invalidity(value, loc.version, loc.key);
  } catch (error) {
    why = `it does not deserialize (${describeError(error)})`;
  }
  if (!why) {
    const record = value as StoredRecord;
    // Expiry is the record's own business, not a fault: no warning.
    if (maxAge === undefined || Date.now() - record.created <= maxAge) return record;
    if (log.enabled) log('expired %s %s (older than %dms)', loc.method, loc.key, maxAge);
    return undefined;
  }
  warnOnce(loc.method, 'FUNES_INVALID_RECORD', `${where(store, loc)} is not a usable record: ${why}; recomputing it`);
  try {
    store.delete(loc);
  } catch {
    // The write that follows the computation replaces it anyway.
  }
  return undefined;
}

/**
 * Stores a record; a failure of any kind is a warning, and the caller keeps its result.
 * A part of the output that will not come back as it was is named in a warning too.
 */
export function writeRecord(store: Store, loc: RecordLocation, record: StoredRecord): boolean {
  const lossy = lossyPlace(record.output);
  if (lossy && !lossy.fatal) {
    warnOnce(loc.method, 'FUNES_LOSSY_OUTPUT', `${lossy.path} ${lossy.why}; a hit will return it so`);
  }
  let bytes: Uint8Array;
  try {
    bytes = encode(record);
  } catch (error) {
    const place = lossy?.fatal ? `${lossy.path} ${lossy.why}` : `v8.serialize refused it (${describeError(error)})`;
    warnOnce(
      loc.method,
      'FUNES_UNSERIALIZABLE',
      `the result cannot be stored: ${place}; it was returned but will be computed again on every call`,
    );
    return false;
  }
  try {
    store.write(loc, bytes);
    return true;
  } catch (error) {
    warnOnce(
      loc.method,
      'FUNES_WRITE_FAILED',
      `cannot write ${where(store, loc)} (${describeError(error)}); the result was returned but not stored`,
    );
    return false;
  }
}

function where(store: Store, loc: RecordLocation): string {
  return store.describe(loc.method, loc.version, loc.key);
}
