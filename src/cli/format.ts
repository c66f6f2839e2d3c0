import { inspect } from 'node:util';

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

/** Binary multiples with short decimal names, as `du -h` prints them. */
export function formatBytes(n: number): string {
  let i = 0;
  let v = n;
  while (v >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ${UNITS[i]}`;
}

export function formatSeconds(s: number): string {
  if (s < 1) return `${(s * 1000).toFixed(s < 0.01 ? 2 : 0)} ms`;
  if (s < 120) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

export function formatDate(ms: number | undefined): string {
  return ms === undefined ? '' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

/**
 * One line, at most `width` characters: enough to recognise a value in a table cell. With
 * `width` Infinity (`show --wide`), the whole value, deeper and longer.
 */
export function summarise(value: unknown, width = 40): string {
  if (width === Infinity) return inspect(value, { depth: 6, breakLength: Infinity, compact: true, maxArrayLength: 1000, maxStringLength: Infinity });
  const text = inspect(value, { depth: 2, breakLength: Infinity, compact: true, maxArrayLength: 8, maxStringLength: width });
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
