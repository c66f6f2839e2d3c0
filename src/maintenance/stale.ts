import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { scanVersion } from '../store/scan';
import { removeVersion } from './remove';

/**
 * What clearing versions removed.
 * @example
 * ```ts
 * const { versions, records, bytes } = Memorious.clearStale(lab.double);
 * ```
 */
export interface ClearSummary {
  /** Version folders removed. */
  readonly versions: number;
  /** Records they held. */
  readonly records: number;
  /** Bytes they held, records and everything else in them. */
  readonly bytes: number;
}

/** Removes the given versions of the method stored at `methodPath`, counting what they held first. */
export function clearVersions(methodPath: string, hashes: readonly string[], dryRun = false): ClearSummary {
  let records = 0;
  let bytes = 0;
  let versions = 0;
  for (const hash of hashes) {
    const path = join(methodPath, hash);
    if (!existsSync(path)) continue;
    const v = scanVersion(path);
    records += v.records.length;
    bytes += v.records.reduce((s, r) => s + r.size, 0) + v.temps.reduce((s, t) => s + t.size, 0);
    if (!dryRun) removeVersion(v.path);
    versions++;
  }
  return { versions, records, bytes };
}
