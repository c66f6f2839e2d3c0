import { accessSync, closeSync, constants, existsSync, lstatSync, mkdirSync, openSync, readFileSync, readlinkSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { GUARD_EXT } from './layout';
import type { Lock } from './types';

/** A holder that beats refreshes its lock's mtime this often... */
const BEAT_MS = 5_000;
/** ...and is taken for dead when the mtime is this old (a hung or killed process). */
const SILENT_MS = 30_000;
/** A holder that cannot beat (a sync method blocks its thread) on another host: judged by age alone. */
const REMOTE_SILENT_MS = 24 * 3600_000;
/** A lock file with no readable content (a holder between making and writing it, or none of ours): judged by age. */
const EMPTY_MS = 10_000;
/** A breaker's guard older than this belongs to a breaker that died. */
const GUARD_MS = 10_000;

const HOST = hostname();

/**
 * The PID namespace, on Linux: a lock names it, so that a container sharing the host's name
 * (host networking) is not taken for this one, where its pids would be looked up among
 * ours and judged dead. A lock that names none (made by an earlier funes) counts as ours.
 */
const PID_NS = pidNamespace();

function pidNamespace(): string | undefined {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return undefined;
  }
}

/**
 * A process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat), where
 * /proc exists: with the pid, it names a process once, so a pid reused by another
 * process (a restarted container's PID 1) does not pass for a live holder.
 */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
const START = processStart(process.pid);

interface Holder {
  readonly pid: number;
  /** When the holder's process started (Linux), so that a reused pid is not taken for it. */
  readonly start?: string;
  readonly host: string;
  readonly ns?: string;
  readonly token: string;
  readonly beats: boolean;
}

/**
 * Takes the lock file `path` (made with O_EXCL, so one process wins), or returns
 * undefined while a live process holds it. A lock whose holder is dead (same host and its
 * pid gone, or silent too long) is broken and taken over, so no waiter waits forever.
 * Throws when locks cannot be made here at all (read-only, not a directory).
 */
export function tryLock(path: string, dir: string, beats: boolean): Lock | undefined {
  if (isThere(path)) {
    // Where this process could not make a lock (read-only, another user's cache) it does not
    // wait for another's, which may be a dead remote holder's for a day: the throw makes the
    // call compute at once.
    accessSync(dir, constants.W_OK);
    if (!breakIfDead(path)) return undefined;
  }
  const me: Holder = { pid: process.pid, start: START, host: HOST, ns: PID_NS, token: randomBytes(8).toString('hex'), beats };
  // Made in place with O_EXCL, then written: a lock is two changes to its folder (made,
  // removed), where a draft linked into place was four, and every writer in the folder
  // waits on each. Seen empty for the microseconds before its holder is written, a lock
  // is judged by age (EMPTY_MS), so no waiter takes a new one for a dead one.
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
      isThere(path);
      if (!breakIfDead(path)) return undefined;
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(me));
    } catch (error) {
      // A full disk: an empty lock would hold the key for EMPTY_MS.
      closeSync(fd);
      try {
        unlinkSync(path);
      } catch {
        // Broken already by another, who judged it empty and old.
      }
      throw error;
    }
    closeSync(fd);
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

/**
 * Whether something is at `path`. Throws if it is not a file, which no holder made and no
 * breaker may remove (a folder, a symlink): waiting for it would be waiting forever, so
 * the call computes instead.
 */
function isThere(path: string): boolean {
  let found;
  try {
    found = lstatSync(path);
  } catch {
    return false;
  }
  if (!found.isFile()) throw new Error(`${path} is not a lock file; remove it`);
  return true;
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
  const here = holder.host === HOST && (holder.ns === undefined || holder.ns === PID_NS);
  if (here && (!alive(holder.pid) || otherProcess(holder))) return true;
  if (holder.beats) return age > SILENT_MS;
  return !here && age > REMOTE_SILENT_MS;
}

/**
 * Removes the lock at `path` if its holder is gone, judged again under the breakers' guard:
 * the scan that found it may be minutes old, and its holder's key taken again since.
 * Returns whether it was removed.
 */
export function removeDeadLock(path: string): boolean {
  try {
    return isThere(path) && breakIfDead(path) && !existsSync(path);
  } catch {
    return false;
  }
}

/** Whether the lock file at `path` belongs to a holder that is gone: for cleaning up after crashes. */
export function lockIsDead(path: string): boolean {
  return dead(path, read(path));
}

/**
 * Whether the live process at the holder's pid started at another time: the pid was reused.
 * A start time that cannot be read (/proc mounted with hidepid) says nothing either way.
 */
function otherProcess(holder: Holder): boolean {
  if (holder.start === undefined) return false;
  const start = processStart(holder.pid);
  return start !== undefined && start !== holder.start;
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
 * Breaks a dead holder's lock. Breakers take turns through a guard file beside the lock
 * (made with O_EXCL) and look again under it, so that of several waiters judging it dead
 * at once only one removes it, and none removes a fresh lock taken in between: only a
 * breaker removes another's lock, and a breaker holds the guard while it does.
 */
function breakIfDead(path: string): boolean {
  if (!dead(path, read(path))) return false;
  const guard = `${path}${GUARD_EXT}`;
  let fd: number;
  try {
    fd = openSync(guard, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    isThere(guard);
    // A breaker killed while breaking leaves its guard: breaking takes microseconds.
    try {
      if (Date.now() - statSync(guard).mtimeMs > GUARD_MS) unlinkSync(guard);
    } catch {
      // Gone already.
    }
    return false;
  }
  closeSync(fd);
  try {
    const holder = read(path);
    // Released since it was judged: nothing to break. Removing it now could remove a lock
    // another waiter has just linked, which no guard orders, and let two hold the key.
    if (!existsSync(path)) return true;
    if (!dead(path, holder)) return false;
    unlinkSync(path);
    return true;
  } catch {
    return true; // Gone already: try to take it.
  } finally {
    try {
      unlinkSync(guard);
    } catch {
      // Removed as stale by another; harmless.
    }
  }
}
