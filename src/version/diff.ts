import type { Dependency } from './dependency';

let jsdiff: typeof import('diff') | undefined;

/** jsdiff, loaded on the first diff printed: every process that imports funes would pay for it at start. */
function patcher(): typeof import('diff') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily on purpose, see above
  jsdiff ??= require('diff') as typeof import('diff');
  return jsdiff;
}

/** What a version's metadata says of its code; every field may be missing in older caches. */
export interface VersionCode {
  readonly hash: string;
  readonly source?: string;
  readonly origin?: 'source' | 'compiled';
  readonly dependencies?: readonly Dependency[];
}

/**
 * What changed between two versions of a method: its own text, and each dependency
 * changed, added or removed; a changed one carries a unified diff of its text.
 * @example `{ method: 'Lab.fit', from: '3f2a…', to: '9c1b…', changed: [{ name: 'helper', kind: 'function', file: 'src/lab.ts', patch: '--- …' }], added: [], removed: [] }`
 */
export interface VersionDiff {
  readonly method: string;
  readonly from: string;
  readonly to: string;
  /** Entries whose text differs; the method itself comes first, named as the method. */
  readonly changed: readonly (Omit<Dependency, 'text'> & { readonly patch: string })[];
  readonly added: readonly Dependency[];
  readonly removed: readonly Dependency[];
}

function identity(d: Dependency): string {
  return `${d.file ?? ''}\u0000${d.kind}\u0000${d.name}`;
}

function entries(method: string, v: VersionCode): Map<string, Dependency> {
  const out = new Map<string, Dependency>();
  if (v.source !== undefined) out.set('\u0000self', { name: method, kind: 'self', text: v.source });
  for (const d of v.dependencies ?? []) out.set(identity(d), d);
  return out;
}

/** The names of what changed between two versions, for a one-line log: no diffs made. */
export function changedNames(method: string, from: VersionCode, to: VersionCode): string[] {
  const before = entries(method, from);
  const after = entries(method, to);
  const changed = [...after].filter(([id, d]) => before.has(id) && before.get(id)!.text !== d.text).map(([, d]) => d.name);
  const added = [...after].filter(([id]) => !before.has(id)).map(([, d]) => `+${d.name}`);
  const removed = [...before].filter(([id]) => !after.has(id)).map(([, d]) => `-${d.name}`);
  return [...changed, ...added, ...removed];
}

/** The difference between the code behind version `from` and version `to` of `method`. */
export function diffVersions(method: string, from: VersionCode, to: VersionCode): VersionDiff {
  const before = entries(method, from);
  const after = entries(method, to);
  const changed: (Omit<Dependency, 'text'> & { patch: string })[] = [];
  const added: Dependency[] = [];
  for (const [id, d] of after) {
    const old = before.get(id);
    if (!old) {
      added.push(d);
      continue;
    }
    if (old.text === d.text) continue;
    const label = d.file ? `${d.file} ${d.name}` : d.name;
    const patch = patcher().createTwoFilesPatch(`${label} (${from.hash})`, `${label} (${to.hash})`, ensureNewline(old.text), ensureNewline(d.text), undefined, undefined, { context: 3 });
    const { text: _text, ...rest } = d;
    changed.push({ ...rest, patch: patch.replace(/^=+\n/, '') });
  }
  const removed = [...before].filter(([id]) => !after.has(id)).map(([, d]) => d);
  return { method, from: from.hash, to: to.hash, changed, added, removed };
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** A diff as people read it: a unified diff per changed entry, then what was added and removed. */
export function formatDiff(diff: VersionDiff): string {
  const lines = [`${diff.method}: ${diff.from} -> ${diff.to}`];
  if (diff.changed.length + diff.added.length + diff.removed.length === 0) {
    lines.push('no difference in the recorded code (the versions differ in options, format, or what older metadata did not record)');
  }
  for (const c of diff.changed) lines.push('', `changed ${c.kind} ${c.name}${c.file ? ` (${c.file})` : ''}`, c.patch.trimEnd());
  for (const d of diff.added) lines.push('', `added ${d.kind} ${d.name}${d.file ? ` (${d.file})` : ''}`, indent(d.text, '+ '));
  for (const d of diff.removed) lines.push('', `removed ${d.kind} ${d.name}${d.file ? ` (${d.file})` : ''}`, indent(d.text, '- '));
  return lines.join('\n') + '\n';
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((l) => prefix + l)
    .join('\n');
}
