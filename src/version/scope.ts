import { child, children, isNode, keyName, type AstNode } from './ast';
import { FUNCTION_TYPES, lexicalNames, patternNames, varNames } from './declarations';

/** A name a piece of code reads (or writes) that it does not declare itself. */
export interface Reference {
  readonly name: string;
  /** `Name.member` with a plain member name: what is reached through the name. */
  readonly member?: string;
  /** Assigned or updated. */
  readonly write: boolean;
  /** Its value is read: false for a plain write (`x = 1`, or `x++` as a statement), which is an effect, not an input. */
  readonly read: boolean;
}

/** What a function, class or expression reaches outside itself. */
export interface Reach {
  /** Free names, in order of first use. */
  readonly free: Reference[];
  /** Members read as `this.x` (`#x` for private ones) with the code's own `this`. */
  readonly thisMembers: string[];
  /** Members read as `super.x`. */
  readonly superMembers: string[];
  /** Modules it loads at run time: `require('x')` and `import('x')` with a literal specifier. */
  readonly requests: string[];
}

type Scope = ReadonlySet<string>;

/**
 * The names `node` reads without declaring them, and the members it reads through its
 * own `this` and `super`. `node` is a type-stripped tree. `outer` are scopes around it
 * whose names count as declared (a module's own bindings, say).
 */
export function reach(node: AstNode, outer: Scope[] = []): Reach {
  const walker = new Walker([...outer]);
  walker.root(node);
  return { free: walker.free, thisMembers: [...walker.thisMembers], superMembers: [...walker.superMembers], requests: [...walker.requests] };
}

/**
 * The module-level names that the module assigns anywhere after declaring them
 * (`x = ...`, `x++`, `for (x of ...)`), where no inner declaration shadows them.
 */
export function reassignedNames(program: AstNode): Set<string> {
  // Depth 0 holds the module's `var`s, depth 1 (pushed by `statements`) its other bindings.
  const walker = new Walker([new Set(varNames(program))]);
  walker.onWrite = (name, depth) => depth >= 0 && depth <= 1 && walker.written.add(name);
  walker.statements(children(program, 'body'));
  return walker.written;
}


class Walker {
  readonly free: Reference[] = [];
  readonly thisMembers = new Set<string>();
  readonly superMembers = new Set<string>();
  readonly written = new Set<string>();
  readonly requests = new Set<string>();
  onWrite: ((name: string, depth: number) => void) | undefined;
  private readonly seenFree = new Set<string>();
  /** Whether `this` is the root's own `this` (not inside a nested function or class). */
  private ownThis = true;

  constructor(private readonly scopes: Scope[]) {}

  root(node: AstNode): void {
    if (FUNCTION_TYPES.has(node.type)) this.fn(node, true);
    else this.expr(node);
  }

  private depthOf(name: string): number {
    for (let i = this.scopes.length - 1; i >= 0; i--) if (this.scopes[i]!.has(name)) return i;
    return -1;
  }

  private use(name: string, write: boolean, member?: string, read = true): void {
    const depth = this.depthOf(name);
    if (write) this.onWrite?.(name, depth);
    if (depth >= 0) return;
    const id = `${name}\u0000${member ?? ''}\u0000${write}\u0000${read}`;
    if (this.seenFree.has(id)) return;
    this.seenFree.add(id);
    this.free.push(member === undefined ? { name, write, read } : { name, member, write, read });
  }

  private scoped(names: Iterable<string>, body: () => void): void {
    this.scopes.push(new Set(names));
    try {
      body();
    } finally {
      this.scopes.pop();
    }
  }

  private withThis(own: boolean, body: () => void): void {
    const before = this.ownThis;
    this.ownThis = own;
    try {
      body();
    } finally {
      this.ownThis = before;
    }
  }

  statements(list: AstNode[]): void {
    this.scoped(lexicalNames(list), () => {
      for (const s of list) this.stmt(s);
    });
  }

  private fn(node: AstNode, root = false): void {
    const params = children(node, 'params');
    const names = params.flatMap((p) => patternNames(p));
    const id = child(node, 'id');
    if (node.type === 'FunctionExpression' && id) names.push(id.name as string);
    if (node.type !== 'ArrowFunctionExpression') names.push('arguments');
    const body = child(node, 'body');
    if (body?.type === 'BlockStatement') names.push(...varNames(body));
    const own = node.type === 'ArrowFunctionExpression' ? this.ownThis : root;
    this.withThis(own, () =>
      this.scoped(names, () => {
        for (const p of params) this.pattern(p);
        if (!body) return;
        if (body.type === 'BlockStatement') this.statements(children(body, 'body'));
        else this.expr(body);
      }),
    );
  }

  private cls(node: AstNode): void {
    for (const d of children(node, 'decorators')) this.expr(child(d, 'expression')!);
    const superClass = child(node, 'superClass');
    if (superClass) this.expr(superClass);
    const id = child(node, 'id');
    const names = node.type === 'ClassExpression' && id ? [id.name as string] : [];
    this.scoped(names, () => {
      for (const member of children(child(node, 'body')!, 'body')) {
        for (const d of children(member, 'decorators')) this.expr(child(d, 'expression')!);
        if (member.computed && child(member, 'key')) this.expr(child(member, 'key')!);
        const value = child(member, 'value');
        if (member.type === 'StaticBlock') this.withThis(false, () => this.statements(children(member, 'body')));
        else if (value && FUNCTION_TYPES.has(value.type)) this.fn(value);
        else if (value) this.withThis(false, () => this.expr(value));
      }
    });
  }

  /**
   * A binding pattern (no `assign`: its names are declared, only its defaults and computed
   * keys are read) or an assignment target (its plain names are written, and read too where
   * `assign.read` says so: `x += 1` used as a value).
   */
  private pattern(p: AstNode | undefined, assign?: { readonly read: boolean }): void {
    if (!p) return;
    const inner = assign && { read: false };
    switch (p.type) {
      case 'Identifier':
        if (assign) this.use(p.name as string, true, undefined, assign.read);
        return;
      case 'AssignmentPattern':
        this.pattern(child(p, 'left'), inner);
        this.expr(child(p, 'right')!);
        return;
      case 'RestElement':
        return this.pattern(child(p, 'argument'), inner);
      case 'ArrayPattern':
        return children(p, 'elements').forEach((e) => this.pattern(e, inner));
      case 'ObjectPattern':
        for (const prop of children(p, 'properties')) {
          if (prop.type === 'RestElement') this.pattern(prop, inner);
          else {
            if (prop.computed) this.expr(child(prop, 'key')!);
            this.pattern(child(prop, 'value'), inner);
          }
        }
        return;
      case 'TSParameterProperty':
        return this.pattern(child(p, 'parameter'), assign);
      case 'TSAsExpression':
      case 'TSSatisfiesExpression':
      case 'TSNonNullExpression':
      case 'TSTypeAssertion':
        if (assign) return this.pattern(child(p, 'expression'), assign);
        return this.expr(p);
      default:
        if (assign) {
          // `cfg.k = 2`, `Lab.prototype.h = f`: a mutation of what the name holds.
          let root: AstNode | undefined = p;
          while (root?.type === 'MemberExpression') root = child(root, 'object');
          if (root?.type === 'Identifier') this.onWrite?.(root.name as string, this.depthOf(root.name as string));
        }
        this.expr(p);
    }
  }

  private stmt(s: AstNode): void {
    switch (s.type) {
      case 'FunctionDeclaration':
        return this.fn(s);
      case 'ClassDeclaration':
        return this.cls(s);
      case 'VariableDeclaration':
        for (const d of children(s, 'declarations')) {
          this.pattern(child(d, 'id'));
          const init = child(d, 'init');
          if (init) this.expr(init);
        }
        return;
      case 'BlockStatement':
      case 'StaticBlock':
        return this.statements(children(s, 'body'));
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement': {
        const head = child(s, 'init') ?? child(s, 'left');
        const names = head?.type === 'VariableDeclaration' && head.kind !== 'var' ? children(head, 'declarations').flatMap((d) => patternNames(child(d, 'id'))) : [];
        this.scoped(names, () => {
          if (head?.type === 'VariableDeclaration') this.stmt(head);
          else if (head && s.type !== 'ForStatement') this.pattern(head, { read: false });
          else if (head) this.expr(head);
          if (child(s, 'test')) this.expr(child(s, 'test')!);
          const update = child(s, 'update');
          if (update) this.expr({ type: 'ExpressionStatement', expression: update, start: 0, end: 0 });
          if (child(s, 'right')) this.expr(child(s, 'right')!);
          this.stmt(child(s, 'body')!);
        });
        return;
      }
      case 'CatchClause':
        return this.scoped(patternNames(child(s, 'param')), () => {
          // `catch ({ code = D })`: a destructured parameter's defaults and keys are read.
          this.pattern(child(s, 'param'));
          this.stmt(child(s, 'body')!);
        });
      case 'SwitchStatement':
        this.expr(child(s, 'discriminant')!);
        return this.statements(children(s, 'cases').flatMap((c) => [...(child(c, 'test') ? [{ type: 'ExpressionStatement', expression: child(c, 'test'), start: 0, end: 0 } as AstNode] : []), ...children(c, 'consequent')]));
      case 'LabeledStatement':
        return this.stmt(child(s, 'body')!);
      case 'BreakStatement':
      case 'ContinueStatement':
      case 'EmptyStatement':
      case 'DebuggerStatement':
        return;
      case 'ImportDeclaration':
      case 'ExportAllDeclaration':
        return;
      case 'ExportNamedDeclaration': {
        const decl = child(s, 'declaration');
        if (decl) return this.stmt(decl);
        if (child(s, 'source')) return;
        for (const spec of children(s, 'specifiers')) if (child(spec, 'local')?.type === 'Identifier') this.use(child(spec, 'local')!.name as string, false);
        return;
      }
      case 'ExportDefaultDeclaration': {
        const decl = child(s, 'declaration')!;
        if (decl.type === 'FunctionDeclaration' || decl.type === 'ClassDeclaration') return this.stmt(decl);
        return this.expr(decl);
      }
      case 'TSEnumDeclaration': {
        const members = children(child(s, 'body') ?? s, 'members');
        const names = members.map((m) => keyName(m)).filter((n): n is string => n !== undefined);
        return this.scoped(names, () => members.forEach((m) => child(m, 'initializer') && this.expr(child(m, 'initializer')!)));
      }
      case 'TSModuleDeclaration': {
        const body = child(s, 'body');
        return body ? this.statements(children(body, 'body')) : undefined;
      }
      case 'TSImportEqualsDeclaration': {
        const ref = child(s, 'moduleReference');
        if (ref && ref.type !== 'TSExternalModuleReference') this.expr(ref);
        return;
      }
      default:
        return this.expr(s);
    }
  }

  private expr(e: AstNode): void {
    switch (e.type) {
      case 'Identifier':
        return this.use(e.name as string, false);
      case 'ThisExpression':
      case 'Super':
      case 'Literal':
      case 'MetaProperty':
      case 'PrivateIdentifier':
        return;
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
      case 'FunctionDeclaration':
        return this.fn(e);
      case 'ClassExpression':
      case 'ClassDeclaration':
        return this.cls(e);
      case 'MemberExpression': {
        const object = child(e, 'object')!;
        const property = child(e, 'property')!;
        const name = e.computed ? (property.type === 'Literal' && typeof property.value === 'string' ? property.value : undefined) : property.type === 'PrivateIdentifier' ? `#${property.name as string}` : (property.name as string);
        if (object.type === 'ThisExpression' && this.ownThis && name !== undefined) this.thisMembers.add(name);
        else if (object.type === 'Super' && name !== undefined) this.superMembers.add(name);
        else if (object.type === 'Identifier' && !e.computed && property.type === 'Identifier') this.use(object.name as string, false, name);
        else this.expr(object);
        if (e.computed) this.expr(property);
        return;
      }
      case 'Property':
        if (e.computed) this.expr(child(e, 'key')!);
        return this.expr(child(e, 'value')!);
      case 'AssignmentExpression':
      case 'UpdateExpression':
        return this.assignment(e, true);
      case 'TSParameterProperty':
        return this.pattern(e);
      case 'CallExpression':
      case 'ImportExpression': {
        const callee = child(e, 'callee');
        const [first] = e.type === 'ImportExpression' ? [child(e, 'source')] : children(e, 'arguments');
        const loads = e.type === 'ImportExpression' || (callee?.type === 'Identifier' && callee.name === 'require' && this.depthOf('require') < 0);
        if (loads && first?.type === 'Literal' && typeof first.value === 'string') this.requests.add(first.value);
        return this.generic(e);
      }
      case 'ExpressionStatement': {
        const inner = child(e, 'expression')!;
        if (inner.type === 'AssignmentExpression' || inner.type === 'UpdateExpression') return this.assignment(inner, false);
        return this.expr(inner);
      }
      case 'TSEnumDeclaration':
      case 'TSModuleDeclaration':
      case 'VariableDeclaration':
      case 'BlockStatement':
        return this.stmt(e);
      default:
        this.generic(e);
    }
  }

  /**
   * `x = v`, `x += v`, `x++`. The target's old value is read by compound and update forms,
   * but only matters when the expression's value is used (`valueUsed`): `runs++;` as a
   * statement is an effect, not an input.
   */
  private assignment(e: AstNode, valueUsed: boolean): void {
    if (e.type === 'UpdateExpression') return this.pattern(child(e, 'argument'), { read: valueUsed });
    this.pattern(child(e, 'left'), { read: valueUsed && e.operator !== '=' });
    this.expr(child(e, 'right')!);
  }

  /** Statements and expressions with nothing special: every child in turn. */
  private generic(node: AstNode): void {
    for (const field in node) {
      const value = node[field];
      if (typeof value !== 'object' || value === null || field === 'label') continue;
      for (const item of Array.isArray(value) ? value : [value]) {
        if (!isNode(item)) continue;
        if (STATEMENT.test(item.type)) this.stmt(item);
        else this.expr(item);
      }
    }
  }
}

const STATEMENT = /(Statement|Declaration|Clause)$/;
