import { summarise } from '../cli/format';
import { isPlainObject } from '../cli/rows';

/** Longest text a cell keeps, and the width of a summary of anything else. */
const MAX_TEXT = 1000;
const SUMMARY_WIDTH = 160;

/**
 * A value as the table holds it: numbers, booleans and short text as they are; long text
 * cut; anything else (arrays, typed arrays, Maps, nested objects) as a one-line summary.
 * The page never holds, nor the server keeps, a whole 100 MB array for one cell; the
 * record panel reads the record itself.
 */
export function cellValue(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
      return value.length <= MAX_TEXT ? value : `${value.slice(0, MAX_TEXT)}… (${value.length.toLocaleString('en-US')} characters)`;
    case 'number':
    case 'bigint':
    case 'boolean':
    case 'undefined':
      return value;
    case 'symbol':
    case 'function':
      return String(value);
    default:
      return value === null ? null : summarise(value, SUMMARY_WIDTH);
  }
}

/** An input's or output's value for the table: a plain object keeps its keys (each value a cell), so it is flattened one level. */
export function tableValue(value: unknown): unknown {
  if (!isPlainObject(value)) return cellValue(value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as object)) out[k] = cellValue(v);
  return out;
}

/** A cell as JSON carries it: numbers JSON cannot write (NaN, ±Infinity, -0) and BigInts as their text. */
export function wire(cell: unknown): unknown {
  if (typeof cell === 'number') return Number.isFinite(cell) && !Object.is(cell, -0) ? cell : Object.is(cell, -0) ? '-0' : String(cell);
  if (typeof cell === 'bigint') return cell.toString();
  return cell === undefined ? null : cell;
}

/** A cell as the page shows it and the filter searches it. */
export function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number') return Object.is(cell, -0) ? '-0' : String(cell);
  if (typeof cell === 'bigint' || typeof cell === 'boolean') return String(cell);
  return JSON.stringify(cell);
}
