import { readFileSync, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TraceMap, originalPositionFor, type SourceMapInput } from '@jridgewell/trace-mapping';

/**
 * A module's source as the user wrote it: the file Node loaded, or the original its
 * source map names. `line` is a position inside it (1-based), when one was asked for.
 */
export interface ModuleSource {
  readonly file: string;
  readonly text: string;
  readonly line?: number;
  /** The 1-based column of the asked position in `text`, where a source map gave one. */
  readonly column?: number;
}

const TS_LIKE = new Set(['.ts', '.tsx', '.mts', '.cts']);
const texts = new Map<string, string | null>();

/** A file's text, read once per process; null when it cannot be read. */
export function readOnce(file: string): string | null {
  let text = texts.get(file);
  if (text === undefined) {
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      text = null;
    }
    texts.set(file, text);
  }
  return text;
}

/**
 * The source behind `file` at `line`/`column` (1-based; the position only matters for a
 * bundle of several originals). TypeScript files are their own source; a JavaScript file
 * with a source map (inline or beside it) stands for its original, taken from the map's
 * `sourcesContent` or, when the map has none, from disk, but only while the original is
 * not newer than the compiled file: an edited, unbuilt source must not name the code
 * that runs. Anything else is its own source. Undefined when nothing can be read.
 */
export function sourceOf(file: string, line?: number, column?: number): ModuleSource | undefined {
  const text = readOnce(file);
  if (text === null) return undefined;
  if (TS_LIKE.has(extname(file).toLowerCase())) return { file, text, line, column };
  const map = sourceMap(file, text);
  if (map) {
    const original = originalOf(file, map, line, column);
    if (original) return original;
  }
  return { file, text, line, column };
}

interface LoadedMap {
  readonly trace: TraceMap;
  readonly sources: readonly (string | null)[];
  readonly contents: readonly (string | null | undefined)[];
}

const maps = new Map<string, LoadedMap | null>();

function sourceMap(file: string, text: string): LoadedMap | undefined {
  let map = maps.get(file);
  if (map === undefined) {
    map = loadMap(file, text) ?? null;
    maps.set(file, map);
  }
  return map ?? undefined;
}

function loadMap(file: string, text: string): LoadedMap | undefined {
  const found = /\/\/[#@] sourceMappingURL=(\S+)\s*$/.exec(text.slice(-100_000));
  let raw: string | null;
  let base = file;
  if (found) {
    const url = found[1]!;
    const inline = /^data:application\/json[^,]*?(;base64)?,(.*)$/.exec(url);
    if (inline) raw = inline[1] ? Buffer.from(inline[2]!, 'base64').toString('utf8') : decodeURIComponent(inline[2]!);
    else {
      base = url.startsWith('file://') ? fileURLToPath(url) : resolve(dirname(file), decodeURIComponent(url));
      raw = readOnce(base);
    }
  } else {
    base = `${file}.map`;
    raw = readOnce(base);
  }
  if (raw === null) return undefined;
  try {
    const json = JSON.parse(raw) as { sources?: (string | null)[]; sourcesContent?: (string | null)[]; sourceRoot?: string };
    const trace = new TraceMap(json as SourceMapInput, pathToUrl(base));
    const sources = trace.resolvedSources.map((s) => (s ? urlToPath(s) : null));
    return { trace, sources, contents: json.sourcesContent ?? [] };
  } catch {
    return undefined;
  }
}

function pathToUrl(path: string): string {
  return `file://${path.split('\\').join('/')}`;
}

function urlToPath(url: string): string | null {
  try {
    return url.startsWith('file://') ? fileURLToPath(url) : url.startsWith('/') ? url : null;
  } catch {
    return null;
  }
}

function originalOf(file: string, map: LoadedMap, line?: number, column?: number): ModuleSource | undefined {
  let index = -1;
  let originalLine: number | undefined;
  let originalColumn: number | undefined;
  if (line !== undefined) {
    const pos = originalPositionFor(map.trace, { line, column: Math.max(0, (column ?? 1) - 1) });
    if (pos.source !== null) {
      index = map.trace.resolvedSources.indexOf(pos.source);
      originalLine = pos.line ?? undefined;
      originalColumn = pos.column === null ? undefined : pos.column + 1;
    }
  }
  if (index < 0 && map.sources.length === 1) index = 0;
  const original = map.sources[index];
  if (index < 0 || !original) return undefined;
  const content = map.contents[index];
  const at = { line: originalLine, column: originalColumn };
  if (typeof content === 'string') return { file: original, text: content, ...at };
  if (newerThan(original, file)) return undefined;
  const text = readOnce(original);
  return text === null ? undefined : { file: original, text, ...at };
}

/** Whether `a` was modified after `b` (an edited source whose build is older). */
export function newerThan(a: string, b: string): boolean {
  try {
    return statSync(a).mtimeMs > statSync(b).mtimeMs;
  } catch {
    return false;
  }
}
