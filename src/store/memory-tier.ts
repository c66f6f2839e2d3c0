import type { Stats } from 'node:fs';
import { decodeRecord } from './codec';

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
  /**
   * How each hit gets its own record, decided at the first hit from memory: `spread` a
   * record of primitives one level deep, `clone` other plain data, `decode` anything else
   * from a copy of the bytes. `record` is the decoded record the first two copy.
   */
  copy?: { readonly how: 'spread' | 'clone'; readonly record: Record<string, unknown> } | { readonly how: 'decode' };
  /** Hit since eviction last passed it: it gets a second chance (the clock approximation of least recently used). */
  used: boolean;
}

/** 64 MiB: a sweep's small records by the hundred thousand, or a few large outputs. */
export const DEFAULT_MEMORY_BYTES = 64 * 2 ** 20;

/**
 * The memory tier: the bytes of recently read record files, by path, least
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

  /**
   * The record held for `path`, decoded afresh, if its file is still the one it came from.
   * A record of plain data (objects, arrays, primitives) is decoded once and copied for each
   * hit, which costs less than decoding and gives the same value; any other is decoded from
   * its bytes each time.
   */
  get(path: string, now: FileIdentity | undefined): unknown {
    const held = this.held.get(path);
    if (held === undefined) return undefined;
    if (now === undefined || !same(held, now)) {
      this.drop(path);
      return undefined;
    }
    // Marked, not moved: moving it to the back of the map at every hit would cost more than the hit.
    held.used = true;
    // What it holds is never handed out. v8.deserialize makes typed arrays and Buffers views
    // of the bytes it is given: each hit decodes its own copy of them.
    if (held.copy === undefined) {
      const record = decodeRecord(copy(held.bytes)) as Record<string, unknown>;
      held.copy = !isPlain(record, 0) || !objectsKnown(record) ? { how: 'decode' } : { how: isFlat(record) ? 'spread' : 'clone', record };
      if (held.copy.how === 'decode') return record;
    }
    if (held.copy.how === 'decode') return decodeRecord(copy(held.bytes));
    const { record } = held.copy;
    // Strings and numbers cannot be changed: a record of them one level deep is copied by
    // spreading its objects, which costs a tenth of a clone.
    if (held.copy.how === 'spread') return { ...record, input: shallow(record.input), output: shallow(record.output), parts: shallow(record.parts) };
    const { input, output, parts } = structuredClone({ input: record.input, output: record.output, parts: record.parts });
    return { ...record, input, output, parts };
  }

  /** Whether anything is held for `path`: a path never held costs a hit no `stat`. */
  has(path: string): boolean {
    return this.held.has(path);
  }

  /**
   * Holds `bytes`, just read from or written to `path` whose identity is `file`. Bytes that
   * a caller's record was decoded from are `shared` (its typed arrays are views of them):
   * the tier keeps a copy of those.
   */
  put(path: string, bytes: Uint8Array, file: FileIdentity, shared: boolean): void {
    this.drop(path);
    if (!this.fits(bytes)) return;
    if (shared) bytes = copy(bytes);
    this.held.set(path, { bytes, ino: file.ino, size: file.size, mtimeMs: file.mtimeMs, ctimeMs: file.ctimeMs, used: false });
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

  /**
   * Drops records from the front, oldest first, until the budget holds; one hit since it
   * was last passed sends a record to the back instead, once.
   */
  private shrink(): void {
    let passes = this.held.size;
    for (const [path, held] of this.held) {
      if (this.bytes <= this.budget) return;
      if (held.used && passes-- > 0) {
        held.used = false;
        this.held.delete(path);
        this.held.set(path, held);
      } else {
        this.drop(path);
      }
    }
  }
}

/**
 * Whether `structuredClone` gives what `v8.deserialize` gives for this value: primitives,
 * plain objects and arrays, to a bounded depth. Buffers (which v8 gives back as Buffers and
 * a clone as Uint8Arrays), class-like values and anything deep are decoded instead.
 */
function isPlain(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null) return typeof value !== 'function' && typeof value !== 'symbol';
  if (depth > 8) return false;
  if (Array.isArray(value)) return value.length <= 256 && value.every((v) => isPlain(v, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  const keys = Object.keys(value);
  return keys.length <= 256 && keys.every((k) => isPlain((value as Record<string, unknown>)[k], depth + 1));
}

/** Whether a record's only object-valued fields are the three each hit copies: its other fields can be shared. */
function objectsKnown(record: Record<string, unknown>): boolean {
  return Object.keys(record).every((k) => k === 'input' || k === 'output' || k === 'parts' || typeof record[k] !== 'object' || record[k] === null);
}

/** Whether the fields a hit copies hold nothing deeper than one object or array of primitives. */
function isFlat(record: Record<string, unknown>): boolean {
  return ['input', 'output', 'parts'].every((field) => {
    const value = record[field];
    if (typeof value !== 'object' || value === null) return true;
    if (!Object.values(value).every((v) => typeof v !== 'object' || v === null)) return false;
    // `slice` copies an array's elements only: no holes, no named properties beside them.
    return !Array.isArray(value) || (!hasHoles(value) && Object.keys(value).length === value.length);
  });
}

function hasHoles(array: readonly unknown[]): boolean {
  for (let i = 0; i < array.length; i++) if (!(i in array)) return true;
  return false;
}

/** A copy one level deep: enough for an object or array of primitives. */
function shallow(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  return Array.isArray(value) ? value.slice() : { ...value };
}

/** A copy of the bytes (`Buffer#slice` would give a view of them). */
function copy(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

function same(a: FileIdentity, b: Stats | FileIdentity): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;
}

/** One tier for the whole process, whatever the number of file stores. */
export const memoryTier = new MemoryTier();
