import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { Stats } from './measure';

/** One line of the table: funes (or a peer) beside what it is compared with. */
export interface Row {
  readonly id: string;
  readonly label: string;
  /** What is judged: funes, or for case 7 the peer. */
  readonly subject: Stats;
  /** The floor, or for case 7 funes measured in the same run. */
  readonly reference: Stats;
  readonly referenceLabel: string;
  /** Bounds on subject.median / reference.median; no target means the row informs only. */
  readonly target?: { readonly max?: number; readonly min?: number };
  /** For case 7: which peer. */
  readonly peer?: string;
  readonly note?: string;
}

export interface Result extends Row {
  readonly ratio: number;
  readonly pass: boolean | undefined;
}

export function judge(row: Row): Result {
  const ratio = row.subject.median / row.reference.median;
  const t = row.target;
  const pass = t === undefined ? undefined : (t.max === undefined || ratio <= t.max) && (t.min === undefined || ratio > t.min);
  return { ...row, ratio, pass };
}

/** µs with three significant figures or so. */
export function us(x: number): string {
  if (x < 10) return x.toFixed(2);
  if (x < 100) return x.toFixed(1);
  return Math.round(x).toLocaleString('en-US');
}

/** A ratio to 2 decimals, or to 2 significant figures when that would round to 0.00x. */
function ratioText(x: number): string {
  return `${x >= 0.01 ? x.toFixed(2) : x.toPrecision(2)}x`;
}

function targetText(r: Result): string {
  if (!r.target) return '—';
  if (r.target.max !== undefined) return `≤ ${r.target.max.toFixed(1)}x`;
  return `> ${r.target.min!.toFixed(1)}x`;
}

function verdict(r: Result): string {
  return r.pass === undefined ? '' : r.pass ? 'pass' : '**FAIL**';
}

function table(header: string[], lines: string[][]): string {
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

export function renderTables(results: readonly Result[]): string {
  const own = results.filter((r) => r.peer === undefined);
  const peers = results.filter((r) => r.peer !== undefined);
  const main = table(
    ['case', 'what', 'funes median µs', 'p10–p90 µs', 'floor median µs', 'ratio', 'target', 'ok', 'note'],
    own.map((r) => [
      r.id,
      r.label,
      us(r.subject.median),
      `${us(r.subject.p10)}–${us(r.subject.p90)}`,
      us(r.reference.median),
      ratioText(r.ratio),
      targetText(r),
      verdict(r),
      [r.referenceLabel === 'readFileSync + v8.deserialize' ? '' : `floor: ${r.referenceLabel}`, r.note ?? ''].filter(Boolean).join('; '),
    ]),
  );
  if (peers.length === 0) return main;
  const second = table(
    ['case', 'peer', 'peer median µs', 'p10–p90 µs', 'funes median µs', 'peer / funes', 'target', 'ok', 'note'],
    peers.map((r) => [
      r.id,
      r.peer!,
      us(r.subject.median),
      `${us(r.subject.p10)}–${us(r.subject.p90)}`,
      us(r.reference.median),
      `${r.ratio.toFixed(1)}x`,
      targetText(r),
      verdict(r),
      r.note ?? '',
    ]),
  );
  return `${main}\n\n${second}`;
}

export function environment(quick: boolean): Record<string, unknown> {
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cpus: cpus().length,
    quick,
    date: new Date().toISOString(),
  };
}

export function writeJson(file: string, quick: boolean, results: readonly Result[]): void {
  const json = { environment: environment(quick), unit: 'µs per operation (case 6 loadCachedResults: per record)', results };
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
}
