import { randomBytes } from 'node:crypto';
import type { RedisClient } from './redis-client';
import type { Lock } from './types';

/** Renews the lock only while it still holds our token: an expired lock may be another's now. */
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
/** Deletes the lock only if it still holds our token, for the same reason. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * One worker's lock on computing a record: `SET key token NX PX ttl`, so one worker of
 * many wins; renewed every third of its life while the holder `beats`, and released by
 * token. A holder that dies stops renewing, the lock runs out, and another worker takes
 * over. `timers` collects the renewal timers, so that closing the store can stop them.
 */
export async function takeLock(client: RedisClient, key: string, ttlMs: number, beats: boolean, timers: Set<NodeJS.Timeout>): Promise<Lock | undefined> {
  const token = randomBytes(16).toString('hex');
  if ((await client.call('SET', key, token, 'NX', 'PX', ttlMs)) !== 'OK') return undefined;
  let timer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    if (timer === undefined) return;
    clearInterval(timer);
    timers.delete(timer);
    timer = undefined;
  };
  if (beats) {
    timer = setInterval(() => {
      client.call('EVAL', RENEW, 1, key, token, ttlMs).then(
        (renewed) => {
          if (renewed !== 1) stop(); // expired and maybe taken: it is no longer ours to renew
        },
        () => undefined, // Redis unreachable: try again at the next beat; the TTL bounds the wait of others
      );
    }, Math.max(10, Math.floor(ttlMs / 3)));
    timer.unref();
    timers.add(timer);
  }
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      stop();
      await client.call('EVAL', RELEASE, 1, key, token);
    },
  };
}
