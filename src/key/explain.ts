import { log } from '../log';
import { attempt, then } from '../maybe';
import type { StoredRecord } from '../record';
import type { RecordLocation, Store } from '../store/types';
import { partHash, type CallKey } from './call-key';

/**
 * With `DEBUG=funes`, says why a miss is a miss when the same arguments were stored
 * before under other instance state, naming the fields of `this` that differ (a
 * `startedAt = new Date()` field makes every run miss). Reads the version's records, so
 * it runs only when the log is on; a store that cannot list them explains nothing.
 */
export function explainMiss(store: Store, loc: RecordLocation, made: CallKey): void {
  const mine = new Map(made.parts.map((p) => [p.path, partHash(p.text)]));
  const args = [...mine.keys()].filter((path) => path.startsWith('args'));
  attempt(
    () =>
      then(store.list(loc.method, loc.version, () => undefined), (entries) => {
        for (const { value } of entries) {
          const parts = (value as Partial<StoredRecord>).parts;
          if (!parts || !sameArguments(parts, mine, args)) continue;
          const differ = fields(mine, parts).filter((path) => mine.get(path) !== parts[path]);
          if (differ.length === 0) continue;
          log('miss %s %s: these arguments were stored before under other instance state; differs: %s', loc.method, loc.key, differ.join(', '));
          return;
        }
      }),
    () => undefined,
  );
}

function sameArguments(stored: Readonly<Record<string, string>>, mine: ReadonlyMap<string, string>, args: readonly string[]): boolean {
  const theirs = Object.keys(stored).filter((path) => path.startsWith('args'));
  return theirs.length === args.length && args.every((path) => stored[path] === mine.get(path));
}

/** The paths of `this`'s fields in either set of parts. */
function fields(mine: ReadonlyMap<string, string>, stored: Readonly<Record<string, string>>): string[] {
  const paths = new Set([...mine.keys(), ...Object.keys(stored)].filter((path) => path.startsWith('this')));
  return [...paths].sort();
}
