import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';

/**
 * Where a decorator was applied: the file of the user's module and the position the
 * stack gives (1-based line and column). The position is the original one where a
 * source-map aware stack (tsx, ts-node, jest, `--enable-source-maps`) mapped it.
 */
export interface Site {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * This package's code, built and (where a runner maps stacks through source maps) its
 * sources: its frames are never the user's.
 */
const OWN_DIRS = ((): string[] => {
  let root = __dirname;
  while (!existsSync(join(root, 'package.json')) && dirname(root) !== root) root = dirname(root);
  // This copy's own folder too, wherever it was compiled to (a benchmark's build, say).
  return [...['dist', 'src', 'esm'].map((d) => join(root, d) + sep), dirname(__dirname) + sep];
})();

/** Whether `file` is part of funes itself: never the user's code, never a dependency to follow. */
export function isOwnFile(file: string): boolean {
  return OWN_DIRS.some((d) => file.startsWith(d));
}

/** Helpers a compiler emits (or imports) to apply decorators, whose frames stand between. */
const HELPER = /^(?:_+|_ts_)?(?:decorat\w*|esDecorate|runInitializers|applyDecs\w*)$/;
const HELPER_FILE = /[\\/]node_modules[\\/](?:tslib|reflect-metadata|@swc[\\/]helpers|@babel[\\/]runtime)[\\/]/;

/**
 * The user's frame that applied the decorator: the first frame outside funes that is
 * neither a decorator helper nor Node's own. Read from the formatted stack, so that a
 * runner's source maps apply; undefined when the stack says nothing usable.
 */
export function declarationSite(): Site | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  let stack: string | undefined;
  try {
    stack = new Error().stack;
  } catch {
    return undefined;
  } finally {
    Error.stackTraceLimit = limit;
  }
  for (const line of (stack ?? '').split('\n').slice(1)) {
    const frame = parseFrame(line);
    if (!frame) continue;
    if (isOwnFile(frame.file) || frame.file.startsWith('node:') || HELPER_FILE.test(frame.file)) continue;
    if (frame.fn && HELPER.test(frame.fn.split('.').pop()!)) continue;
    if (!frame.file.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(frame.file)) return undefined;
    return { file: frame.file, line: frame.line, column: frame.column };
  }
  return undefined;
}

/** `at fn (file:line:col)` or `at file:line:col`, file possibly a `file://` URL. */
function parseFrame(line: string): { fn?: string; file: string; line: number; column: number } | undefined {
  const m = /^\s*at (?:(?:async )?(.*?) \()?(.+?):(\d+):(\d+)\)?$/.exec(line);
  if (!m) return undefined;
  let file = m[2]!;
  if (file.startsWith('file://')) {
    try {
      file = fileURLToPath(file);
    } catch {
      return undefined;
    }
  }
  return { fn: m[1], file, line: Number(m[3]), column: Number(m[4]) };
}
