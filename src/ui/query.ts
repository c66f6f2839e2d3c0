import { toPlain } from '../cli/plain';
import { tabulate } from '../cli/rows';
import { inputNames } from '../cli/select';
import type { VersionDir } from '../store/scan';
import type { VersionRecords } from './catalog';

/** A column of a version's table, and whether every value in it is a number (so it can be plotted). */
export interface Column {
  readonly name: string;
  readonly role: 'input' | 'output' | 'time';
  readonly numeric: boolean;
}

/** One version's records as rows of plain (JSON-safe) cells, held by the server so the browser gets a page at a time. */
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
    for (const row of this.rows) {
      for (let c = 0; c < row.length; c++) {
        const cell = row[c];
        // Finite numbers, text, booleans and null are JSON already.
        if (!(typeof cell === 'string' || typeof cell === 'boolean' || cell === null || (typeof cell === 'number' && Number.isFinite(cell)))) row[c] = toPlain(cell);
      }
    }
    this.keys = loaded.records.map((r) => r.file.key);
    this.keys.forEach((k, i) => this.byKey.set(k, i));
    this.columns = table.columns.map((name, c) => ({
      name,
      role: c < table.inputs ? 'input' : name === 'time' && c === table.columns.length - 1 ? 'time' : 'output',
      numeric: this.rows.length > 0 && this.rows.every((row) => typeof row[c] === 'number' || row[c] === null),
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

  /**
   * The rows a query selects, in order. `q` is words separated by spaces: `column:text`
   * keeps rows whose cell contains the text, `column=v` equals it, `column>n` and `column<n`
   * compare numbers, any other word must appear in some cell; all must hold. Case is ignored.
   * @throws QueryError naming an unknown column or a comparison with no number.
   */
  select(q: string, sort: string | undefined, descending: boolean): number[] {
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
      const c = this.columns.findIndex((col) => col.name === sort);
      if (c < 0) throw new QueryError(`no column ${sort}`);
      const sign = descending ? -1 : 1;
      picked = picked.sort((a, b) => sign * compareCells(this.rows[a]![c], this.rows[b]![c]) || a - b);
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
    else if (op === '=') tests.push((_row, texts) => texts[c] === value);
    else {
      const n = Number(value);
      if (value === '' || !Number.isFinite(n)) throw new QueryError(`${word}: ${op} compares with a number`);
      tests.push(op === '>' ? (row) => typeof row[c] === 'number' && row[c] > n : (row) => typeof row[c] === 'number' && row[c] < n);
    }
  }
  return tests;
}

/** Numbers before everything else, in numeric order; the rest by their text; empty cells last. */
function compareCells(a: unknown, b: unknown): number {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  const at = cellText(a);
  const bt = cellText(b);
  return at < bt ? -1 : at > bt ? 1 : 0;
}

/** A cell as the page shows it: text as it is, anything else as JSON. */
export function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  return typeof cell === 'string' ? cell : JSON.stringify(cell);
}
