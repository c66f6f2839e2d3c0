import { log } from '../log';
import { basename, dirname } from 'node:path';
import { allRecords, allTemps, scanCache, TMP_GRACE_MS, type CacheScan, type FileInfo, type RecordFile } from '../store/scan';
import { removeFiles, removeIfEmpty, removeMethodIfEmpty } from './remove';

/** Limits a prune enforces, already parsed; an absent limit does not apply. */
export interface PruneLimits {
  /** Bytes of record files to keep at most. */
  readonly maxBytes?: number;
  /** Milliseconds since a record's last use beyond which it goes. */
  readonly maxAge?: number;
  /** Records to keep at most. */
  readonly maxEntries?: number;
}

/**
 * What a prune removed (or, in a dry run, would remove) and what it kept.
 * @example
 * ```ts
 * const { removed, freedBytes } = Memorious.prune({ maxBytes: '10G' });
 * ```
 */
export interface PruneSummary {
  /** The cache directory pruned. */
  readonly dir: string;
  /** True when nothing was removed, only counted. */
  readonly dryRun: boolean;
  /** Records removed. */
  readonly removed: number;
  /** Bytes freed: removed records and temporary files. */
  readonly freedBytes: number;
  /** Records kept. */
  readonly kept: number;
  /** Their bytes. */
  readonly keptBytes: number;
  /** Version folders removed because no record was left in them. */
  readonly versionsRemoved: number;
  /** Leftover temporary files (older than a minute) removed. */
  readonly tempFiles: number;
}

export interface PrunePlan {
  readonly records: readonly RecordFile[];
  readonly temps: readonly FileInfo[];
  readonly kept: number;
  readonly keptBytes: number;
  /** Version folders every record of which is planned to go. */
  readonly emptied: readonly string[];
}

/**
 * Least recently used first: records unused for longer than `maxAge` go, then the
 * oldest of the rest until both `maxBytes` and `maxEntries` hold.
 */
export function planPrune(scan: CacheScan, limits: PruneLimits, now: number): PrunePlan {
  const all = [...allRecords(scan)].map((r) => r.record);
  all.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.path < b.path ? -1 : 1));
  let bytes = all.reduce((sum, r) => sum + r.size, 0);
  let count = all.length;
  const chosen: RecordFile[] = [];
  for (const r of all) {
    const expired = limits.maxAge !== undefined && now - r.mtimeMs > limits.maxAge;
    const over = (limits.maxBytes !== undefined && bytes > limits.maxBytes) || (limits.maxEntries !== undefined && count > limits.maxEntries);
    if (!expired && !over) continue;
    chosen.push(r);
    bytes -= r.size;
    count--;
  }
  const going = new Set(chosen.map((r) => r.path));
  const emptied = scan.methods.flatMap((m) =>
    m.versions.filter((v) => v.records.length > 0 && v.records.every((r) => going.has(r.path))).map((v) => v.path),
  );
  const temps = allTemps(scan).filter((t) => now - t.mtimeMs > TMP_GRACE_MS);
  return { records: chosen, temps, kept: count, keptBytes: bytes, emptied };
}

/** Carries out a plan (unless `dryRun`); `onProgress` hears of each record removed. */
export function prune(
  root: string,
  limits: PruneLimits,
  options: { readonly dryRun?: boolean; readonly now?: number; readonly onProgress?: (done: number, total: number) => void } = {},
): PruneSummary {
  const plan = planPrune(scanCache(root), limits, options.now ?? Date.now());
  const dryRun = options.dryRun ?? false;
  const planned = { records: plan.records.length, bytes: sum(plan.records) + sum(plan.temps), temps: plan.temps.length };
  if (dryRun) {
    return summary(root, true, planned.records, planned.bytes, plan, plan.emptied.length, planned.temps);
  }
  const temps = removeFiles(plan.temps);
  let done = 0;
  const total = plan.records.length;
  const records = removeFiles(plan.records, () => options.onProgress?.(++done, total));
  if (log.enabled) for (const r of plan.records) log('evict %s (%d bytes, last used %s)', r.path, r.size, new Date(r.mtimeMs).toISOString());
  const touched = new Set(plan.records.map((r) => dirname(r.path)));
  for (const t of plan.temps) if (/^[0-9a-f]+$/.test(basename(dirname(t.path)))) touched.add(dirname(t.path));
  let versionsRemoved = 0;
  for (const dir of touched) {
    if (removeIfEmpty(dir)) {
      versionsRemoved++;
      removeMethodIfEmpty(dirname(dir));
    }
  }
  return summary(root, false, records.files, records.bytes + temps.bytes, plan, versionsRemoved, temps.files);
}

function summary(dir: string, dryRun: boolean, removed: number, freedBytes: number, plan: PrunePlan, versionsRemoved: number, tempFiles: number): PruneSummary {
  return { dir, dryRun, removed, freedBytes, kept: plan.kept, keptBytes: plan.keptBytes, versionsRemoved, tempFiles };
}

function sum(files: readonly FileInfo[]): number {
  return files.reduce((s, f) => s + f.size, 0);
}

/**
 * Options of `Memorious.prune`. Limits left out do not apply; with none, only leftover
 * temporary files go.
 * @example
 * ```ts
 * Memorious.prune({ maxBytes: '10G', maxAge: '30d', dryRun: true });
 * ```
 */
export interface PruneOptions {
  /**
   * The cache directory to prune.
   * @default the configured cache directory (`Memorious.configure`, `$FUNES_CACHE_DIR`, `./cache`)
   */
  readonly dir?: string;
  /** Keep at most this many bytes of records: a number, or a string such as `'10G'`, `'500M'`, `'2k'` (binary units). */
  readonly maxBytes?: number | string;
  /** Remove records unused for longer than this: milliseconds, or a string such as `'30d'`, `'12h'`, `'15m'`. */
  readonly maxAge?: number | string;
  /** Keep at most this many records. */
  readonly maxEntries?: number;
  /**
   * Count what would go, remove nothing.
   * @default false
   */
  readonly dryRun?: boolean;
}
