import { child, children, identifierName, isNode, keyName, type AstNode } from './ast';
import { parseProgram } from './parse';
import { lexicalNames, patternNames, varNames } from './declarations';
import { reassignedNames } from './scope';
import { readOnce, sourceOf, type ModuleSource } from './sources';

/** What a module-level name is bound to. */
export type Binding =
  | { readonly kind: 'function' | 'class' | 'enum' | 'namespace'; readonly node: AstNode }
  /** A `const`/`let`/`var`: the whole declaration (all its declarators) is its text. */
  | { readonly kind: 'variable'; readonly node: AstNode; readonly declarator: AstNode; readonly declaration: string }
  /** An import: `imported` is a name, `'default'`, or `'*'` for the whole module. */
  | { readonly kind: 'import'; readonly node: AstNode; readonly source: string; readonly imported: string };

/** A class found anywhere in the module, with the names its enclosing functions and blocks declare. */
export interface ClassSite {
  readonly node: AstNode;
  /** The class's own name, or the variable it initialises. */
  readonly name: string | undefined;
  /** Names declared by enclosing functions and blocks, innermost last (the module's own not included). */
  readonly enclosing: ReadonlySet<string>[];
}

/** One parsed module: its bindings, exports and classes, computed once per process. */
export class ModuleIndex {
  readonly bindings = new Map<string, Binding>();
  /** Exported name to the local name it exports, or to what it re-exports from another module. */
  readonly exports = new Map<string, { readonly local: string } | { readonly source: string; readonly imported: string }>();
  readonly starExports: string[] = [];
  private classList: ClassSite[] | undefined;
  private reassigned: Set<string> | undefined;

  constructor(
    readonly file: string,
    readonly text: string,
    readonly program: AstNode,
  ) {
    for (const statement of children(program, 'body')) this.index(statement);
  }

  /** Whether the module assigns `name` anywhere after declaring it. */
  isReassigned(name: string): boolean {
    // A `const x = 1` looks like an assignment to the text search: its own declaration is not one.
    const binding = this.bindings.get(name);
    const id = binding?.kind === 'variable' ? child(binding.declarator, 'id') : undefined;
    const declaredAt = id?.type === 'Identifier' && this.text.startsWith(name, id.start) ? id.start : undefined;
    if (!mayAssign(this.text, name, declaredAt)) return false;
    // Type nodes are walked too, but declare nothing and assign nothing: no need to strip them.
    this.reassigned ??= reassignedNames(this.program);
    return this.reassigned.has(name);
  }

  /**
   * The classes declared at the top of the module (`class`, `export class`,
   * `const X = class`), found without walking the whole tree.
   */
  topLevelClasses(): ClassSite[] {
    const out: ClassSite[] = [];
    for (let statement of children(this.program, 'body')) {
      if (statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration') statement = child(statement, 'declaration') ?? statement;
      if (statement.type === 'ClassDeclaration') out.push({ node: statement, name: identifierName(child(statement, 'id')), enclosing: [] });
      if (statement.type !== 'VariableDeclaration') continue;
      for (const d of children(statement, 'declarations')) {
        const init = child(d, 'init');
        if (init?.type === 'ClassExpression') out.push({ node: init, name: identifierName(child(init, 'id')) ?? identifierName(child(d, 'id')), enclosing: [] });
      }
    }
    return out;
  }

  /** Every class in the module, nested ones included. */
  classes(): ClassSite[] {
    if (!this.classList) {
      this.classList = [];
      collectClasses(this.program, this.classList);
    }
    return this.classList;
  }

  private index(statement: AstNode): void {
    if (statement.type === 'ExportNamedDeclaration') {
      const declaration = child(statement, 'declaration');
      const source = child(statement, 'source')?.value as string | undefined;
      if (declaration) {
        this.index(declaration);
        for (const name of declaredBy(declaration)) this.exports.set(name, { local: name });
      }
      for (const spec of children(statement, 'specifiers')) {
        const local = specName(child(spec, 'local'));
        const exported = specName(child(spec, 'exported'));
        if (local === undefined || exported === undefined) continue;
        this.exports.set(exported, source === undefined ? { local } : { source, imported: local });
      }
      return;
    }
    if (statement.type === 'ExportDefaultDeclaration') {
      const declaration = child(statement, 'declaration')!;
      const name = identifierName(child(declaration, 'id'));
      if (name && (declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration')) {
        this.index(declaration);
        this.exports.set('default', { local: name });
      } else if (declaration.type === 'Identifier') {
        this.exports.set('default', { local: declaration.name as string });
      } else {
        // An anonymous default export is bound to a name no code can write.
        this.bindings.set('*default*', { kind: declaration.type === 'ClassDeclaration' ? 'class' : 'function', node: declaration });
        this.exports.set('default', { local: '*default*' });
      }
      return;
    }
    if (statement.type === 'ExportAllDeclaration') {
      const source = child(statement, 'source')?.value as string;
      const exported = specName(child(statement, 'exported'));
      if (exported) this.exports.set(exported, { source, imported: '*' });
      else this.starExports.push(source);
      return;
    }
    switch (statement.type) {
      case 'FunctionDeclaration':
      case 'ClassDeclaration':
      case 'TSEnumDeclaration':
      case 'TSModuleDeclaration': {
        const name = identifierName(child(statement, 'id'));
        if (!name || statement.declare === true) return;
        const kind = statement.type === 'FunctionDeclaration' ? 'function' : statement.type === 'ClassDeclaration' ? 'class' : statement.type === 'TSEnumDeclaration' ? 'enum' : 'namespace';
        // Overload signatures share the name with the implementation, which comes last.
        if (statement.type === 'FunctionDeclaration' && statement.body === null) return;
        this.bindings.set(name, { kind, node: statement });
        return;
      }
      case 'VariableDeclaration': {
        if (statement.declare === true) return;
        for (const declarator of children(statement, 'declarations')) {
          for (const name of patternNames(child(declarator, 'id'))) {
            this.bindings.set(name, { kind: 'variable', node: statement, declarator, declaration: statement.kind as string });
          }
        }
        return;
      }
      case 'ImportDeclaration': {
        if (statement.importKind === 'type') return;
        const source = child(statement, 'source')!.value as string;
        for (const spec of children(statement, 'specifiers')) {
          if (spec.importKind === 'type') continue;
          const local = identifierName(child(spec, 'local'))!;
          const imported = spec.type === 'ImportDefaultSpecifier' ? 'default' : spec.type === 'ImportNamespaceSpecifier' ? '*' : specName(child(spec, 'imported'))!;
          this.bindings.set(local, { kind: 'import', node: statement, source, imported });
        }
        return;
      }
      case 'TSImportEqualsDeclaration': {
        const ref = child(statement, 'moduleReference');
        const name = identifierName(child(statement, 'id'));
        if (name && ref?.type === 'TSExternalModuleReference' && statement.importKind !== 'type') {
          this.bindings.set(name, { kind: 'import', node: statement, source: child(ref, 'expression')!.value as string, imported: '*' });
        }
        return;
      }
    }
  }
}

/**
 * Whether the text has anything that could assign `name` (`name =`, `name +=`, `name++`,
 * `--name`, a destructuring or `for (name of ...)` target): a cheap, conservative test
 * before the walk that decides it.
 */
function mayAssign(text: string, name: string, declaredAt?: number): boolean {
  const n = name.replace(/[$]/g, '\\$');
  const before = '(?<![\\w$.])';
  const after = '(?![\\w$])';
  // `.k`, `?.k`, `[i]`: a member of what the name holds, assigned, is a mutation of it.
  const members = '(?:\\s*\\??\\.\\s*[\\w$#]+|\\s*\\[[^\\]]*\\])*';
  const written = new RegExp(
    `${before}${n}${members}${after}\\s*(?:[-+*/%&|^]|\\*\\*|<<|>>>?|&&|\\|\\||\\?\\?)?=(?!=)|${before}${n}${members}${after}\\s*(?:\\+\\+|--|[,\\]}]|\\s(?:of|in)\\s)|(?:\\+\\+|--)\\s*${n}${after}|\\.\\.\\.\\s*${n}${after}`,
    'g',
  );
  // The first two forms match from the name itself, so a match at the declaration's own name is that declaration.
  for (let m = written.exec(text); m !== null; m = written.exec(text)) if (m.index !== declaredAt) return true;
  return false;
}

function specName(node: AstNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'Identifier') return node.name as string;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  return undefined;
}

function declaredBy(declaration: AstNode): string[] {
  if (declaration.type === 'VariableDeclaration') return children(declaration, 'declarations').flatMap((d) => patternNames(child(d, 'id')));
  const name = identifierName(child(declaration, 'id'));
  return name ? [name] : [];
}

const SCOPE_NODES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression', 'BlockStatement', 'StaticBlock', 'TSModuleBlock']);

/**
 * Finds every class with one walk that keeps the path of scope nodes above it; the names
 * those scopes declare are worked out only for the classes found, not for every function.
 */
function collectClasses(root: AstNode, out: ClassSite[]): void {
  const path: AstNode[] = [];
  const visit = (node: AstNode, nameHint: string | undefined): void => {
    if (node.type === 'ClassDeclaration' || node.type === 'ClassExpression') {
      out.push({ node, name: identifierName(child(node, 'id')) ?? nameHint, enclosing: path.map(declaredIn) });
    }
    const scope = SCOPE_NODES.has(node.type);
    if (scope) path.push(node);
    for (const field in node) {
      const value = node[field];
      if (typeof value !== 'object' || value === null) continue;
      const hint = node.type === 'VariableDeclarator' && field === 'init' ? identifierName(child(node, 'id')) : undefined;
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) visit(item, undefined);
      } else if (isNode(value)) {
        visit(value, hint);
      }
    }
    if (scope) path.pop();
  };
  visit(root, undefined);
}

/** The names a function or block declares for the code inside it. */
export function declaredIn(node: AstNode): ReadonlySet<string> {
  if (node.type === 'BlockStatement' || node.type === 'StaticBlock' || node.type === 'TSModuleBlock') return new Set(lexicalNames(children(node, 'body')));
  const declared = children(node, 'params').flatMap((p) => patternNames(p));
  const body = child(node, 'body');
  if (body?.type === 'BlockStatement') declared.push(...varNames(body), ...lexicalNames(children(body, 'body')));
  const id = identifierName(child(node, 'id'));
  if (node.type === 'FunctionExpression' && id) declared.push(id);
  return new Set(declared);
}

/** Per file, per text: a map's `sourcesContent` can hold an older text of a file than its disk. */
const indexes = new Map<string, Map<string, ModuleIndex | null>>();

/** The index of the module whose source is `source` (see `sourceOf`), parsed once per process. */
export function indexOf(source: ModuleSource): ModuleIndex | undefined {
  let byText = indexes.get(source.file);
  if (!byText) indexes.set(source.file, (byText = new Map()));
  let index = byText.get(source.text);
  if (index === undefined) {
    const program = parseProgram(source.file, source.text);
    index = program ? new ModuleIndex(source.file, source.text, program) : null;
    byText.set(source.text, index);
  }
  return index ?? undefined;
}

/** The index of the module in `file`, or of the original its source map names. */
export function indexOfFile(file: string): ModuleIndex | undefined {
  if (readOnce(file) === null) return undefined;
  const source = sourceOf(file);
  return source ? indexOf(source) : undefined;
}

/** The members of a class body named `name`, static or not. */
export function classMembers(cls: AstNode, name: string, isStatic: boolean): AstNode[] {
  return children(child(cls, 'body')!, 'body').filter(
    (m) => (m.type === 'MethodDefinition' || m.type === 'PropertyDefinition' || m.type === 'AccessorProperty') && Boolean(m.static) === isStatic && keyName(m) === name,
  );
}
