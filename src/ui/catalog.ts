import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkRecordFile } from '../maintenance/read';
import type { StoredRecord } from '../record';
import { scanCache, scanVersion, USED_FILE, type MethodDir, type RecordFile, type VersionDir } from '../store/scan';
import type { RedisStore } from '../store/redis-store';
import { oldestFirst } from '../cli/select';
import { findRedisMethod, loadRedisRecords, scanRedis, type RedisTarget } from '../cli/redis';
import { tableValue } from './cells';

/** One stored method as the page knows it: where it is, and an id that names it in requests. */
export interface CatalogMethod {
  /** 16 hex digits from its place and folder: requests name a method by this, never by a folder name. */
  readonly id: string;
  /** Which cache directory (or Redis) it is in, as the user gave it. */
  readonly place: string;
  readonly dir: MethodDir;
  /** When the listing began (ms since the epoch); a folder changed within SETTLE_MS before it may change again unseen. */
  readonly listedAt?: number;
}

/** A record as the table needs it: its file, time and creation, and its input and output as cells (see `tableValue`). */
export interface RowRecord {
  readonly file: RecordFile;
  readonly record: { readonly input: Record<string, unknown>; readonly output: unknown; readonly time: number; readonly created: number };
}

/** A version's valid records, oldest first; how many stored entries were not valid records; the bytes of all of them. */
export interface VersionRecords {
  readonly records: readonly RowRecord[];
  readonly invalid: number;
  readonly bytes: number;
}

/**
 * What the page reads: the methods of every cache it was given, a version's records, one
 * whole record, and a fingerprint that changes when anything stored changes. Read-only:
 * nothing here writes.
 */
export interface Catalog {
  readonly places: readonly string[];
  methods(): Promise<CatalogMethod[]>;
  records(method: CatalogMethod, version: VersionDir): Promise<VersionRecords>;
  /** One whole record, read when asked for; undefined when it is gone or no longer valid. */
  record(method: CatalogMethod, version: VersionDir, key: string): Promise<StoredRecord | undefined>;
  /** Changes whenever a record, version or current marker is added, replaced or removed. */
  fingerprint(): Promise<string>;
  close(): Promise<void>;
}

/** File-system timestamps move in ticks of a few milliseconds (the kernel's coarse clock); this is well past one. */
const SETTLE_MS = 100;

interface HeldFile {
  readonly file: RecordFile;
  readonly row: RowRecord | null;
}

function methodId(place: string, segment: string): string {
  return createHash('sha256').update(`${place}\u0000${segment}`).digest('hex').slice(0, 16);
}

function rowOf(file: RecordFile, record: StoredRecord): RowRecord {
  const input: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record.input)) input[k] = tableValue(v);
  return { file, record: { input, output: tableValue(record.output), time: record.time, created: record.created } };
}

function answerOf(held: Iterable<HeldFile>): VersionRecords {
  const records: RowRecord[] = [];
  let invalid = 0;
  let bytes = 0;
  for (const f of held) {
    bytes += f.file.size;
    if (f.row) records.push(f.row);
    else invalid++;
  }
  records.sort(oldestFirst);
  return { records, invalid, bytes };
}

/**
 * Cache directories. A version's records are read once and kept as table cells; when its
 * folder changes (funes writes by renaming into it, so any write moves the folder's mtime)
 * only files whose size or mtime moved are read again, and an unchanged folder gives back
 * the very same answer, so what was made of it can be kept too.
 */
export class FileCatalog implements Catalog {
  private readonly loaded = new Map<string, { mtimeMs: number; settled: boolean; files: Map<string, HeldFile>; answer: VersionRecords }>();

  constructor(readonly places: readonly string[]) {}

  async methods(): Promise<CatalogMethod[]> {
    const listedAt = Date.now();
    return this.places.flatMap((root) => scanCache(root).methods.map((dir) => ({ id: methodId(root, dir.segment), place: root, dir, listedAt })));
  }

  async records(method: CatalogMethod, version: VersionDir): Promise<VersionRecords> {
    const held = this.loaded.get(version.path);
    const now = mtime(version.path);
    if (held !== undefined && held.mtimeMs === now && held.settled) return held.answer;
    // The scan that listed the version stat-ed its files: use it while its folder has not moved since.
    let listing = version;
    let listedAt = method.listedAt ?? 0;
    if (version.mtimeMs !== now) {
      listedAt = Date.now();
      listing = scanVersion(version.path);
    }
    const files = new Map<string, HeldFile>();
    for (const file of listing.records) {
      const before = held?.files.get(file.key);
      if (before && before.file.size === file.size && before.file.mtimeMs === file.mtimeMs) {
        files.set(file.key, before);
        continue;
      }
      const read = checkRecordFile(file, version.hash, method.dir.segment);
      if (read === undefined) continue;
      files.set(file.key, { file, row: read.record ? rowOf(file, read.record) : null });
    }
    const answer = answerOf(files.values());
    // File times move in coarse ticks: a rename in the same tick as the last one leaves the folder's mtime as it was.
    this.loaded.set(version.path, { mtimeMs: listing.mtimeMs, settled: listedAt - listing.mtimeMs > SETTLE_MS, files, answer });
    return answer;
  }

  async record(method: CatalogMethod, version: VersionDir, key: string): Promise<StoredRecord | undefined> {
    const file = this.loaded.get(version.path)?.files.get(key)?.file ?? version.records.find((r) => r.key === key);
    return file ? checkRecordFile(file, version.hash, method.dir.segment)?.record : undefined;
  }

  async fingerprint(): Promise<string> {
    // Folders' mtimes and the used markers: a few system calls per version, whatever the record count.
    const parts: string[] = [];
    const now = Date.now();
    let latest = -Infinity;
    const at = (path: string): number => {
      const t = mtime(path);
      latest = Math.max(latest, t);
      return t;
    };
    for (const root of this.places) {
      parts.push(`${root}@${at(root)}`);
      for (const m of subdirs(root)) {
        const mp = join(root, m);
        parts.push(`${m}@${at(mp)}`);
        for (const v of subdirs(mp)) parts.push(`${v}@${at(join(mp, v))}:${at(join(mp, v, USED_FILE))}`);
      }
    }
    // A change in the same coarse tick as the last would leave every mtime as it is: while one is
    // that recent, the fingerprint differs from poll to poll, so the page looks again.
    if (now - latest <= SETTLE_MS) parts.push(`unsettled@${now}`);
    return parts.join('\n');
  }

  async close(): Promise<void> {}
}

/** A RedisStore, read through the same listing the CLI's `--redis` commands use. */
export class RedisCatalog implements Catalog {
  readonly places: readonly string[];

  constructor(
    private readonly store: RedisStore,
    target: RedisTarget,
  ) {
    this.places = [`${target.url} (prefix ${target.prefix})`];
  }

  async methods(): Promise<CatalogMethod[]> {
    return (await scanRedis(this.store)).map((dir) => ({ id: methodId(this.places[0]!, dir.segment), place: this.places[0]!, dir }));
  }

  async records(method: CatalogMethod, version: VersionDir): Promise<VersionRecords> {
    const fresh = await findRedisMethod(this.store, method.dir.name);
    const at = fresh.versions.find((v) => v.hash === version.hash) ?? version;
    const { records, invalid } = await loadRedisRecords(this.store, fresh, at);
    const rows = records.map(({ file, record }) => rowOf(file, record));
    return { records: rows, invalid, bytes: at.records.reduce((n, r) => n + r.size, 0) };
  }

  async record(method: CatalogMethod, version: VersionDir, key: string): Promise<StoredRecord | undefined> {
    const { records } = await loadRedisRecords(this.store, method.dir, { ...version, records: version.records.filter((r) => r.key === key) });
    return records.find((r) => r.file.key === key)?.record;
  }

  /**
   * Every stored value's bytes, hashed: Redis keeps no modification time, and a record
   * rewritten (a refresh) may keep its size. It reads the whole store each time, so the
   * page checks Redis no more often than once a second.
   */
  async fingerprint(): Promise<string> {
    const hash = createHash('sha256');
    for (const m of await scanRedis(this.store)) {
      hash.update(`${m.segment}\u0000${m.current ?? ''}\u0000`);
      for (const v of m.versions) {
        hash.update(`${v.hash}\u0000`);
        for (let i = 0; i < v.records.length; i += 500) {
          const batch = v.records.slice(i, i + 500);
          const values = await Promise.all(batch.map((r) => this.store.client.getBuffer(this.store.key(m.name, v.hash, r.key))));
          batch.forEach((r, j) => {
            hash.update(`${r.key}:${values[j]?.length ?? -1}\u0000`);
            if (values[j]) hash.update(values[j]!);
          });
        }
      }
    }
    return hash.digest('hex');
  }

  async close(): Promise<void> {
    await this.store.close();
  }
}

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

function subdirs(path: string): string[] {
  try {
    return readdirSync(path, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
}
