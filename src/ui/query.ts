import { tabulate } from '../cli/rows';
import { inputNames } from '../cli/select';
import type { VersionDir } from '../store/scan';
import type { VersionRecords } from './catalog';
import { cellText } from './cells';

/** A column of a version's table, and whether every value in it is a number (so it can be plotted). */
export interface Column {
  readonly name: string;
  readonly role: 'input' | 'output' | 'time';
  readonly numeric: boolean;
}

/**
 * One version's records as rows of cells (see `cellValue`), held by the server so that the
 * browser gets a page at a time. Numbers stay numbers (NaN, ±Infinity, -0 and BigInts
 * included), so that they sort, filter and plot as numbers.
 */
export class VersionTable {
  readonly columns: Column[];
  readonly keys: string[];
  readonly rows: unknown[][];
  /** Each row's cells as lower-case text, for filtering: made at the first filter, then kept. */
  private texts: string[][] | undefined;
  private readonly byKey = new Map<string, number>();
  private readonly answers = new Map<string, number[]>();

  constructor(
    version: VersionDir,
    readonly loaded: VersionRecords,
  ) {
    const table = tabulate(inputNames(version, loaded.records), loaded.records);
    this.rows = table.rows;
    this.keys = loaded.records.map((r) => r.file.key);
    this.keys.forEach((k, i) => this.byKey.set(k, i));
    const last = table.columns.length - 1;
    this.columns = table.columns.map((name, c) => ({
      name,
      role: c < table.inputs ? 'input' : c === last ? 'time' : 'output',
      numeric: this.rows.some((row) => isNumber(row[c])) && this.rows.every((row) => isNumber(row[c]) || row[c] === null || row[c] === undefined),
    }));
  }

  /** The row of a record, by its key or a prefix of it; undefined when no record's key starts so, 'ambiguous' when several do. */
  rowOf(key: string): number | 'ambiguous' | undefined {
    const exact = this.byKey.get(key);
    if (exact !== undefined || key.length >= 64) return exact;
    let found: number | undefined;
    for (let i = 0; i < this.keys.length; i++) {
      if (!this.keys[i]!.startsWith(key)) continue;
      if (found !== undefined) return 'ambiguous';
      found = i;
    }
    return found;
  }

  /** The index of the column named `name`, or -1. */
  column(name: string): number {
    return this.columns.findIndex((c) => c.name === name);
  }

  /**
   * The rows a query selects, in order. `q` is words separated by spaces: `column:text`
   * keeps rows whose cell contains the text, `column=v` equals it, `column>n` and `column<n`
   * compare numbers, any other word must appear in some cell; all must hold. Case is ignored.
   * @throws QueryError naming an unknown column or a comparison with no number.
   */
  select(q: string, sort: number | undefined, descending: boolean): number[] {
    const memo = `${q}\u0000${sort ?? ''}\u0000${descending}`;
    const known = this.answers.get(memo);
    if (known) return known;
    const tests = parseQuery(q, this.columns.map((c) => c.name));
    let picked: number[] = [];
    if (tests.length === 0) picked = this.rows.map((_, i) => i);
    else {
      const texts = (this.texts ??= this.rows.map((row) => row.map((cell) => cellText(cell).toLowerCase())));
      for (let i = 0; i < this.rows.length; i++) if (tests.every((t) => t(this.rows[i]!, texts[i]!))) picked.push(i);
    }
    if (sort !== undefined) {
      const c = sort;
      picked = picked.sort((a, b) => compareCells(this.rows[a]![c], this.rows[b]![c], descending) || a - b);
    }
    if (this.answers.size > 16) this.answers.clear();
    this.answers.set(memo, picked);
    return picked;
  }
}

/** A query the user can fix: an unknown column, or a comparison without a number. */
export class QueryError extends Error {}

type Test = (row: readonly unknown[], texts: readonly string[]) => boolean;

function parseQuery(q: string, columns: readonly string[]): Test[] {
  const tests: Test[] = [];
  for (const word of q.trim().split(/\s+/).filter((w) => w !== '')) {
    const m = /^([^:=<>]+)([:=<>])(.*)$/.exec(word);
    const c = m ? columns.findIndex((name) => name.toLowerCase() === m[1]!.toLowerCase()) : -1;
    if (!m || c < 0) {
      // Not a column's name: a word to find anywhere (a URL or a ratio like 1:2 stays a word).
      const text = word.toLowerCase();
      tests.push((_row, texts) => texts.some((t) => t.includes(text)));
      continue;
    }
    const op = m[2]!;
    const value = m[3]!.toLowerCase();
    if (op === ':') tests.push((_row, texts) => texts[c]!.includes(value));
    else if (op === '=') {
      // `lr=.1` finds 0.1: a number is compared as a number, anything else by its text.
      const n = value.trim() === '' ? NaN : Number(value);
      tests.push((row, texts) => (isNumber(row[c]) && !Number.isNaN(n) ? Number(row[c]) === n : texts[c] === value));
    }
    else {
      const n = Number(value);
      if (value === '' || Number.isNaN(n)) throw new QueryError(`${word}: ${op} compares with a number`);
      tests.push(op === '>' ? (row) => isNumber(row[c]) && (row[c] as number) > n : (row) => isNumber(row[c]) && (row[c] as number) < n);
    }
  }
  return tests;
}

function isNumber(cell: unknown): boolean {
  return typeof cell === 'number' || typeof cell === 'bigint';
}

/**
 * Numbers (and BigInts) first, in numeric order, NaN after them; then everything else by
 * its text; empty cells last, whichever the direction.
 */
function compareCells(a: unknown, b: unknown, descending: boolean): number {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  const sign = descending ? -1 : 1;
  const anum = isNumber(a);
  const bnum = isNumber(b);
  if (anum && bnum) {
    const aNaN = Number.isNaN(a);
    const bNaN = Number.isNaN(b);
    if (aNaN || bNaN) return aNaN === bNaN ? 0 : aNaN ? 1 : -1;
    return sign * ((a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0);
  }
  if (anum !== bnum) return sign * (anum ? -1 : 1);
  const at = cellText(a);
  const bt = cellText(b);
  return sign * (at < bt ? -1 : at > bt ? 1 : 0);
}
