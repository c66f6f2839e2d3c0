import type { LoadedRecord } from './select';

/** A version's records as a table: what `funes export` writes and `funes ui` shows. */
export interface RecordRows {
  /** Column names: the inputs, then the output, then `time`. */
  readonly columns: string[];
  /** How many of the columns, from the first, are inputs. */
  readonly inputs: number;
  /** One row per record, a cell per column; times are seconds to the microsecond. */
  readonly rows: unknown[][];
}

/**
 * Columns: each input by name (one column per key, `params.lr`, when every record's value
 * of it is a plain object of primitives), then the output (likewise, `output.loss`), then
 * time. A name that clashes with those gets `input.`.
 */
export function tabulate(names: readonly string[], records: readonly LoadedRecord[]): RecordRows {
  const output = spread('output', records.map((r) => r.record.output));
  const reserved = new Set([...output.columns, 'output', 'time']);
  const inputs = names.map((n) => spread(reserved.has(n) ? `input.${n}` : n, records.map((r) => r.record.input[n])));
  const inputColumns = inputs.flatMap((c) => c.columns);
  // One array per row, filled in place: a table of 100,000 records is made for funes ui.
  const rows = records.map((r, i) => {
    const row: unknown[] = [];
    for (const c of inputs) c.fill(row, i);
    output.fill(row, i);
    row.push(Math.round(r.record.time * 1e6) / 1e6);
    return row;
  });
  return { columns: [...inputColumns, ...output.columns, 'time'], inputs: inputColumns.length, rows };
}

/** One value per record as one column, or as one column per key when every value is a flat plain object. */
function spread(name: string, values: readonly unknown[]): { columns: string[]; fill: (row: unknown[], i: number) => void } {
  if (values.length === 0 || !values.every(isFlatObject)) return { columns: [name], fill: (row, i) => void row.push(values[i]) };
  const keys: string[] = [];
  for (const v of values) for (const k of Object.keys(v as object)) if (!keys.includes(k)) keys.push(k);
  return {
    columns: keys.map((k) => `${name}.${k}`),
    fill: (row, i) => {
      const v = values[i] as Record<string, unknown>;
      for (const k of keys) row.push(v[k]);
    },
  };
}

function isFlatObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  // Object.prototype of any realm: a record decoded in another (a test runner's) is still plain.
  const proto = Object.getPrototypeOf(value) as { constructor?: unknown } | null;
  if (proto !== null && !(Object.getPrototypeOf(proto) === null && typeof proto.constructor === 'function' && proto.constructor.name === 'Object')) return false;
  return Object.values(value).every((v) => v === null || (typeof v !== 'object' && typeof v !== 'function'));
}
