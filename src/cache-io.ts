import { describeError, warnOnce } from './errors';
import { log } from './log';
import { attempt, then } from './maybe';
import { invalidity, type StoredRecord } from './record';
import { lossyPlace } from './roundtrip';
import { changedNames } from './version/diff';
import { RecordDecodeError, RecordEncodeError } from './store/codec';
import type { MaybePromise, RecordLocation, Store, VersionMeta } from './store/types';

/**
 * The record at `loc`, or undefined for a miss. Whatever is wrong with what is stored
 * (unreadable, not a record, another key's, expired) or with the store itself (down,
 * unreachable) is a miss, never an error: a bad record is removed so that the write after
 * the computation finds the place clear. A `readOnly` read changes nothing: it neither
 * refreshes the record's last use nor removes a bad one.
 */
export function readRecord(
  store: Store,
  loc: RecordLocation,
  maxAge: number | undefined,
  readOnly = false,
): MaybePromise<StoredRecord | undefined> {
  const options = readOnly ? READ_ONLY : undefined;
  if (!store.synchronous) {
    return Promise.resolve()
      .then(() => store.read(loc, options))
      .then(
        (value) => check(store, loc, value, maxAge, readOnly),
        (error: unknown) => unread(store, loc, error, readOnly),
      );
  }
  // The hit path of every sync call: no closures, no Promises.
  let value: unknown;
  try {
    value = store.read(loc, options);
  } catch (error) {
    return unread(store, loc, error, readOnly);
  }
  return check(store, loc, value, maxAge, readOnly);
}

const READ_ONLY = { readOnly: true } as const;

function unread(store: Store, loc: RecordLocation, error: unknown, readOnly: boolean): MaybePromise<undefined> {
  if (error instanceof RecordDecodeError) return invalid(store, loc, `it does not deserialize (${error.message})`, readOnly);
  warnOnce(loc.method, 'FUNES_READ_FAILED', `cannot read ${where(store, loc)} (${describeError(error)}); computing instead`);
  return undefined;
}

function check(
  store: Store,
  loc: RecordLocation,
  value: unknown,
  maxAge: number | undefined,
  readOnly: boolean,
): MaybePromise<StoredRecord | undefined> {
  if (value === undefined) return undefined;
  const why = invalidity(value, loc.version, loc.key);
  if (why) return invalid(store, loc, why, readOnly);
  const record = value as StoredRecord;
  // Expiry is the record's own business, not a fault: no warning.
  if (maxAge === undefined || Date.now() - record.created <= maxAge) return record;
  if (log.enabled) log('expired %s %s (older than %dms)', loc.method, loc.key, maxAge);
  return undefined;
}

function invalid(store: Store, loc: RecordLocation, why: string, readOnly: boolean): MaybePromise<undefined> {
  if (readOnly) {
    warnOnce(loc.method, 'FUNES_INVALID_RECORD', `${where(store, loc)} is not a usable record: ${why}; treated as a miss and left in place (read-only)`);
    return undefined;
  }
  warnOnce(loc.method, 'FUNES_INVALID_RECORD', `${where(store, loc)} is not a usable record: ${why}; recomputing it`);
  // The write that follows the computation replaces it anyway.
  return dropRecord(store, loc);
}

/** Removes the record at `loc`, if any; best effort, resolves to undefined either way. */
function dropRecord(store: Store, loc: RecordLocation): MaybePromise<undefined> {
  return attempt(
    () => then(store.delete(loc), () => undefined),
    () => undefined,
  );
}

/**
 * Stores a record; a failure of any kind is a warning, and the caller keeps its result.
 * A part of the output that will not come back as it was is named in a warning too.
 * When the write was to `replace` what is stored (a refresh) and fails, the old record is
 * removed, so that it is not served later as if refreshed.
 * Resolves to whether the record was stored.
 */
export function writeRecord(
  store: Store,
  loc: RecordLocation,
  record: StoredRecord,
  maxAge: number | undefined,
  replace = false,
): MaybePromise<boolean> {
  const lossy = lossyPlace(record.output);
  if (lossy && !lossy.fatal) {
    warnOnce(loc.method, 'FUNES_LOSSY_OUTPUT', `${lossy.path} ${lossy.why}; a hit will return it so`);
  }
  return attempt(
    () =>
      then(store.write(loc, record, { maxAge }), () => {
        if (log.enabled) log('write %s %s (%ss)', loc.method, loc.key, record.time.toFixed(3));
        return true;
      }),
    (error) => then(replace ? removeReplaced(store, loc) : '', (after) => unwritten(store, loc, error, lossy, after)),
  );
}

function unwritten(store: Store, loc: RecordLocation, error: unknown, lossy: ReturnType<typeof lossyPlace>, after: string): false {
  if (error instanceof RecordEncodeError) {
    const place = lossy?.fatal ? `${lossy.path} ${lossy.why}` : `v8.serialize refused it (${error.message})`;
    warnOnce(
      loc.method,
      'FUNES_UNSERIALIZABLE',
      `the result cannot be stored: ${place}; it was returned but will be computed again on every call${after}`,
    );
  } else {
    warnOnce(
      loc.method,
      'FUNES_WRITE_FAILED',
      `cannot write ${where(store, loc)} (${describeError(error)}); the result was returned but not stored${after}`,
    );
  }
  return false;
}

/** Removes the record a refresh failed to replace; says what became of it, for the warning. */
function removeReplaced(store: Store, loc: RecordLocation): MaybePromise<string> {
  return attempt(
    () => then(store.delete(loc), () => '; the record it was to replace is removed'),
    (error) => `; the record it was to replace could not be removed either (${describeError(error)}) and is served again once refresh mode is off`,
  );
}

/**
 * Tells the store what produced a version, and logs a change of the current version.
 * Best effort: only people and the CLI read it, and the record itself is safely stored.
 */
export function noteVersion(store: Store, meta: VersionMeta & { readonly version: string }): MaybePromise<void> {
  if (!store.noteVersion) return;
  return attempt(
    () =>
      then(store.noteVersion!(meta), (before) => {
        if (!before || !log.enabled) return;
        log('version %s %s (was %s)', meta.method, meta.version, before);
        return then(store.readMeta?.(meta.method, before), (old) => {
          if (!old) return;
          const names = changedNames(meta.method, { hash: before, ...old }, { hash: meta.version, ...meta });
          log('version %s: changed since %s: %s', meta.method, before, names.join(', ') || 'nothing recorded (options or format)');
        });
      }),
    () => undefined,
  );
}

function where(store: Store, loc: RecordLocation): string {
  return store.describe(loc.method, loc.version, loc.key);
}
