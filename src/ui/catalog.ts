import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkRecordFile } from '../maintenance/read';
import { scanCache, scanVersion, USED_FILE, type MethodDir, type VersionDir } from '../store/scan';
import type { RedisStore } from '../store/redis-store';
import { findRedisMethod, loadRedisRecords, scanRedis, type RedisTarget } from '../cli/redis';
import type { LoadedRecord } from '../cli/select';

/** One stored method as the page knows it: where it is, and an id that names it in requests. */
export interface CatalogMethod {
  /** `<place index>:<folder>`: the only way a request names a method. */
  readonly id: string;
  /** Which cache directory (or Redis) it is in, as the user gave it. */
  readonly place: string;
  readonly dir: MethodDir;
  /** When the listing began (ms since the epoch); a folder changed within SETTLE_MS before it may change again unseen. */
  readonly listedAt?: number;
}

/** File-system timestamps move in ticks of a few milliseconds (the kernel's coarse clock); this is well past one. */
const SETTLE_MS = 100;

interface HeldFile {
  readonly size: number;
  readonly mtimeMs: number;
  readonly record: LoadedRecord | null;
}

/** A version's valid records, oldest first, and how many stored entries were not valid records. */
export interface VersionRecords {
  readonly records: readonly LoadedRecord[];
  readonly invalid: number;
}

/**
 * What the page reads: the methods of every cache it was given, a version's records, and a
 * fingerprint that changes when anything stored changes. Read-only: nothing here writes.
 */
export interface Catalog {
  readonly places: readonly string[];
  methods(): Promise<CatalogMethod[]>;
  records(method: CatalogMethod, version: VersionDir): Promise<VersionRecords>;
  /** Changes whenever a record, version or current marker is added, replaced or removed. */
  fingerprint(): Promise<string>;
  close(): Promise<void>;
}

/**
 * Cache directories. A version's records are read once and kept; when its folder changes
 * (funes writes by renaming into it, so any write moves the folder's mtime) only files
 * whose size or mtime moved are read again, and an unchanged folder gives back the very
 * same answer, so what was made of it can be kept too.
 */
export class FileCatalog implements Catalog {
  private readonly loaded = new Map<string, { mtimeMs: number; settled: boolean; files: Map<string, HeldFile>; answer: VersionRecords }>();

  constructor(readonly places: readonly string[]) {}

  async methods(): Promise<CatalogMethod[]> {
    const listedAt = Date.now();
    return this.places.flatMap((root, i) => scanCache(root).methods.map((dir) => ({ id: `${i}:${dir.segment}`, place: root, dir, listedAt })));
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
      if (before && before.size === file.size && before.mtimeMs === file.mtimeMs) {
        files.set(file.key, before);
        continue;
      }
      const read = checkRecordFile(file, version.hash, method.dir.segment);
      if (read === undefined) continue;
      files.set(file.key, { size: file.size, mtimeMs: file.mtimeMs, record: read.record ? { file, record: read.record } : null });
    }
    const records: LoadedRecord[] = [];
    let invalid = 0;
    for (const f of files.values()) {
      if (f.record) records.push(f.record);
      else invalid++;
    }
    records.sort((a, b) => a.record.created - b.record.created || (a.file.key < b.file.key ? -1 : 1));
    const answer = { records, invalid };
    // File times move in coarse ticks: a rename in the same tick as the last one leaves the folder's mtime as it was.
    this.loaded.set(version.path, { mtimeMs: listing.mtimeMs, settled: listedAt - listing.mtimeMs > SETTLE_MS, files, answer });
    return answer;
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
    return (await scanRedis(this.store)).map((dir) => ({ id: `0:${dir.segment}`, place: this.places[0]!, dir }));
  }

  async records(method: CatalogMethod, version: VersionDir): Promise<VersionRecords> {
    const fresh = await findRedisMethod(this.store, method.dir.name);
    return loadRedisRecords(this.store, fresh, fresh.versions.find((v) => v.hash === version.hash) ?? version);
  }

  async fingerprint(): Promise<string> {
    const methods = await scanRedis(this.store);
    return JSON.stringify(methods.map((m) => [m.segment, m.current, m.versions.map((v) => [v.hash, v.records.map((r) => `${r.key}:${r.size}`).join(',')])]));
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
