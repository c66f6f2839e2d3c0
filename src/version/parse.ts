import { createRequire } from 'node:module';
import { extname } from 'node:path';
import type { AstNode } from './ast';

interface Binding {
  parseSync(file: string, text: string, options: object): { readonly program: string; readonly errors: readonly unknown[] };
}

let binding: Binding | null | undefined;

/**
 * The platform's oxc-parser binding, loaded as the CommonJS native module it is. The
 * package's own entry is an ES module, which CommonJS test runners (jest) cannot load;
 * its binding they can. Null where no binding fits this platform: versions then come
 * from compiled text.
 */
function oxc(): Binding | null {
  if (binding === undefined) {
    binding = null;
    const fromParser = createRequire(require.resolve('oxc-parser/package.json'));
    for (const name of bindingNames()) {
      try {
        binding = fromParser(name) as Binding;
        break;
      } catch {
        // Not this one.
      }
    }
  }
  return binding;
}

/** The binding packages that may fit this platform, the likeliest first. */
function bindingNames(): string[] {
  const { platform, arch } = process;
  const prefix = '@oxc-parser/binding-';
  if (platform === 'linux') {
    // npm installs only the binding for this libc; the other one is simply not there.
    // (Asking `process.report` which libc this is costs tens of milliseconds.)
    const abi = arch === 'arm' ? ['gnueabihf', 'musleabihf'] : ['gnu', 'musl'];
    return abi.map((l) => `${prefix}linux-${arch}-${l}`);
  }
  if (platform === 'win32') return [`${prefix}win32-${arch}-msvc`];
  return [`${prefix}${platform}-${arch}`];
}

/** The language a file is parsed as, from its name; anything unknown is JavaScript. */
function language(file: string): 'ts' | 'tsx' | 'js' | 'jsx' {
  const ext = extname(file).toLowerCase();
  if (ext === '.ts' || ext === '.mts' || ext === '.cts') return 'ts';
  if (ext === '.tsx') return 'tsx';
  if (ext === '.jsx') return 'jsx';
  return 'js';
}

/**
 * Parses a module's text with oxc, which reads TypeScript and JavaScript alike, or
 * returns undefined when it does not parse cleanly: a version must never rest on a tree
 * the parser had to guess at.
 */
export function parseProgram(file: string, text: string): AstNode | undefined {
  const parser = oxc();
  if (!parser) return undefined;
  const lang = language(file);
  const kinds = lang === 'js' || lang === 'jsx' ? (['module', 'script'] as const) : (['module'] as const);
  for (const sourceType of kinds) {
    try {
      const result = parser.parseSync(file, text, { lang, sourceType, preserveParens: false });
      // The binding hands the tree over as JSON: `{ node, fixes }`, the fixes being BigInt
      // and RegExp values, which funes reads from the literal's own fields instead.
      if (result.errors.length === 0) return (JSON.parse(result.program) as { node: AstNode }).node;
    } catch {
      // A parser fault is the same as a file that does not parse: no source for it.
    }
  }
  return undefined;
}
