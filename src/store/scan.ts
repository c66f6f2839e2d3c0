import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { segmentName } from './names';

import { lockIsDead } from './file-lock';
import { GUARD_EXT, DRAFT_EXT, LOCK_EXT, META_FILE, RECORD_EXT, TMP_PREFIX, USED_FILE } from './layout';
import type { VersionMeta as WrittenMeta } from './types';
import type { Dependency } from '../version/dependency';

export { META_FILE, OLD_CURRENT_FILE, TMP_GRACE_MS, TMP_PREFIX, USED_FILE } from './layout';
const HEX = /^[0-9a-f]{1,128}$/;

/** A file on disk with what pruning and reporting need of it. */
export interface FileInfo {
  readonly path: string;
  readonly size: number;
  /** Last modification; for a record, its last use (the library refreshes it on hits). */
  readonly mtimeMs: number;
}

/** One `<argument hash>.bin`. */
export interface RecordFile extends FileInfo {
  readonly key: string;
}

/** What produced a version, as the library writes it to `meta.json`; every field may be absent in old caches. */
export type VersionMeta = Partial<WrittenMeta>;

export interface VersionDir {
  readonly hash: string;
  readonly path: string;
  readonly mtimeMs: number;
  readonly meta?: VersionMeta;
  readonly records: readonly RecordFile[];
  readonly temps: readonly FileInfo[];
}

export interface MethodDir {
  /** The folder name, as `safeSegment` made it. */
  readonly segment: string;
  /** `Class.method`: from a version's meta where there is one, else unescaped from the folder. */
  readonly name: string;
  readonly path: string;
  /** The version a running program last used, where known. */
  readonly current?: string;
  readonly versions: readonly VersionDir[];
  /** Temporary files beside the versions. */
  readonly temps: readonly FileInfo[];
}

export interface CacheScan {
  readonly root: string;
  readonly methods: readonly MethodDir[];
}

/** Everything under a cache root; a root that does not exist holds nothing. */
export function scanCache(root: string): CacheScan {
  const methods = dirents(root)
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => scanMethod(join(root, d.name)))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { root, methods };
}

export function scanMethod(path: string): MethodDir {
  const entries = dirents(path);
  const segment = path.split(/[\\/]/).pop()!;
  const versions = newestFirst(entries.filter((d) => d.isDirectory() && HEX.test(d.name)).map((d) => scanVersion(join(path, d.name))));
  const named = versions.find((v) => typeof v.meta?.method === 'string')?.meta?.method;
  return {
    segment,
    name: named ?? segmentName(segment),
    path,
    current: readCurrent(path),
    versions,
    temps: temps(path, entries),
  };
}

export function scanVersion(path: string): VersionDir {
  // Before the listing: a file renamed in while it is read moves the folder's mtime past this.
  const mtimeMs = stat(path)?.mtimeMs ?? 0;
  const entries = dirents(path);
  const records: RecordFile[] = [];
  for (const d of entries) {
    if (!d.isFile() || d.name.startsWith('.') || !d.name.endsWith(RECORD_EXT)) continue;
    const key = d.name.slice(0, -RECORD_EXT.length);
    const info = stat(join(path, d.name));
    if (info && HEX.test(key)) records.push({ key, ...info });
  }
  return {
    hash: path.split(/[\\/]/).pop()!,
    path,
    mtimeMs,
    meta: readMeta(path),
    records,
    temps: temps(path, entries),
  };
}

function isDependency(d: unknown): boolean {
  if (typeof d !== 'object' || d === null) return false;
  const o = d as Record<string, unknown>;
  return typeof o.name === 'string' && typeof o.kind === 'string' && typeof o.text === 'string' && (o.file === undefined || typeof o.file === 'string');
}

/** The meta of a version, or undefined when it is missing or unreadable: nothing depends on it. */
export function readMeta(versionPath: string): VersionMeta | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(join(versionPath, META_FILE), 'utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const m = value as Record<string, unknown>;
    return {
      format: typeof m.format === 'number' ? m.format : undefined,
      method: typeof m.method === 'string' ? m.method : undefined,
      source: typeof m.source === 'string' ? m.source : undefined,
      params: Array.isArray(m.params) && m.params.every((p) => typeof p === 'string') ? (m.params as string[]) : undefined,
      created: typeof m.created === 'number' ? m.created : undefined,
      origin: m.origin === 'source' || m.origin === 'compiled' ? m.origin : undefined,
      file: typeof m.file === 'string' ? m.file : undefined,
      dependencies: Array.isArray(m.dependencies) && m.dependencies.every(isDependency) ? (m.dependencies as Dependency[]) : undefined,
    };
  } catch {
    return undefined;
  }
}

/** The version a program used last: the one whose `used` marker holds the latest time. */
export function readCurrent(methodPath: string): string | undefined {
  return lastUsedVersion(methodPath).version;
}

/** The version a program used last, and when (its `used` time; -Infinity when none has said). */
export function lastUsedVersion(methodPath: string): { version: string | undefined; used: number } {
  let current: string | undefined;
  let latest = -Infinity;
  for (const d of dirents(methodPath)) {
    if (!d.isDirectory() || !HEX.test(d.name)) continue;
    const used = lastUsed(join(methodPath, d.name));
    if (used !== undefined && (used > latest || (used === latest && d.name < current!))) {
      latest = used;
      current = d.name;
    }
  }
  return { version: current, used: latest };
}

/** When a program last used a version, or undefined when none has said. */
export function lastUsed(versionPath: string): number | undefined {
  try {
    const n = Number(readFileSync(join(versionPath, USED_FILE), 'utf8').trim());
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

/** When a version was made: its meta says so; without meta, its folder's mtime is the best guess. */
export function versionTime(v: VersionDir): number {
  return v.meta?.created ?? v.mtimeMs;
}

export function newestFirst(versions: VersionDir[]): VersionDir[] {
  return versions.sort((a, b) => versionTime(b) - versionTime(a) || (a.hash < b.hash ? -1 : 1));
}

/** Every record of a scan, with the version and method it belongs to. */
export function* allRecords(scan: CacheScan): Generator<{ method: MethodDir; version: VersionDir; record: RecordFile }> {
  for (const method of scan.methods) {
    for (const version of method.versions) {
      for (const record of version.records) yield { method, version, record };
    }
  }
}

/** Every temporary file of a scan, in method and version folders. */
export function allTemps(scan: CacheScan): FileInfo[] {
  return scan.methods.flatMap((m) => [...m.temps, ...m.versions.flatMap((v) => v.temps)]);
}

/** Leftovers of interrupted work: temporary files, lock drafts and guards, locks of dead holders. */
function temps(dir: string, entries: Dirent[]): FileInfo[] {
  const out: FileInfo[] = [];
  for (const d of entries) {
    if (!d.isFile()) continue;
    const leftover =
      d.name.startsWith(TMP_PREFIX) || d.name.endsWith(GUARD_EXT) || d.name.endsWith(DRAFT_EXT) || (d.name.endsWith(LOCK_EXT) && lockIsDead(join(dir, d.name)));
    if (!leftover) continue;
    const info = stat(join(dir, d.name));
    if (info) out.push(info);
  }
  return out;
}

/** A file removed while we looked is simply not there. */
function stat(path: string): FileInfo | undefined {
  try {
    const s = statSync(path);
    return { path, size: s.size, mtimeMs: s.mtimeMs };
  } catch (error) {
    if (gone(error)) return undefined;
    throw error;
  }
}

function dirents(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if (gone(error)) return [];
    throw error;
  }
}

function gone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
