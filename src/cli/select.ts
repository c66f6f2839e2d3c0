import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkRecordFile } from '../maintenance/read';
import type { StoredRecord } from '../record';
import { safeSegment } from '../store/names';
import { scanMethod, type MethodDir, type RecordFile, type VersionDir } from '../store/scan';
import { CliError } from './errors';
import { progress } from './progress';

/** The stored method named `Class.method` (or by its folder name, as `funes ls` prints neither). */
/** Whether `root` holds a method folder for `name`. */
export function hasMethod(root: string, name: string): boolean {
  return isDir(root) && [safeSegment(name), name].some((segment) => segment !== '' && !segment.includes('/') && !segment.includes('\\') && isDir(join(root, segment)));
}

export function findMethod(root: string, name: string): MethodDir {
  if (!isDir(root)) throw new CliError(`no cache directory at ${root}; pass --dir or set FUNES_CACHE_DIR`);
  for (const segment of [safeSegment(name), name]) {
    const path = join(root, segment);
    if (segment !== '' && !segment.includes('/') && !segment.includes('\\') && isDir(path)) return scanMethod(path);
  }
  throw new CliError(`no method ${name} in ${root}; run 'funes ls' to see the stored methods`);
}

/**
 * The version asked for by hash or unique prefix; otherwise the current one where the
 * version a program used last is stored, else the newest.
 */
export function pickVersion(method: MethodDir, asked: string | undefined): VersionDir {
  if (asked !== undefined) {
    const hits = method.versions.filter((v) => v.hash.startsWith(asked.toLowerCase()));
    if (hits.length === 1) return hits[0]!;
    const known = method.versions.map((v) => v.hash).join(', ') || 'none';
    if (hits.length === 0) throw new CliError(`${method.name} has no version ${asked}; its versions: ${known}`);
    throw new CliError(`version ${asked} of ${method.name} is ambiguous; give more of the hash (${hits.map((v) => v.hash).join(', ')})`);
  }
  const current = method.versions.find((v) => v.hash === method.current);
  const chosen = current ?? method.versions[0];
  if (!chosen) throw new CliError(`${method.name} has no stored version; nothing to show`);
  return chosen;
}

export interface LoadedRecord {
  readonly file: RecordFile;
  readonly record: StoredRecord;
}

/** Every valid record of a version, oldest first, and how many files were not valid records. */
export function loadRecords(method: MethodDir, version: VersionDir): { records: LoadedRecord[]; invalid: number } {
  const records: LoadedRecord[] = [];
  let invalid = 0;
  const bar = progress('reading', version.records.length);
  for (const file of version.records) {
    const read = checkRecordFile(file, version.hash, method.segment);
    bar.tick();
    if (!read) continue;
    if (read.record) records.push({ file, record: read.record });
    else invalid++;
  }
  bar.stop();
  records.sort(oldestFirst);
  return { records, invalid };
}

/** Records in the order they were made; the same instant, by key: the order every listing of a version shows. */
export function oldestFirst(a: { readonly record: { readonly created: number }; readonly file: { readonly key: string } }, b: typeof a): number {
  return a.record.created - b.record.created || (a.file.key < b.file.key ? -1 : 1);
}

/** Parameter names: from the meta where there is one, else every input name in the order first met. */
export function inputNames(version: VersionDir, records: readonly { readonly record: { readonly input: Record<string, unknown> } }[]): string[] {
  const names = [...(version.meta?.params ?? [])];
  for (const { record } of records) for (const k of Object.keys(record.input)) if (!names.includes(k)) names.push(k);
  return names;
}

export function invalidNote(invalid: number): string {
  return `${invalid} file${invalid === 1 ? ' is' : 's are'} not valid records and were skipped; 'funes verify --fix' removes them`;
}

function isDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}
