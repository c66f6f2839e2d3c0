import { dirname, join, relative, sep } from 'node:path';
import { existsSync } from 'node:fs';
import { child, children, identifierName, type AstNode } from './ast';
import type { Dependency, HiddenDependency } from './dependency';
import { classMembers, indexOf, indexOfFile, type Binding, type ModuleIndex } from './module-index';
import { requireOf } from './commonjs';
import { printNode } from './print';
import { resolveImport } from './resolve';
import { newerThan, readOnce, sourceOf } from './sources';
import { reach, type Reference } from './scope';
import { stripTypes } from './strip';

/** A class as a place to look members up in. */
export interface ClassRef {
  readonly module: ModuleIndex;
  readonly node: AstNode;
  readonly name: string;
  /** Names of enclosing functions and blocks: reading them is a hidden dependency. */
  readonly enclosing: readonly ReadonlySet<string>[];
}

/** Where a piece of code sits, for resolving what it reads. */
interface Context {
  readonly module: ModuleIndex;
  readonly enclosing: readonly ReadonlySet<string>[];
  /** The class whose `this` and `super` the code reads, and whether as its static side. */
  readonly cls?: ClassRef;
  readonly isStatic?: boolean;
}

/**
 * Walks what a method reads, across its module and the project's own modules: every
 * bare name to what it names, `Class.member` to that member, `this.x` and `super.x` to
 * the class's members, imports into the files they come from. Each piece is visited
 * once, so cycles end. Collects the pieces' normalised text, and what cannot be seen.
 */
export class Follower {
  private readonly found = new Map<string, Dependency>();
  readonly hidden: HiddenDependency[] = [];

  /**
   * `root` is the project's folder. `build`, for a method whose module was found through a
   * source map: the originals' folder and the compiled files' folder, so that an imported
   * original edited after its build is read as the build that runs.
   */
  constructor(
    private readonly root: string,
    private readonly build?: { readonly sourceDir: string; readonly outDir: string },
  ) {}

  /** The module in `file`; for a stale build, the compiled file that actually runs. */
  private open(file: string): ModuleIndex | undefined {
    if (this.build && /\.[cm]?tsx?$/i.test(file)) {
      const rel = relative(this.build.sourceDir, file);
      if (!rel.startsWith('..')) {
        const js = join(this.build.outDir, rel).replace(/\.([cm]?)tsx?$/i, '.$1js');
        if (existsSync(js) && newerThan(file, js)) {
          const source = sourceOf(js);
          return source ? indexOf(source) : undefined;
        }
      }
    }
    return indexOfFile(file);
  }

  get dependencies(): Dependency[] {
    return [...this.found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, d]) => d);
  }

  /** The ids of the dependencies, sorted, beside their text: what a version hashes. */
  ids(): string[] {
    return [...this.found.keys()].sort();
  }

  /** A decorator option's code (`key`, `dependsOn`): its text counts, and what it reads. */
  option(name: string, node: AstNode, context: Context): void {
    const file = this.rel(context.module.file);
    if (this.add(`${file}#${context.cls?.name ?? ''}@${name}`, { name, kind: 'option', file, text: printNode(node) })) this.follow(node, context);
  }

  /** Follows what `node` (already type-stripped) reads, from where it sits. */
  follow(node: AstNode, context: Context): void {
    const { free, thisMembers, superMembers, requests } = reach(node);
    for (const ref of free) if (ref.read) this.reference(ref, context);
    for (const specifier of requests) this.request(context.module, specifier);
    if (context.cls) {
      for (const name of thisMembers) this.member(context.cls, name, context.isStatic ?? false, true);
      const parent = this.superclass(context.cls);
      if (parent) for (const name of superMembers) this.member(parent, name, context.isStatic ?? false, true);
    }
  }

  private rel(file: string): string {
    return relative(this.root, file).split(sep).join('/');
  }

  private add(id: string, dep: Dependency): boolean {
    if (this.found.has(id)) return false;
    this.found.set(id, dep);
    return true;
  }

  private hide(name: string, why: string): void {
    if (!this.hidden.some((h) => h.name === name)) this.hidden.push({ name, why });
  }

  /** `require('./x')` or `import('./x')` in code: the whole module it loads counts. */
  private request(module: ModuleIndex, specifier: string): void {
    const target = resolveImport(module.file, specifier);
    if (target.kind === 'builtin') return;
    if (target.kind === 'file') return this.wholeModule(target.file, specifier);
    if (target.kind === 'unresolved') this.hide(specifier, `it cannot be resolved from ${this.rel(module.file)}`);
    this.add(`import:${specifier}:*`, { name: `${target.kind === 'package' ? target.name : specifier}: *`, kind: 'import', text: `* from ${specifier}` });
  }

  private reference(ref: Reference, context: Context): void {
    const { module, enclosing } = context;
    if (context.cls && ref.name === context.cls.name && enclosing.some((s) => s.has(ref.name))) {
      // The class names itself from inside a function that declares it: still its own source.
      return this.classUse(context.cls, ref.member);
    }
    if (enclosing.some((s) => s.has(ref.name))) {
      return this.hide(ref.name, 'it is a local of an enclosing function or block, whose value the version cannot see');
    }
    const binding = module.bindings.get(ref.name);
    if (!binding) {
      // A global (Math, console, process) is nothing a source shows; a name that is not
      // even that is declared where this walk does not look.
      if (!(ref.name in globalThis) && !MODULE_SCOPE.has(ref.name)) {
        this.hide(ref.name, `it is neither declared in ${this.rel(module.file)} nor a global here`);
      }
      return;
    }
    this.binding(module, ref.name, binding, ref.member);
    if (binding.kind !== 'import' && module.isReassigned(ref.name)) {
      this.hide(ref.name, `the module ${this.rel(module.file)} assigns or mutates it after declaring it, so its value is not its source`);
    }
  }

  private binding(module: ModuleIndex, name: string, binding: Binding, member: string | undefined): void {
    const file = this.rel(module.file);
    switch (binding.kind) {
      case 'import':
        return this.imported(module, name, binding, member);
      case 'class':
        return this.classUse({ module, node: binding.node, name, enclosing: [] }, member);
      case 'variable': {
        const required = requireOf(binding.declarator, name);
        if (required) return this.imported(module, name, { kind: 'import', node: binding.node, ...required }, member);
        const cls = child(binding.declarator, 'init');
        if (cls?.type === 'ClassExpression' && identifierName(child(binding.declarator, 'id')) === name) {
          return this.classUse({ module, node: cls, name, enclosing: [] }, member);
        }
        const node = stripTypes({ ...binding.node, declarations: [binding.declarator] } as AstNode);
        if (!node) return;
        if (this.add(`${file}#${name}`, { name, kind: 'variable', file, text: printNode(node) })) this.follow(node, { module, enclosing: [] });
        return;
      }
      default: {
        const node = stripTypes(binding.node);
        if (!node) return;
        if (this.add(`${file}#${name}`, { name, kind: binding.kind, file, text: printNode(node) })) this.follow(node, { module, enclosing: [] });
      }
    }
  }

  private imported(module: ModuleIndex, local: string, binding: Extract<Binding, { kind: 'import' }>, member: string | undefined): void {
    const target = resolveImport(module.file, binding.source);
    if (target.kind === 'builtin') return;
    if (target.kind !== 'file') {
      if (target.kind === 'unresolved') this.hide(local, `its import '${binding.source}' cannot be resolved from ${this.rel(module.file)}`);
      const name = target.kind === 'package' ? target.name : binding.source;
      this.add(`import:${binding.source}:${binding.imported}`, { name: `${name}: ${binding.imported}`, kind: 'import', text: `${binding.imported} from ${binding.source}` });
      return;
    }
    const other = this.open(target.file);
    if (!other) return this.wholeModule(target.file, local);
    if (binding.imported === '*') {
      if (member !== undefined) return this.exported(other, member, undefined, local);
      return this.wholeModule(other.file, local);
    }
    this.exported(other, binding.imported, member, local);
  }

  /** Follows the export `name` of `module`, through re-exports. */
  private exported(module: ModuleIndex, name: string, member: string | undefined, local: string, depth = 0): void {
    if (depth > 20) return;
    const entry = module.exports.get(name);
    if (entry && 'local' in entry) {
      const binding = module.bindings.get(entry.local);
      if (binding) return this.binding(module, entry.local, binding, member);
      return this.wholeModule(module.file, local);
    }
    const sources = entry ? [entry.source] : module.starExports;
    for (const source of sources) {
      const target = resolveImport(module.file, source);
      if (target.kind !== 'file') continue;
      const next = this.open(target.file);
      if (!next) return this.wholeModule(target.file, local);
      if (entry && entry.imported === '*') return member === undefined ? this.wholeModule(next.file, local) : this.exported(next, member, undefined, local, depth + 1);
      const imported = entry ? entry.imported : name;
      if (!entry && !hasExport(next, imported)) continue;
      return this.exported(next, imported, member, local, depth + 1);
    }
    // Not found by name (CommonJS `exports.x = ...`, say): the whole file stands in.
    this.wholeModule(module.file, local);
  }

  private wholeModule(file: string, local: string): void {
    const rel = this.rel(file);
    if (file.toLowerCase().endsWith('.json')) {
      const text = readOnce(file);
      if (text === null) this.hide(local, `its file ${rel} cannot be read`);
      else this.add(`${rel}#*`, { name: '*', kind: 'data', file: rel, text });
      return;
    }
    const module = this.open(file);
    if (!module) {
      this.hide(local, `its module ${rel} cannot be parsed`);
      return;
    }
    const node = stripTypes(module.program);
    if (node && this.add(`${rel}#*`, { name: '*', kind: 'module', file: rel, text: printNode(node) })) {
      this.follow(node, { module, enclosing: [] });
    }
  }

  /** A class named in code: `Name.member` is that static member, any other use is the whole class. */
  private classUse(cls: ClassRef, member: string | undefined): void {
    if (member !== undefined && this.member(cls, member, true, false)) return;
    const file = this.rel(cls.module.file);
    const node = stripTypes(cls.node);
    if (!node) return;
    if (this.add(`${file}#${cls.name}`, { name: cls.name, kind: 'class', file, text: printNode(node) })) {
      this.follow(node, { module: cls.module, enclosing: cls.enclosing, cls });
    }
  }

  /**
   * The members of `cls` (or, where it has none, of its superclasses) named `name`.
   * Returns whether any was found.
   */
  member(cls: ClassRef, name: string, isStatic: boolean, inherit: boolean, depth = 0): boolean {
    const members = classMembers(cls.node, name, isStatic);
    if (members.length === 0) {
      if (!inherit || depth > 20) return false;
      const parent = this.superclass(cls);
      return parent ? this.member(parent, name, isStatic, true, depth + 1) : false;
    }
    const file = this.rel(cls.module.file);
    const qualified = `${cls.name}${isStatic ? '.' : '#'}${name}`;
    for (const [i, m] of members.entries()) {
      const node = stripTypes(m);
      if (!node) continue;
      const kind = m.type === 'MethodDefinition' ? (m.kind === 'method' ? 'method' : (m.kind as string)) : 'property';
      if (!this.add(`${file}#${qualified}${i ? `:${i}` : ''}`, { name: qualified, kind, file, text: printNode(node) })) continue;
      const value = child(node, 'value');
      if (value) this.follow(value, { module: cls.module, enclosing: cls.enclosing, cls, isStatic });
      for (const d of children(node, 'decorators')) this.follow(child(d, 'expression')!, { module: cls.module, enclosing: cls.enclosing });
    }
    return true;
  }

  /** The class `cls` extends, when the source says which; its expression is followed either way. */
  superclass(cls: ClassRef): ClassRef | undefined {
    const expr = child(cls.node, 'superClass');
    if (!expr) return undefined;
    const context: Context = { module: cls.module, enclosing: cls.enclosing };
    const name = identifierName(expr);
    if (!name || cls.enclosing.some((s) => s.has(name))) {
      const stripped = stripTypes(expr);
      if (stripped) this.follow(stripped, context);
      return undefined;
    }
    return this.classNamed(cls.module, name, 0);
  }

  /** The class a module-level name refers to, through imports. */
  private classNamed(module: ModuleIndex, name: string, depth: number): ClassRef | undefined {
    if (depth > 20) return undefined;
    const binding = module.bindings.get(name);
    if (!binding) return undefined;
    if (binding.kind === 'class') return { module, node: binding.node, name, enclosing: [] };
    if (binding.kind === 'variable') {
      const init = child(binding.declarator, 'init');
      return init?.type === 'ClassExpression' ? { module, node: init, name, enclosing: [] } : undefined;
    }
    if (binding.kind !== 'import' || binding.imported === '*') {
      if (binding.kind === 'import') this.imported(module, name, binding, undefined);
      return undefined;
    }
    const target = resolveImport(module.file, binding.source);
    if (target.kind !== 'file') {
      this.imported(module, name, binding, undefined);
      return undefined;
    }
    const other = this.open(target.file);
    if (!other) return undefined;
    const entry = other.exports.get(binding.imported);
    if (entry && 'local' in entry) return this.classNamed(other, entry.local, depth + 1);
    this.imported(module, name, binding, undefined);
    return undefined;
  }
}

/** Names CommonJS gives every module. */
const MODULE_SCOPE = new Set(['require', 'module', 'exports', '__filename', '__dirname']);

function hasExport(module: ModuleIndex, name: string): boolean {
  return module.exports.has(name) || module.starExports.length > 0;
}

/** The project a file belongs to: the nearest folder above it with a package.json. */
export function projectRoot(file: string): string {
  let dir = dirname(file);
  for (;;) {
    if (existsSync(`${dir}${sep}package.json`)) return dir;
    const up = dirname(dir);
    if (up === dir) return dirname(file);
    dir = up;
  }
}
