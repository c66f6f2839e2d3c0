import { createHash } from 'node:crypto';

const MAX = 200;

/**
 * Turns any name into one path segment of `[A-Za-z0-9._-]`, injectively: every other
 * character, and a leading dot, becomes `-<hex code point>-` (`-` itself is escaped),
 * so no name can climb out of the cache directory, hide itself, or meet another name.
 * Names longer than a file system allows keep their start and end with a hash.
 */
export function safeSegment(name: string): string {
  let out = '';
  for (const ch of name) {
    const ok = /[A-Za-z0-9_.]/.test(ch) && !(ch === '.' && out === '');
    out += ok ? ch : `-${ch.codePointAt(0)!.toString(16)}-`;
  }
  if (out === '') out = '-0-';
  if (out.length <= MAX) return out;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 16);
  return `${out.slice(0, MAX - 17)}-${hash}`;
}

/** Version and argument hashes are ours and hex; anything else is a bug, never a path. */
export function hexSegment(value: string): string {
  if (!/^[0-9a-f]{1,128}$/.test(value)) throw new Error(`funes: internal error, not a hash: ${JSON.stringify(value)}`);
  return value;
}

/**
 * The name a method folder was made from, undoing `safeSegment`'s escapes; for display
 * only, since a shortened long name cannot be restored (it keeps its hash suffix).
 */
export function segmentName(segment: string): string {
  if (segment === '-0-') return '';
  return segment.replace(/-([0-9a-f]{1,6})-/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)));
}
