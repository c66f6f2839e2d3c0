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

/** `funes ls`: every method and its versions, newest first, with what they hold. */
export function ls(root: string, options: { json?: boolean }): void {
  if (!existsSync(root)) throw new CliError(`no cache directory at ${root}; pass --dir or set FUNES_CACHE_DIR`);
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
  printLs({ dir: root }, root, methods, options);
}

/** One method as `funes ls` reports it. */
export interface LsMethod {
  readonly method: string;
  /** The folder (or Redis key segment) it is stored under. */
  readonly folder: string;
  readonly current: string | null;
  readonly versions: LsVersion[];
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
  const rows = methods.flatMap((m) =>
    m.versions.map((v, i) => [
      i === 0 ? m.method : '',
      v.version + (v.current ? ' (current)' : ''),
      String(v.records),
      formatBytes(v.bytes),
      formatSeconds(v.time),
      formatDate(v.created),
    ]),
  );
  process.stdout.write(table(['method', 'version', 'records', 'size', 'compute time', 'created'], rows) + '\n');
}
