import { existsSync } from 'node:fs';
import { checkRecordFile } from '../../maintenance/read';
import { scanCache, versionTime } from '../../store/scan';
import { CliError } from '../errors';
import { formatBytes, formatDate, formatSeconds } from '../format';
import { progress } from '../progress';
import { table } from '../table';

export interface LsVersion {
  readonly version: string;
  readonly current: boolean;
  readonly created: number;
  readonly records: number;
  readonly bytes: number;
  /** Seconds of computation the valid records stand for. */
  readonly time: number;
}

/**
 * `funes ls`: every method of every cache directory given, and its versions, newest first,
 * with what they hold. A directory that is missing among others is named on stderr and the
 * rest are listed; returns the exit code (1 when one was missing).
 */
export function ls(roots: readonly string[], options: { json?: boolean }): number {
  const missing = roots.filter((root) => !existsSync(root));
  if (missing.length === roots.length) throw new CliError(`no cache directory at ${missing.join(', ')}; pass --dir or set FUNES_CACHE_DIR`);
  if (missing.length > 0) process.stderr.write(`funes: no cache directory at ${missing.join(', ')}; listing the others\n`);
  const listed = roots.filter((root) => !missing.includes(root));
  const found = listed.flatMap((root) => lsDir(root).map((m) => ({ ...m, dir: root })));
  if (roots.length === 1) printLs({ dir: roots[0] }, roots[0]!, found.map(({ dir: _dir, ...m }) => m), options);
  else printLs({ dirs: listed }, listed.join(', '), found, options);
  return missing.length > 0 ? 1 : 0;
}

function lsDir(root: string): LsMethod[] {
  const scan = scanCache(root);
  const total = scan.methods.reduce((n, m) => n + m.versions.reduce((k, v) => k + v.records.length, 0), 0);
  const bar = progress('reading', total);
  const methods = scan.methods.map((m): LsMethod => ({
    method: m.name,
    folder: m.segment,
    current: m.current ?? null,
    versions: m.versions.map((v): LsVersion => {
      let time = 0;
      for (const file of v.records) {
        time += checkRecordFile(file, v.hash, m.segment)?.record?.time ?? 0;
        bar.tick();
      }
      return {
        version: v.hash,
        current: v.hash === m.current,
        created: versionTime(v),
        records: v.records.length,
        bytes: v.records.reduce((s, r) => s + r.size, 0),
        time,
      };
    }),
  }));
  bar.stop();
  return methods;
}

/** One method as `funes ls` reports it. */
export interface LsMethod {
  readonly method: string;
  /** The folder (or Redis key segment) it is stored under. */
  readonly folder: string;
  readonly current: string | null;
  readonly versions: LsVersion[];
  /** The cache directory it is in, when `ls` was given several. */
  readonly dir?: string;
}

/** Prints the methods found, wherever (files or Redis); `where` leads the JSON, `label` names the place. */
export function printLs(where: Record<string, unknown>, label: string, methods: readonly LsMethod[], options: { json?: boolean }): void {
  if (options.json) {
    process.stdout.write(JSON.stringify({ ...where, methods }, null, 2) + '\n');
    return;
  }
  if (methods.length === 0) {
    process.stdout.write(`no methods stored in ${label}\n`);
    return;
  }
  const several = methods.some((m) => m.dir !== undefined);
  const rows = methods.flatMap((m) =>
    m.versions.map((v, i) => [
      ...(several ? [i === 0 ? (m.dir ?? '') : ''] : []),
      i === 0 ? m.method : '',
      v.version + (v.current ? ' (current)' : ''),
      String(v.records),
      formatBytes(v.bytes),
      formatSeconds(v.time),
      formatDate(v.created),
    ]),
  );
  process.stdout.write(table([...(several ? ['dir'] : []), 'method', 'version', 'records', 'size', 'compute time', 'created'], rows) + '\n');
}
