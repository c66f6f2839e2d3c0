import { csvLine } from '../csv';
import { toPlain } from '../plain';
import { tabulate } from '../rows';
import type { VersionDir } from '../../store/scan';
import { findMethod, inputNames, invalidNote, loadRecords, pickVersion, type LoadedRecord } from '../select';

export const FORMATS = ['csv', 'json', 'ndjson'] as const;
export type ExportFormat = (typeof FORMATS)[number];

/** `funes export`: every record of a version as rows, one column per input, output and time. */
export function exportRecords(root: string, name: string, options: { format: ExportFormat; version?: string }): void {
  const method = findMethod(root, name);
  const version = pickVersion(method, options.version);
  printExport(version, loadRecords(method, version), options.format);
}

/** Writes one version's records as rows, wherever they were read from (files or Redis). */
export function printExport(version: VersionDir, loaded: { records: LoadedRecord[]; invalid: number }, format: ExportFormat): void {
  const { records, invalid } = loaded;
  const options = { format };
  const { columns, rows } = tabulate(inputNames(version, records), records);
  const out = process.stdout;
  if (options.format === 'csv') {
    out.write(csvLine(columns));
    for (const row of rows) out.write(csvLine(row.map(csvField)));
  } else if (options.format === 'ndjson') {
    for (const row of rows) out.write(JSON.stringify(asObject(columns, row)) + '\n');
  } else {
    out.write(JSON.stringify(rows.map((row) => asObject(columns, row)), null, 2) + '\n');
  }
  if (invalid > 0) process.stderr.write(`funes: ${invalidNote(invalid)}\n`);
}

function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return JSON.stringify(toPlain(value));
}

function asObject(columns: readonly string[], row: readonly unknown[]): Record<string, unknown> {
  return Object.fromEntries(columns.map((c, i) => [c, toPlain(row[i])]));
}
