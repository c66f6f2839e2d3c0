import type { Stats } from 'node:fs';

/**
 * What identifies one record file's content without reading it: a file funes writes is
 * never changed in place but replaced by a rename (a new inode) or removed, and any change
 * to an inode moves its change time, which no user can set. So a file whose inode, size,
 * modification and change times are as they were still holds the bytes read from it.
 */
export interface FileIdentity {
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
}

interface Held extends FileIdentity {
  readonly bytes: Uint8Array;
}

/** 64 MiB: a sweep's small records by the hundred thousand, or a few large outputs. */
export const DEFAULT_MEMORY_BYTES = 64 * 2 ** 20;

/**
 * The memory tier: the bytes of recently read or written record files, by path, least
 * recently used first out, under one byte budget for the process. A file store serves a
 * repeated hit from here after one `stat` shows the file unchanged, and decodes the bytes
 * afresh for each hit, so a caller that mutates an output never changes the next hit's.
 */
class MemoryTier {
  private readonly held = new Map<string, Held>();
  private bytes = 0;
  private budget = DEFAULT_MEMORY_BYTES;

  /** Sets the budget in bytes (0 turns the tier off), dropping what no longer fits. */
  setBudget(bytes: number): void {
    this.budget = bytes;
    for (const [path, held] of this.held) if (!this.fits(held.bytes)) this.drop(path);
    this.shrink();
  }

  /** The bytes held for `path`, if its file is still the one they came from. */
  get(path: string, now: FileIdentity | undefined): Uint8Array | undefined {
    const held = this.held.get(path);
    if (held === undefined) return undefined;
    if (now !== undefined && same(held, now)) {
      // Most recently used goes last: eviction takes from the front.
      this.held.delete(path);
      this.held.set(path, held);
      return held.bytes;
    }
    this.drop(path);
    return undefined;
  }

  /** Whether anything is held for `path`: a path never held costs a hit no `stat`. */
  has(path: string): boolean {
    return this.held.has(path);
  }

  /** Holds `bytes`, just read from or written to `path` whose identity is `file`. */
  put(path: string, bytes: Uint8Array, file: FileIdentity): void {
    this.drop(path);
    if (!this.fits(bytes)) return;
    this.held.set(path, { bytes, ino: file.ino, size: file.size, mtimeMs: file.mtimeMs, ctimeMs: file.ctimeMs });
    this.bytes += bytes.byteLength;
    this.shrink();
  }

  /** Forgets `path`: its file was removed, replaced or changed by this process. */
  drop(path: string): void {
    const held = this.held.get(path);
    if (held === undefined) return;
    this.held.delete(path);
    this.bytes -= held.bytes.byteLength;
  }

  /** Forgets every path under `dir` (a cleared version or method). */
  dropUnder(dir: string): void {
    for (const path of this.held.keys()) if (path.startsWith(dir)) this.drop(path);
  }

  /** One record may take a sixteenth of the budget: a huge output must not flush the rest. */
  private fits(bytes: Uint8Array): boolean {
    return bytes.byteLength * 16 <= this.budget;
  }

  private shrink(): void {
    for (const path of this.held.keys()) {
      if (this.bytes <= this.budget) return;
      this.drop(path);
    }
  }
}

function same(a: FileIdentity, b: Stats | FileIdentity): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;
}

/** One tier for the whole process, whatever the number of file stores. */
export const memoryTier = new MemoryTier();
