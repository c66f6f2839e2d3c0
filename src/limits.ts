import { FunesError } from './errors';

/** Binary multiples, as `du -h` and `ls -h` print them: a gigabyte here is 2^30 bytes. */
const BYTE_UNITS: Record<string, number> = { '': 1, b: 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };
const MS_UNITS: Record<string, number> = { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 };

/**
 * A size in bytes from a number or a string such as `'10G'`, `'500M'`, `'2k'`, `'1.5GiB'`
 * or `'4096'`. Units are binary (`1k` is 1024 bytes) and case-insensitive; `B`, `KB` and
 * `KiB` all mean the same.
 *
 * @throws FunesError `FUNES_BAD_OPTION` for a negative, non-finite or unreadable size.
 * @example
 * ```ts
 * parseBytes('10G');   // 10737418240
 * parseBytes(2048);    // 2048
 * ```
 */
export function parseBytes(value: number | string, what = 'maxBytes'): number {
  if (typeof value === 'number') return checked(value, what, 'a size such as 500M or 10G');
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(value);
  if (!m) throw bad(what, value, 'a size such as 500M, 10G or 2k (binary units: 1k = 1024 bytes)');
  return Math.floor(Number(m[1]) * BYTE_UNITS[m[2]!.toLowerCase()]!);
}

/**
 * A duration in milliseconds from a number (milliseconds) or a string with a unit:
 * `ms`, `s`, `m` (minutes), `h`, `d` or `w`, as in `'30d'`, `'12h'`, `'15m'`, `'1.5h'`.
 * A string needs its unit, so that `'30'` is not silently read as 30 milliseconds.
 *
 * @throws FunesError `FUNES_BAD_OPTION` for a negative, non-finite or unreadable duration.
 * @example
 * ```ts
 * parseDuration('30d');  // 2592000000
 * parseDuration(5000);   // 5000
 * ```
 */
export function parseDuration(value: number | string, what = 'maxAge'): number {
  if (typeof value === 'number') return checked(value, what, 'a duration such as 30d, 12h or 15m');
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h|d|w)\s*$/i.exec(value);
  if (!m) throw bad(what, value, 'a duration with a unit, such as 30d, 12h, 15m, 90s or 500ms');
  return Number(m[1]) * MS_UNITS[m[2]!.toLowerCase()]!;
}

/**
 * A count of records from a number or a string of digits.
 * @example `parseCount('1000')` returns 1000.
 */
export function parseCount(value: number | string, what = 'maxEntries'): number {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw bad(what, value, 'a whole number, 0 or more');
  return n;
}

function checked(n: number, what: string, expected: string): number {
  if (!Number.isFinite(n) || n < 0) throw bad(what, n, expected);
  return n;
}

function bad(what: string, value: unknown, expected: string): FunesError {
  return new FunesError('FUNES_BAD_OPTION', `${what}: cannot read ${JSON.stringify(String(value))}; give ${expected}`);
}
