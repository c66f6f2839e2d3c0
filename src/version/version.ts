import { dirname, relative, sep } from 'node:path';
import { child, children, keyName, type AstNode } from './ast';
import { dependencyText, digest, sourceTokens, type DependencyLookup, type MemoriousDependency } from './compiled';
import type { Dependency, HiddenDependency } from './dependency';
import { Follower, projectRoot, type ClassRef } from './follow';
import { matchesRuntime } from './match';
import { classMembers, indexOf, type ClassSite, type ModuleIndex } from './module-index';
import { FUNCTION_TYPES } from './declarations';
import { installedVersion } from './packages';
import { parseProgram } from './parse';
import { printNode } from './print';
import type { Site } from './site';
import { sourceOf } from './sources';
import { stripTypes } from './strip';
import { functionAtSite, type FunctionSite } from './function-site';

/**
 * A method's version and what it was made of.
 * @example `{ version: '3f2a…', origin: 'source', file: 'src/lab.ts', source: 'double(x) {…}', dependencies: [...], hidden: [] }`
 */
export interface MethodVersion {
  /** The version hash (16 hex digits). */
  readonly version: string;
  /**
   * `'source'`: made from the source as written (the file Node loaded, or the original
   * its source map names). `'compiled'`: no source was found (a bundle without source
   * maps, `eval`, a REPL), so made from the compiled `toString()` text.
   */
  readonly origin: 'source' | 'compiled';
  /** The file the method was found in, relative to the project root (source origin only). */
  readonly file?: string;
  /** The method's own normalised text (or, compiled, its `toString()`). */
  readonly source: string;
  /** What else the version rests on, sorted. */
  readonly dependencies: readonly Dependency[];
  /** Values the version reads but no source shows. */
  readonly hidden: readonly HiddenDependency[];
  /**
   * The parameter names as written (source origin only): a compiler may rename them in
   * the code that runs (esbuild turns `data` into `data2` when the module also declares a
   * `data`), and keys must not change with that.
   */
  readonly params?: readonly string[];
}

/** What the version of one decorated method is asked from. */
export interface VersionRequest {
  readonly method: MemoriousDependency;
  readonly member: string | symbol;
  /** Where the decorator was applied, if the stack said. */
  readonly site: Site | undefined;
  /** The prototype, or the class for a static method, that declares it. */
  readonly home: object;
  /** The declaring class's name. */
  readonly className: string;
  readonly lookup: DependencyLookup;
  /** Mixed into the hash: the on-disk format. */
  readonly format: number;
}

/**
 * Makes a method's version: from its source as written when the source can be found and
 * matches the function that runs, from its compiled text otherwise. Costs one read and
 * parse per file per process; callers keep the result.
 */
export function methodVersion(request: VersionRequest): MethodVersion {
  return fromSource(request) ?? fromCompiled(request);
}

/** What the version of one memorized plain function is asked from. */
export interface FunctionVersionRequest {
  readonly method: MemoriousDependency;
  /** The name it is memorized under: its own, or the `name` option an arrow is given (`const fit = memorious({ name: 'fit' })(...)`). */
  readonly name: string;
  /** Where `memorious(fn)` was called, if the stack said. */
  readonly site: Site | undefined;
  readonly lookup: DependencyLookup;
  readonly format: number;
}

/**
 * A plain function's version: from its source as written when it is declared in the module
 * that memorizes it (`function f`, `const f = (...) =>`, or `const f = memorious(function ...)`)
 * and matches the function that runs, following what it reads as a method's version does;
 * from its compiled text otherwise, with a hidden-dependency warning.
 */
export function functionVersion(request: FunctionVersionRequest): MethodVersion {
  return functionFromSource(request) ?? fromCompiled({ ...request, member: request.method.original.name, home: request.method.original, className: '' });
}

function functionFromSource(request: FunctionVersionRequest): MethodVersion | undefined {
  const { site, method } = request;
  const fn = method.original;
  if (!site) return undefined;
  const source = sourceOf(site.file, site.line, site.column);
  const module = source && indexOf(source);
  if (!source || !module) return undefined;
  const enums = new Set([...module.bindings].filter(([, b]) => b.kind === 'enum' || b.kind === 'import').map(([name]) => name));
  // The call's place in the source as written: a compiled file's line means nothing there.
  const at = source.file === site.file ? site : source.line === undefined ? undefined : { file: source.file, line: source.line, column: source.column ?? 1 };
  const found = (at && functionAtSite(module, at, fn, enums)) ?? declaredOnce(module, fn.name || request.name, fn, enums);
  if (!found) return undefined;
  const { root, follower } = followerFor(module, source.file, site.file);
  // A function nested in another reads that one's locals: the follower names them as hidden.
  follower.follow(found.node, { module, enclosing: found.enclosing });
  const extra = optionDependencies(method, { dependsOn: false, key: false }, 'memorious key');
  return sourceVersion(request.format, 'function', method, module, root, follower, extra, found.node, found.node);
}

/**
 * The module-level function declared under `name`, when the call that memorizes it does
 * not show it (a helper of the user's wraps `memorious`). A nested function of the same
 * name could match its text while reading other values: only a name declared once is trusted.
 */
function declaredOnce(module: ModuleIndex, name: string, fn: Function, enums: ReadonlySet<string>): FunctionSite | undefined {
  if (!name) return undefined;
  const escaped = name.replace(/\$/g, '\\$');
  const declarations = module.text.match(new RegExp(`(?:\\bfunction\\s*\\*?\\s*|\\b(?:const|let|var)\\s+)${escaped}(?![\\w$])`, 'g')) ?? [];
  if (declarations.length > 1) return undefined;
  const node = declaredFunction(module, name);
  const stripped = node && stripTypes(node);
  // Found by name alone, it must be the very text that runs, not merely share its names.
  return stripped && matchesRuntime(stripped, fn, enums) && sameCode(stripped, fn) ? { node: stripped, enclosing: [] } : undefined;
}

/** Whether a function node, printed, is the code of `fn` printed: the same parameters and body. */
function sameCode(node: AstNode, fn: Function): boolean {
  const program = parseProgram('runtime.js', `(${Function.prototype.toString.call(fn)}\n)`);
  const statement = program && children(program, 'body')[0];
  const expression = statement && child(statement, 'expression');
  const runtime = expression && stripTypes(expression);
  if (!runtime) return false;
  const body = (n: AstNode): string => [...children(n, 'params'), child(n, 'body')!].map(printNode).join('\u0000');
  return body(runtime) === body(node);
}

/** The function a module declares under `name`: a declaration, a function-valued variable, or the function a call wraps. */
function declaredFunction(module: ModuleIndex, name: string): AstNode | undefined {
  const binding = module.bindings.get(name);
  if (binding?.kind === 'function') return binding.node;
  if (binding?.kind !== 'variable') return undefined;
  const init = child(binding.declarator, 'init');
  if (!init) return undefined;
  if (FUNCTION_TYPES.has(init.type)) return init;
  if (init.type === 'CallExpression') return children(init, 'arguments').filter((a) => FUNCTION_TYPES.has(a.type)).pop();
  return undefined;
}

function fromCompiled(request: VersionRequest): MethodVersion {
  const { method, home, lookup, format } = request;
  const text = dependencyText(method, home, home, lookup);
  const packages = packageDependencies(method, process.cwd());
  const key = method.key ? sourceTokens(method.key) : '';
  return {
    version: digest([format, 'compiled', text, key, ...packages.map((p) => `${p.name}@${p.text}`)].join('\u0004'), 16),
    origin: 'compiled',
    source: Function.prototype.toString.call(method.original),
    dependencies: packages,
    // Where the decorator's file is known, its source was there but not found or not matched.
    hidden: request.site
      ? [
          {
            name: 'its own source',
            why:
              `it was not found where memorious was called, in ${request.site.file} (memorious called inside a wrapper function of your own, a function made by eval or new Function, renamed, or a file that no longer matches the code that runs), ` +
              'so its version is made from its compiled text and the module functions, constants and imports it reads are not followed; ' +
              'declare it in a source file',
          },
        ]
      : [],
  };
}

function fromSource(request: VersionRequest): MethodVersion | undefined {
  const { site, member, method, home } = request;
  if (!site || typeof member !== 'string') return undefined;
  const source = sourceOf(site.file, site.line, site.column);
  const module = source && indexOf(source);
  if (!source || !module) return undefined;
  const isStatic = typeof home === 'function';
  const found = findMethod(module, request.className, member, isStatic, method.original, source.line);
  if (!found) return undefined;
  const { root, follower } = followerFor(module, source.file, site.file);
  const cls: ClassRef = { module, node: found.site.node, name: found.site.name ?? request.className, enclosing: found.site.enclosing };
  const value = child(found.stripped, 'value')!;
  follower.follow(value, { module, enclosing: cls.enclosing, cls, isStatic });
  const extra = optionDependencies(method, followOptions(follower, found.member, module, cls), '@memorious key');
  return sourceVersion(request.format, 'source', method, module, root, follower, extra, found.stripped, value);
}

/** A follower for code in `module`; found through a source map, imported originals are checked against their builds too. */
function followerFor(module: ModuleIndex, sourceFile: string, runningFile: string): { root: string; follower: Follower } {
  const root = projectRoot(module.file);
  const build = sourceFile !== runningFile ? { sourceDir: dirname(sourceFile), outDir: dirname(runningFile) } : undefined;
  return { root, follower: new Follower(root, build) };
}

/**
 * The `dependsOn` functions and `key` option the source does not show (options passed in a
 * variable, a build that dropped decorators, a plain function's options): their compiled text counts.
 */
function optionDependencies(method: MemoriousDependency, shown: { dependsOn: boolean; key: boolean }, keyName: string): Dependency[] {
  const extra: Dependency[] = [];
  if (!shown.dependsOn) {
    method.dependsOn.forEach((d, i) => {
      if (typeof d === 'function') extra.push({ name: `dependsOn[${i}] ${d.name}`, kind: 'option', text: sourceTokens(d) });
    });
  }
  if (!shown.key && method.key) extra.push({ name: keyName, kind: 'option', text: sourceTokens(method.key) });
  return extra;
}

/** The version made from source: the code's normalised text, what the follower found, the options and packages. */
function sourceVersion(
  format: number,
  kind: 'source' | 'function',
  method: MemoriousDependency,
  module: ModuleIndex,
  root: string,
  follower: Follower,
  extra: readonly Dependency[],
  code: AstNode,
  fn: AstNode,
): MethodVersion {
  const dependencies = [...follower.dependencies, ...extra, ...packageDependencies(method, root)];
  const sourceText = printNode(code);
  const parts = [format, kind, sourceText, ...follower.ids(), ...dependencies.map((d) => `${d.kind}\u0001${d.name}\u0001${d.text}`)];
  if (method.version !== undefined) parts.push(`version\u0001${typeof method.version}:${method.version}`);
  return {
    version: digest(parts.join('\u0004'), 16),
    origin: 'source',
    file: relative(root, module.file).split(sep).join('/'),
    source: sourceText,
    dependencies,
    hidden: follower.hidden,
    params: children(fn, 'params').map((p, i) => writtenName(p, i)),
  };
}

/** A parameter's name as written, or its position for a destructured one, as `readParams` names them. */
function writtenName(param: AstNode, index: number): string {
  const target = param.type === 'TSParameterProperty' ? child(param, 'parameter') : param;
  const inner = target?.type === 'AssignmentPattern' ? child(target, 'left') : target?.type === 'RestElement' ? child(target, 'argument') : target;
  return inner?.type === 'Identifier' ? String(inner.name) : `$${index}`;
}

interface FoundMethod {
  readonly site: ClassSite;
  readonly member: AstNode;
  /** The member with types and decorators gone. */
  readonly stripped: AstNode;
}

/**
 * The declaration of `member` in the module: among classes with such a method, those
 * named like the class, then those whose text matches the function that runs, then the
 * one nearest the decorator's line. Undefined when that leaves no single answer.
 */
function findMethod(module: ModuleIndex, className: string, member: string, isStatic: boolean, fn: Function, line: number | undefined): FoundMethod | undefined {
  // Compilers inline enum members and rename imports (`util_1.default`, `(0, util_1.helper)`).
  const enums = new Set([...module.bindings].filter(([, b]) => b.kind === 'enum' || b.kind === 'import').map(([name]) => name));
  const candidatesIn = (sites: ClassSite[]): FoundMethod[] => {
    const out: FoundMethod[] = [];
    for (const site of sites) {
      for (const m of classMembers(site.node, member, isStatic)) {
        if (m.type !== 'MethodDefinition' || m.kind !== 'method') continue;
        const stripped = stripTypes({ ...m, decorators: [] } as AstNode);
        if (stripped) out.push({ site, member: m, stripped });
      }
    }
    return out;
  };
  // Most classes are declared once, at the top of their module: when the decorator's line
  // falls inside such a class, or the text names no other class so, the whole tree need
  // not be walked for nested ones.
  const once = /^[\w$]+$/.test(className) && (module.text.match(new RegExp(`\\bclass\\s+${className.replace(/\$/g, '\\$')}(?![\\w$])`, 'g')) ?? []).length <= 1;
  const top = candidatesIn(module.topLevelClasses()).filter(
    (c) => c.site.name === className && (once || (line !== undefined && lineAt(module, c.site.node.start) <= line && line <= lineAt(module, c.site.node.end))),
  );
  if (top.length === 1 && matchesRuntime(top[0]!.stripped, fn, enums, top[0]!.site.name)) return top[0];
  let candidates = candidatesIn(module.classes());
  const named = candidates.filter((c) => c.site.name === className);
  if (named.length > 0) candidates = named;
  candidates = candidates.filter((c) => matchesRuntime(c.stripped, fn, enums, c.site.name));
  if (candidates.length > 1 && line !== undefined) {
    const distance = (c: FoundMethod): number => {
      const [from, to] = [lineAt(module, c.site.node.start), lineAt(module, c.site.node.end)];
      return line < from ? from - line : line > to ? line - to : 0;
    };
    const best = Math.min(...candidates.map(distance));
    candidates = candidates.filter((c) => distance(c) === best);
  }
  const texts = new Set(candidates.map((c) => printNode(c.stripped)));
  return candidates.length >= 1 && texts.size === 1 && new Set(candidates.map((c) => c.site)).size === 1 ? candidates[0] : undefined;
}

const lineStarts = new WeakMap<ModuleIndex, number[]>();

function lineAt(module: ModuleIndex, offset: number): number {
  let starts = lineStarts.get(module);
  if (!starts) {
    starts = [0];
    for (let i = 0; i < module.text.length; i++) if (module.text.charCodeAt(i) === 10) starts.push(i + 1);
    lineStarts.set(module, starts);
  }
  let [lo, hi] = [0, starts.length - 1];
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/**
 * The `key` and `dependsOn` options as the decorator's source gives them: their code
 * joins the version and what they read is followed. Says which of the two were found
 * there (so that the runtime values need no other accounting).
 */
function followOptions(follower: Follower, member: AstNode, module: ModuleIndex, cls: ClassRef): { dependsOn: boolean; key: boolean } {
  let dependsOn = false;
  let key = false;
  for (const decorator of children(member, 'decorators')) {
    const call = child(decorator, 'expression');
    const options = call?.type === 'CallExpression' ? children(call, 'arguments')[0] : undefined;
    if (options?.type !== 'ObjectExpression') continue;
    for (const prop of children(options, 'properties')) {
      const name = prop.type === 'Property' ? keyName(prop) : undefined;
      if (name !== 'key' && name !== 'dependsOn') continue;
      const value = stripTypes(child(prop, 'value')!);
      if (!value) continue;
      if (name === 'dependsOn') dependsOn = true;
      if (name === 'key') key = true;
      follower.option(`@memorious ${name}`, value, { module, enclosing: cls.enclosing, cls });
    }
  }
  return { dependsOn, key };
}

/** `dependsOn` package names, each with its installed version. */
function packageDependencies(method: MemoriousDependency, from: string): Dependency[] {
  return method.dependsOn
    .filter((d): d is string => typeof d === 'string')
    .map((name) => {
      const version = installedVersion(name, from) ?? 'not installed';
      return { name, kind: 'package', text: version, version };
    });
}
