import {
  closeSync,
  existsSync,
  fstatSync,
  futimesSync,
  utimesSync,
  type Stats,
  mkdirSync,
  openSync,
  opendirSync,
  type Dir,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { threadId } from 'node:worker_threads';
import { tryLock } from './file-lock';
import { GITIGNORE_FILE, LOCK_EXT, META_FILE as META, RECORD_EXT as EXT, TMP_PREFIX, USED_FILE } from './layout';
import { lastUsedVersion } from './scan';
import type { StoredRecord } from '../record';
import { decodeRecord, encodeRecord } from './codec';
import type { Lock, ReadOptions, RecordLocation, Store, StoredEntry, Usage, VersionMeta } from './types';
import { hexSegment, safeSegment } from './names';
import { readMeta } from './scan';
import { memoryTier } from './memory-tier';

/** How stale a record's mtime may get before a hit refreshes it. */
const TOUCH_AFTER_MS = 3600_000;
/**
 * Temporary names: unique by process, thread and a random tag drawn once, then by a
 * counter, which is cheaper than random bytes per write.
 */
const tmpBase = `${TMP_PREFIX}${process.pid}-${threadId}-${randomBytes(4).toString('hex')}-`;
let tmpCount = 0;

/**
 * Records as files: `<root>/<Class.method>/<version>/<key>.bin`. The default store; give
 * one explicitly to share it between options, or to use it through the `Store` interface.
 * Synchronous on purpose: a small sync read beats a trip through the thread pool, and a
 * sync method cannot wait for anything else.
 * @example `Memorious.configure({ store: new FileStore('/scratch/cache') })`
 */
export class FileStore implements Store {
  readonly synchronous = true;
  private readonly made = new Set<string>();
  /** Directory paths by method and version: joining and escaping them is most of a hit's own cost. */
  private readonly dirs = new Map<string, string>();
  /** Set once a touch is refused (a read-only mount): hits stop trying. */
  private untouchable = false;

  /** @param root the cache directory: records go below it. */
  constructor(readonly root: string) {}

  private dir(method: string, version?: string): string {
    const id = version === undefined ? method : `${method}\u0000${version}`;
    let d = this.dirs.get(id);
    if (d === undefined) {
      d = join(this.root, safeSegment(method));
      if (version !== undefined) d = join(d, hexSegment(version));
      this.dirs.set(id, d);
    }
    return d;
  }

  describe(method: string, version?: string, key?: string): string {
    const d = this.dir(method, version);
    return key === undefined ? d : `${d}${sep}${hexSegment(key)}${EXT}`;
  }

  read(loc: RecordLocation, options?: ReadOptions): unknown {
    const path = this.describe(loc.method, loc.version, loc.key);
    const touching = options?.readOnly !== true && !this.untouchable;
    // A repeated hit: one stat shows the file is still the one read, and its bytes are in memory.
    if (memoryTier.has(path)) {
      const now = statOf(path);
      const held = memoryTier.get(path, now);
      if (held !== undefined) {
        const time = Date.now();
        if (touching && time - now!.mtimeMs > TOUCH_AFTER_MS) {
          // Its times move: the next hit reads the file again, and holds it under them.
          if (this.touched(() => utimesSync(path, time / 1000, time / 1000))) memoryTier.drop(path);
        }
        return held;
      }
    }
    const bytes = this.readBytes(path, touching);
    return bytes === undefined ? undefined : decodeRecord(bytes);
  }

  /** A record file's bytes, or undefined when there is none; refreshes its last use when `touching`. */
  private readBytes(path: string, touching: boolean): Uint8Array | undefined {
    let fd: number;
    // A miss throws ENOENT; its stack trace would be a third of a small miss's cost.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      // ENOTDIR: a file stands where a directory should; either way nothing is stored.
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw error;
    } finally {
      Error.stackTraceLimit = limit;
    }
    try {
      // The same calls readFileSync makes, but the stat is ours to use: the file's
      // mtime is its last use, refreshed at most hourly, for pruning least recently used
      // records first. Access times cannot serve: noatime and relatime mounts keep them still.
      const stat = fstatSync(fd);
      // Unpooled: bytes the memory tier holds must not pin a shared slab.
      const bytes = Buffer.allocUnsafeSlow(stat.size);
      for (let at = 0; at < bytes.length; ) {
        const n = readSync(fd, bytes, at, bytes.length - at, at);
        // Shorter than its stat said: changing under us, so not one to hold.
        if (n === 0) return bytes.subarray(0, at);
        at += n;
      }
      const now = Date.now();
      // A touched file's times have moved: its next hit reads it again, and holds it then.
      if (!(touching && now - stat.mtimeMs > TOUCH_AFTER_MS && this.touched(() => futimesSync(fd, now / 1000, now / 1000)))) {
        memoryTier.put(path, bytes, stat, true);
      }
      return bytes;
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Runs a touch; a cache on a read-only mount still serves hits, only its pruning order
   * suffers, and after the first refusal it is not asked again.
   */
  private touched(touch: () => void): boolean {
    try {
      touch();
      return true;
    } catch {
      this.untouchable = true;
      return false;
    }
  }

  has(loc: RecordLocation): boolean {
    return existsSync(this.describe(loc.method, loc.version, loc.key));
  }

  delete(loc: RecordLocation): void {
    const path = this.describe(loc.method, loc.version, loc.key);
    memoryTier.drop(path);
    rmSync(path, { force: true });
  }

  write(loc: RecordLocation, record: StoredRecord): void {
    const bytes = encodeRecord(record);
    const dir = this.dir(loc.method, loc.version);
    const target = join(dir, hexSegment(loc.key) + EXT);
    if (!this.made.has(dir)) this.makeDir(dir);
    try {
      put(dir, target, bytes);
    } catch (error) {
      // The directory may have been removed under us (a clear from another process).
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.makeDir(dir);
      put(dir, target, bytes);
    }
  }

  tryLock(loc: RecordLocation, beats: boolean): Lock | undefined {
    const dir = this.dir(loc.method, loc.version);
    // The lock may be the first thing this cache holds: the folder is made as for a record.
    if (!this.made.has(dir)) this.makeDir(dir);
    return tryLock(`${dir}${sep}${hexSegment(loc.key)}${LOCK_EXT}`, dir, beats);
  }

  noteVersion(meta: VersionMeta & { readonly version: string }): string | undefined {
    const { version, ...rest } = meta;
    const dir = this.dir(meta.method, version);
    if (!this.made.has(dir)) this.makeDir(dir);
    if (!existsSync(join(dir, META))) put(dir, join(dir, META), Buffer.from(JSON.stringify(rest, null, 2) + '\n'));
    const { version: before, used } = lastUsedVersion(this.dir(meta.method));
    // Later than any mark already there: two versions used within one millisecond still say which came last.
    put(dir, join(dir, USED_FILE), Buffer.from(`${Math.max(Date.now(), used + 1)}\n`));
    return before === version ? undefined : before;
  }

  readMeta(method: string, version: string): Partial<VersionMeta> | undefined {
    return readMeta(this.dir(method, version));
  }

  usage(method: string, version: string): Usage {
    const dir = this.dir(method, version);
    let records = 0;
    let bytes = 0;
    for (const name of entries(dir)) {
      if (!name.endsWith(EXT) || name.startsWith('.')) continue;
      try {
        bytes += statSync(join(dir, name)).size;
        records++;
      } catch {
        // Removed while we counted.
      }
    }
    return { records, bytes };
  }

  private makeDir(dir: string): void {
    // mkdirSync answers with the first folder it had to make: the root or above it when the root was missing.
    const first = mkdirSync(dir, { recursive: true });
    if (first !== undefined && (first === this.root || this.root.startsWith(first + sep))) ignoredByGit(this.root);
    this.made.add(dir);
  }

  list(method: string, version: string, onError: (where: string, error: unknown) => void): StoredEntry[] {
    const dir = this.dir(method, version);
    const out: StoredEntry[] = [];
    for (const name of entries(dir)) {
      if (!name.endsWith(EXT) || name.startsWith('.')) continue;
      const file = join(dir, name);
      try {
        out.push({ key: name.slice(0, -EXT.length), value: decodeRecord(readFileSync(file)) });
      } catch (error) {
        // A record removed while we listed is simply gone.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') onError(file, error);
      }
    }
    return out;
  }

  *iterate(method: string, version: string, onError: (where: string, error: unknown) => void): Generator<StoredEntry> {
    const dir = this.dir(method, version);
    let handle: Dir;
    try {
      handle = opendirSync(dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      throw error;
    }
    try {
      for (let entry = handle.readSync(); entry; entry = handle.readSync()) {
        if (!entry.name.endsWith(EXT) || entry.name.startsWith('.')) continue;
        const file = join(dir, entry.name);
        let value: unknown;
        try {
          value = decodeRecord(readFileSync(file));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') onError(file, error);
          continue;
        }
        yield { key: entry.name.slice(0, -EXT.length), value };
      }
    } finally {
      handle.closeSync();
    }
  }

  versions(method: string): string[] {
    return entries(this.dir(method)).filter((name) => /^[0-9a-f]+$/.test(name));
  }

  clear(method: string, version?: string): number {
    const versions = version === undefined ? this.versions(method) : [version];
    let removed = 0;
    for (const v of versions) {
      const dir = this.dir(method, v);
      removed += entries(dir).filter((name) => name.endsWith(EXT) && !name.startsWith('.')).length;
      rmSync(dir, { recursive: true, force: true });
      this.made.delete(dir);
      memoryTier.dropUnder(dir + sep);
    }
    if (version === undefined) rmSync(this.dir(method), { recursive: true, force: true });
    return removed;
  }
}

/**
 * Writes to a temporary name beside the target, then renames: readers see all or nothing.
 * What was there before is no longer in the memory tier; the new bytes enter it at their
 * first hit, since learning the new file's identity now would cost every miss two more
 * system calls.
 */
function put(dir: string, target: string, bytes: Uint8Array): void {
  const tmp = `${dir}${sep}${tmpBase}${(tmpCount++).toString(36)}`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, target);
  } catch (error) {
    try {
      unlinkSync(tmp);
    } catch {
      // Never created, or already gone.
    }
    throw error;
  } finally {
    memoryTier.drop(target);
  }
}

/** The file's stat, or undefined when it cannot be had (gone, a file where a folder should be). */
function statOf(path: string): Stats | undefined {
  // A missing file is no throw with throwIfNoEntry; the other faults are rare enough to keep their stack.
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/**
 * Puts a `.gitignore` holding `*` in a cache directory funes has just created, as joblib
 * does, so a cache inside a repository is never committed by accident. Best effort: the
 * cache works without it.
 */
function ignoredByGit(root: string): void {
  try {
    writeFileSync(join(root, GITIGNORE_FILE), '# made by funes: a cache is not source\n*\n', { flag: 'wx' });
  } catch {
    // Already there, or not writable: either way nothing to do.
  }
}


function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
}
