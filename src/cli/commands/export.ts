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
 * Columns: the inputs by name, then the output (one column per key when every output is a
 * plain object of primitives), then time. A name that clashes with those gets `input.`.
 */
export function tabulate(names: readonly string[], records: readonly LoadedRecord[]): { columns: string[]; rows: unknown[][] } {
  const outputs = records.map((r) => r.record.output);
  const flat = outputs.length > 0 && outputs.every(isFlatObject);
  const outKeys: string[] = [];
  if (flat) for (const o of outputs) for (const k of Object.keys(o as object)) if (!outKeys.includes(k)) outKeys.push(k);
  const outColumns = flat ? outKeys.map((k) => `output.${k}`) : ['output'];
  const reserved = new Set([...outColumns, 'time']);
  const inColumns = names.map((n) => (reserved.has(n) ? `input.${n}` : n));
  const rows = records.map(({ record }) => [
    ...names.map((n) => record.input[n]),
    ...(flat ? outKeys.map((k) => (record.output as Record<string, unknown>)[k]) : [record.output]),
    record.time,
  ]);
  return { columns: [...inColumns, ...outColumns, 'time'], rows };
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
