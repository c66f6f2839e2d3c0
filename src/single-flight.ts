import { describeError } from './errors';
import { log } from './log';
import { attempt, isThenable } from './maybe';
import type { StoredRecord } from './record';
import type { Lock, MaybePromise, RecordLocation, Store } from './store/types';

/** One missing record, as the lock dance needs it: where it goes, how to look, serve and make it. */
export interface Flight {
  readonly store: Store;
  readonly loc: RecordLocation;
  /** The record, if it has landed meanwhile. */
  look(): MaybePromise<StoredRecord | undefined>;
  serve(hit: StoredRecord): unknown;
  /** Runs the method and stores its result. */
  compute(): unknown;
}

/** Waiting for another process's record: polls back off to this. */
const MAX_POLL_MS = 200;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * One computation of a record across processes, for a sync method on a synchronous store:
 * the first caller takes the store's lock and computes, the others wait for its record,
 * blocking their thread, since a sync method must return a value.
 */
export function onceSync(flight: Flight): unknown {
  for (let delay = 2; ; delay = Math.min(delay * 2, MAX_POLL_MS)) {
    const lock = tryLock(flight, false) as Lock | undefined | 'unavailable';
    if (lock === 'unavailable') return flight.compute();
    if (lock) {
      let result: unknown;
      try {
        // The holder before us may have finished between our read and our lock.
        const hit = flight.look() as StoredRecord | undefined;
        result = hit ? flight.serve(hit) : flight.compute();
      } catch (error) {
        void lock.release();
        throw error;
      }
      if (!isThenable(result)) {
        void lock.release();
        return result;
      }
      return Promise.resolve(result).finally(() => lock.release());
    }
    Atomics.wait(sleeper, 0, 0, delay);
    const hit = flight.look() as StoredRecord | undefined;
    if (hit) return flight.serve(hit);
  }
}

/** The same for an async method, on any store: waiting yields to the event loop. */
export async function onceAsync(flight: Flight): Promise<unknown> {
  for (let delay = 2; ; delay = Math.min(delay * 2, MAX_POLL_MS)) {
    const lock = await tryLock(flight, true);
    if (lock === 'unavailable') return flight.compute();
    if (lock) {
      try {
        const hit = await flight.look();
        return hit ? await flight.serve(hit) : await flight.compute();
      } finally {
        await attempt(
          () => lock.release(),
          () => undefined,
        );
      }
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    const hit = await flight.look();
    if (hit) return flight.serve(hit);
  }
}

function tryLock(flight: Flight, beats: boolean): MaybePromise<Lock | undefined | 'unavailable'> {
  // Where no lock can be made, no record can be written either, and the write warns of
  // that; one fault, one warning. Without the lock the worst is a duplicate computation.
  const unavailable = (error: unknown): 'unavailable' => {
    if (log.enabled) log('lock failed %s %s (%s)', flight.loc.method, flight.loc.key, describeError(error));
    return 'unavailable';
  };
  return attempt<Lock | undefined | 'unavailable'>(() => flight.store.tryLock!(flight.loc, beats), unavailable);
}
