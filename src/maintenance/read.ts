import { readFileSync } from 'node:fs';
import { describeError } from '../errors';
import { invalidity, type StoredRecord } from '../record';
import { decodeRecord } from '../store/codec';
import { safeSegment } from '../store/names';
import type { RecordFile } from '../store/scan';

/** A record read back from its file, or why it cannot be served. */
export type ReadResult = { readonly record: StoredRecord; readonly problem?: undefined } | { readonly record?: undefined; readonly problem: string };

/**
 * Reads and validates one record file the way a call would, and also checks that it sits
 * in its own method's folder. `undefined` when the file vanished meanwhile.
 */
export function checkRecordFile(file: RecordFile, version: string, methodSegment: string): ReadResult | undefined {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file.path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { problem: `it cannot be read: ${describeError(error)}` };
  }
  let value: unknown;
  try {
    value = decodeRecord(bytes);
  } catch (error) {
    return { problem: `it does not deserialize: ${describeError(error)}` };
  }
  const why = invalidity(value, version, file.key);
  if (why) return { problem: why };
  const record = value as StoredRecord;
  if (typeof record.method === 'string' && safeSegment(record.method) !== methodSegment) {
    return { problem: `it belongs to another method (${record.method})` };
  }
  return { record };
}
