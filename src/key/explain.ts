import { log } from '../log';
import { attempt, then } from '../maybe';
import type { StoredRecord } from '../record';
import type { RecordLocation, Store } from '../store/types';
import { keyParts, type CallKey } from './call-key';

/**
 * With `DEBUG=funes`, says why a miss is a miss when the same arguments were stored
 * before under other instance state, naming the fields of `this` that differ (a
 * `startedAt = new Date()` field makes every run miss). Reads the version's records, so
 * it runs only when the log is on; a store that cannot list them explains nothing.
 */
export function explainMiss(store: Store, loc: RecordLocation, made: CallKey): void {
  const mine = new Map(Object.entries(keyParts(made)));
  attempt(
    () =>
      then(store.list(loc.method, loc.version, () => undefined), (entries) => {
        for (const { value } of entries) {
          const parts = (value as Partial<StoredRecord>).parts;
          if (!parts || parts.args !== mine.get('args')) continue;
          const differ = fields(mine, parts).filter((path) => mine.get(path) !== parts[path]);
          if (differ.length === 0) continue;
          log('miss %s %s: these arguments were stored before under other instance state; differs: %s', loc.method, loc.key, differ.join(', '));
          return;
        }
      }),
    () => undefined,
  );
}

/** The paths of `this`'s fields in either set of parts. */
function fields(mine: ReadonlyMap<string, string>, stored: Readonly<Record<string, string>>): string[] {
  const paths = new Set([...mine.keys(), ...Object.keys(stored)].filter((path) => path.startsWith('this')));
  return [...paths].sort();
}
