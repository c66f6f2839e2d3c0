import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { BROKEN_EXT } from './layout';
import type { Lock } from './types';

/** A holder that beats refreshes its lock's mtime this often... */
const BEAT_MS = 5_000;
/** ...and is taken for dead when the mtime is this old (a hung or killed process). */
const SILENT_MS = 30_000;
/** A holder that cannot beat (a sync method blocks its thread) on another host: judged by age alone. */
const REMOTE_SILENT_MS = 24 * 3600_000;
/** A lock file with no readable content is a creator killed between create and write. */
const EMPTY_MS = 10_000;

const HOST = hostname();

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
  readonly beats: boolean;
}

/**
 * Takes the lock file `path` (created with O_EXCL, so one process wins), or returns
 * undefined while a live process holds it. A lock whose holder is dead (same host and its
 * pid gone, or silent too long) is broken and taken over, so no waiter waits forever.
 * Throws when locks cannot be made here at all (read-only, not a directory).
 */
export function tryLock(path: string, dir: string, beats: boolean): Lock | undefined {
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        mkdirSync(dir, { recursive: true });
        continue;
      }
      if (code !== 'EEXIST') throw error;
      if (breakIfDead(path)) continue;
      return undefined;
    }
    const me: Holder = { pid: process.pid, host: HOST, token: randomBytes(8).toString('hex'), beats };
    try {
      writeSync(fd, JSON.stringify(me));
    } finally {
      closeSync(fd);
    }
    return hold(path, me);
  }
  return undefined;
}

function hold(path: string, me: Holder): Lock {
  const beat = me.beats
    ? setInterval(() => {
        try {
          const now = Date.now() / 1000;
          utimesSync(path, now, now);
        } catch {
          // Broken by someone who judged us dead; release will notice.
        }
      }, BEAT_MS).unref()
    : undefined;
  return {
    release(): void {
      if (beat) clearInterval(beat);
      // Remove only our own lock: if ours was broken, the file may be another's now.
      if (read(path)?.token === me.token) {
        try {
          unlinkSync(path);
        } catch {
          // Already gone.
        }
      }
    },
  };
}

function read(path: string): Holder | undefined {
  try {
    const holder = JSON.parse(readFileSync(path, 'utf8')) as Holder;
    return typeof holder?.token === 'string' ? holder : undefined;
  } catch {
    return undefined;
  }
}

function dead(path: string, holder: Holder | undefined): boolean {
  let age: number;
  try {
    age = Date.now() - statSync(path).mtimeMs;
  } catch {
    return true;
  }
  if (!holder) return age > EMPTY_MS;
  if (holder.host === HOST && !alive(holder.pid)) return true;
  if (holder.beats) return age > SILENT_MS;
  return holder.host !== HOST && age > REMOTE_SILENT_MS;
}

/** Whether the lock file at `path` belongs to a holder that is gone: for cleaning up after crashes. */
export function lockIsDead(path: string): boolean {
  return dead(path, read(path));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Breaks a dead holder's lock: renamed aside first, so that of several waiters judging it
 * dead at once only one removes it. If what was moved turns out to be a fresh lock taken
 * in between, it is put back where it was.
 */
function breakIfDead(path: string): boolean {
  const judged = read(path);
  if (!dead(path, judged)) return false;
  const aside = `${path}.${randomBytes(6).toString('hex')}${BROKEN_EXT}`;
  try {
    renameSync(path, aside);
  } catch {
    return true; // Someone else broke it first: try to take it.
  }
  const moved = read(aside);
  if (moved && moved.token !== judged?.token) {
    try {
      linkSync(aside, path);
    } catch {
      // A third lock exists already; the one moved loses its exclusivity, never a record.
    }
  }
  try {
    unlinkSync(aside);
  } catch {
    // Gone already.
  }
  return !moved || moved.token === judged?.token;
}
