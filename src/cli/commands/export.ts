import { csvLine } from '../csv';
import { toPlain } from '../plain';
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

/**
 * Columns: each input by name (one column per key, `params.lr`, when every record's value
 * of it is a plain object of primitives), then the output (likewise, `output.loss`), then
 * time. A name that clashes with those gets `input.`. Times are seconds to the microsecond.
 */
export function tabulate(names: readonly string[], records: readonly LoadedRecord[]): { columns: string[]; rows: unknown[][] } {
  const output = spread('output', records.map((r) => r.record.output));
  const reserved = new Set([...output.columns, 'output', 'time']);
  const inputs = names.map((n) => spread(reserved.has(n) ? `input.${n}` : n, records.map((r) => r.record.input[n])));
  const rows = records.map((_, i) => [...inputs.flatMap((c) => c.cells(i)), ...output.cells(i), Math.round(records[i]!.record.time * 1e6) / 1e6]);
  return { columns: [...inputs.flatMap((c) => c.columns), ...output.columns, 'time'], rows };
}

/** One value per record as one column, or as one column per key when every value is a flat plain object. */
function spread(name: string, values: readonly unknown[]): { columns: string[]; cells: (i: number) => unknown[] } {
  if (values.length === 0 || !values.every(isFlatObject)) return { columns: [name], cells: (i) => [values[i]] };
  const keys: string[] = [];
  for (const v of values) for (const k of Object.keys(v as object)) if (!keys.includes(k)) keys.push(k);
  return { columns: keys.map((k) => `${name}.${k}`), cells: (i) => keys.map((k) => (values[i] as Record<string, unknown>)[k]) };
}

function isFlatObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value).every((v) => v === null || (typeof v !== 'object' && typeof v !== 'function'));
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
