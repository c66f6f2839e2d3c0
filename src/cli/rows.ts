/** What a table is made of: each record's input, output and time (a `LoadedRecord` is one). */
export interface RowSource {
  readonly record: { readonly input: Record<string, unknown>; readonly output: unknown; readonly time: number };
}

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
export function tabulate(names: readonly string[], records: readonly RowSource[]): RecordRows {
  const output = spread('output', records.map((r) => r.record.output));
  const reserved = new Set([...output.columns, 'output', 'time']);
  const inputs = names.map((n) => spread(reserved.has(n) ? `input.${n}` : n, records.map((r) => r.record.input[n])));
  // An input named like another's field (`input` holding { output }, beside `output`) would repeat a name: number the repeats.
  const seen = new Map<string, number>();
  const unique = (name: string): string => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name} (${n})`;
  };
  for (const c of [...inputs, output]) c.columns = c.columns.map(unique);
  const inputColumns = inputs.flatMap((c) => c.columns);
  // One array per row, filled in place: a table of 100,000 records is made for funes ui.
  const rows = records.map((r, i) => {
    const row: unknown[] = [];
    for (const c of inputs) c.fill(row, i);
    output.fill(row, i);
    row.push(Math.round(r.record.time * 1e6) / 1e6);
    return row;
  });
  return { columns: [...inputColumns, ...output.columns, unique('time')], inputs: inputColumns.length, rows };
}

/** One value per record as one column, or as one column per key when every value is a flat plain object. */
function spread(name: string, values: readonly unknown[]): { columns: string[]; readonly fill: (row: unknown[], i: number) => void } {
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
  return isPlainObject(value) && Object.values(value as object).every((v) => v === null || (typeof v !== 'object' && typeof v !== 'function'));
}

/** An object literal's kind of object: Object.prototype (of any realm: a record decoded in a test runner's is still plain) or none. */
export function isPlainObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as { constructor?: unknown } | null;
  return proto === null || (Object.getPrototypeOf(proto) === null && typeof proto.constructor === 'function' && proto.constructor.name === 'Object');
}
