import { statSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, extname, isAbsolute, join, resolve, sep } from 'node:path';
import { isOwnFile } from './site';

/** Where an import leads: a file of the project, a package, Node itself, or nowhere known. */
export type ImportTarget =
  | { readonly kind: 'file'; readonly file: string }
  | { readonly kind: 'package'; readonly name: string }
  | { readonly kind: 'builtin' }
  | { readonly kind: 'unresolved' };

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
/** TypeScript sources are imported by the name of what they compile to (`./util.js` is `util.ts`). */
const SOURCE_FOR: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'], '.jsx': ['.tsx'] };

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The package a bare specifier names: `@scope/name/sub` is `@scope/name`. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/**
 * Resolves `specifier` as imported from `from`. Relative and absolute specifiers are the
 * project's own files, TypeScript sources preferred to what they compile to; a bare
 * specifier is the project's own when Node resolves it outside `node_modules` (a
 * workspace, a self-reference), and a package otherwise.
 */
export function resolveImport(from: string, specifier: string): ImportTarget {
  if (specifier.startsWith('node:') || builtinModules.includes(specifier)) return { kind: 'builtin' };
  if (specifier.startsWith('.') || isAbsolute(specifier)) {
    const file = findSource(resolve(dirname(from), specifier), TS_LIKE.test(from));
    if (file && isOwnFile(file)) return { kind: 'package', name: 'funes' };
    return file ? { kind: 'file', file } : { kind: 'unresolved' };
  }
  const require = createRequire(from);
  let found: string | undefined;
  try {
    found = require.resolve(specifier);
  } catch {
    try {
      require.resolve(`${packageName(specifier)}/package.json`);
      return { kind: 'package', name: packageName(specifier) };
    } catch {
      return { kind: 'unresolved' };
    }
  }
  // funes itself, even linked into the project (npm link, a workspace), is a package.
  if (found.split(sep).includes('node_modules') || isOwnFile(found)) return { kind: 'package', name: packageName(specifier) };
  return { kind: 'file', file: findSource(found, TS_LIKE.test(from)) ?? found };
}

const TS_LIKE = /\.[cm]?tsx?$/i;
const JS_FIRST = [...EXTENSIONS.slice(4), ...EXTENSIONS.slice(0, 4)];

/** The file `base` names, trying extensions; a TypeScript importer's `./x.js` is `./x.ts`. */
function findSource(base: string, fromTypeScript: boolean): string | undefined {
  const ext = extname(base);
  const extensions = fromTypeScript ? EXTENSIONS : JS_FIRST;
  for (const alt of fromTypeScript ? (SOURCE_FOR[ext] ?? []) : []) {
    const candidate = base.slice(0, -ext.length) + alt;
    if (isFile(candidate)) return candidate;
  }
  if (isFile(base)) return base;
  for (const e of extensions) if (isFile(base + e)) return base + e;
  for (const e of extensions) if (isFile(join(base, `index${e}`))) return join(base, `index${e}`);
  return undefined;
}
