import { FunesError } from './errors';
import type { IgnoredPath } from './key/call-key';
import { parse, type Expression, type Function as FunctionNode, type Node, type Pattern } from 'acorn';

/** One declared parameter: its name in the record, and how it takes its value. */
export interface Param {
  readonly name: string;
  readonly rest: boolean;
  /** Present when the source gives a literal default (`epochs = 10`). */
  readonly default?: { readonly value: unknown };
  /** For a destructured object parameter (`{ kw1 = 'x', kw2 }`), what it takes from the object given. */
  readonly pattern?: ObjectPattern;
}

/** The properties a destructured object parameter reads, each with its literal default if it has one. */
export interface ObjectPattern {
  readonly properties: readonly { readonly name: string; readonly default?: { readonly value: unknown } }[];
  /** `...rest`: every other property is read too. */
  readonly rest: boolean;
}

/** The name a destructured or surplus argument gets in the record: its position. */
export function positionalName(index: number): string {
  return `$${index}`;
}

const NOT_LITERAL = Symbol('not literal');

/**
 * Reads the parameter list of a function from its source. `fn.length` stops at the
 * first default, and down-levelled async code renames the outer parameters, so the
 * list is parsed, never counted.
 */
export function readParams(fn: Function): { params: Param[]; async: boolean } | undefined {
  const node = parseFunction(Function.prototype.toString.call(fn));
  if (!node) return undefined;
  const awaiter = awaiterParams(node);
  return { params: (awaiter ?? node.params).map((p, i) => describe(p, i)), async: node.async || awaiter !== undefined };
}

function describe(p: Pattern, index: number): Param {
  if (p.type === 'Identifier') return { name: p.name, rest: false };
  if (p.type === 'RestElement') {
    return { name: p.argument.type === 'Identifier' ? p.argument.name : positionalName(index), rest: true };
  }
  if (p.type === 'AssignmentPattern') {
    const name = p.left.type === 'Identifier' ? p.left.name : positionalName(index);
    const pattern = p.left.type === 'ObjectPattern' ? objectPattern(p.left) : undefined;
    const value = literalDefault(p.right);
    return { name, rest: false, ...(value && { default: value }), ...(pattern && { pattern }) };
  }
  const pattern = p.type === 'ObjectPattern' ? objectPattern(p) : undefined;
  return { name: positionalName(index), rest: false, ...(pattern && { pattern }) };
}

/**
 * A default that is a literal, frozen so one copy serves every call: the method itself
 * never sees it (it gets `undefined` and evaluates its own default), only the key and the
 * record's input do.
 */
function literalDefault(e: Expression): { value: unknown } | undefined {
  const value = literal(e);
  return value === NOT_LITERAL ? undefined : { value: deepFreeze(value) };
}

/** What `{ kw1 = 'x', kw2, ...rest }` reads, or undefined when a computed key hides it. */
function objectPattern(p: Extract<Pattern, { type: 'ObjectPattern' }>): ObjectPattern | undefined {
  const properties: { name: string; default?: { value: unknown } }[] = [];
  let rest = false;
  for (const prop of p.properties) {
    if (prop.type === 'RestElement') {
      rest = true;
      continue;
    }
    if (prop.computed) return undefined;
    const name = prop.key.type === 'Identifier' ? prop.key.name : prop.key.type === 'Literal' ? String(prop.key.value) : undefined;
    if (name === undefined) return undefined;
    const value = prop.value.type === 'AssignmentPattern' ? literalDefault(prop.value.right) : undefined;
    properties.push(value ? { name, default: value } : { name });
  }
  return { properties, rest };
}

/** Evaluates a default that is a literal; anything else cannot be known before the call. */
function literal(e: Expression): unknown {
  switch (e.type) {
    case 'Literal':
      return 'regex' in e && e.regex ? NOT_LITERAL : e.value;
    case 'Identifier':
      return e.name === 'undefined' ? undefined : e.name === 'NaN' ? NaN : e.name === 'Infinity' ? Infinity : NOT_LITERAL;
    case 'UnaryExpression': {
      const v = literal(e.argument);
      if (typeof v === 'number' && e.operator === '-') return -v;
      if (typeof v === 'bigint' && e.operator === '-') return -v;
      if (typeof v === 'number' && e.operator === '+') return v;
      return NOT_LITERAL;
    }
    case 'TemplateLiteral':
      return e.expressions.length === 0 ? e.quasis[0]?.value.cooked : NOT_LITERAL;
    case 'ArrayExpression': {
      const out: unknown[] = [];
      for (const el of e.elements) {
        if (!el || el.type === 'SpreadElement') return NOT_LITERAL;
        const v = literal(el);
        if (v === NOT_LITERAL) return NOT_LITERAL;
        out.push(v);
      }
      return out;
    }
    case 'ObjectExpression': {
      const out: Record<string, unknown> = {};
      for (const prop of e.properties) {
        if (prop.type !== 'Property' || prop.kind !== 'init' || prop.computed || prop.method) return NOT_LITERAL;
        const key = prop.key.type === 'Identifier' ? prop.key.name : prop.key.type === 'Literal' ? String(prop.key.value) : undefined;
        const v = literal(prop.value as Expression);
        if (key === undefined || key === '__proto__' || v === NOT_LITERAL) return NOT_LITERAL;
        out[key] = v;
      }
      return out;
    }
    default:
      return NOT_LITERAL;
  }
}

function deepFreeze(value: unknown): unknown {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * A method's `toString()` is a method definition (`name(a) {...}`, `async *[k](a) {...}`),
 * which parses as a class member; functions and arrows parse as expressions.
 */
function parseFunction(source: string): FunctionNode | undefined {
  for (const wrap of [(s: string) => `(class { ${s}\n})`, (s: string) => `(${s}\n)`]) {
    let program: Node;
    try {
      // The method alone, out of its class: its `this.#field`s are declared elsewhere.
      program = parse(wrap(source), { ecmaVersion: 'latest', checkPrivateFields: false });
    } catch {
      continue;
    }
    const found = firstFunction(program);
    if (found) return found;
  }
  return undefined;
}

function firstFunction(program: Node): FunctionNode | undefined {
  const stmt = (program as unknown as { body: Node[] }).body[0];
  if (!stmt || stmt.type !== 'ExpressionStatement') return undefined;
  const expr = (stmt as unknown as { expression: Node }).expression;
  if (expr.type === 'ClassExpression') {
    const member = (expr as unknown as { body: { body: Node[] } }).body.body[0];
    if (member?.type === 'MethodDefinition') return (member as unknown as { value: FunctionNode }).value;
    return undefined;
  }
  if (expr.type === 'FunctionExpression' || expr.type === 'ArrowFunctionExpression') return expr as FunctionNode;
  return undefined;
}

/** `__awaiter`, `tslib_1.__awaiter` (importHelpers), or `(0, tslib_1.__awaiter)`. */
function isAwaiter(callee: Node): boolean {
  const c = callee as unknown as { type: string; name?: string; property?: { name?: string }; expressions?: Node[] };
  if (c.type === 'Identifier') return /^_*awaiter$/.test(c.name ?? '');
  if (c.type === 'MemberExpression') return /^_*awaiter$/.test(c.property?.name ?? '');
  if (c.type === 'SequenceExpression' && c.expressions?.length) return isAwaiter(c.expressions[c.expressions.length - 1]!);
  return false;
}

/**
 * TypeScript below ES2017 compiles `async m(a, b = 1)` to
 * `m(a_1) { return __awaiter(this, arguments, void 0, function* (a, b = 1) {...}) }`:
 * the generator holds the real parameter list.
 */
function awaiterParams(fn: FunctionNode): Pattern[] | undefined {
  if (fn.body.type !== 'BlockStatement' || fn.body.body.length !== 1) return undefined;
  const ret = fn.body.body[0];
  if (ret?.type !== 'ReturnStatement' || ret.argument?.type !== 'CallExpression') return undefined;
  const call = ret.argument;
  if (!isAwaiter(call.callee)) return undefined;
  const gen = call.arguments[3];
  if (gen?.type !== 'FunctionExpression' || !gen.generator) return undefined;
  return gen.params;
}

/**
 * Maps arguments to names: declared parameters in order (a literal default standing in
 * for `undefined`, a rest parameter as an array), then any surplus argument under its
 * position, since every argument given can change the result; but not a trailing run of
 * `undefined` beyond the declared parameters, which the method cannot tell from nothing.
 * A destructured object parameter is bound to the properties it reads, literal defaults
 * filled in, so `f(1, 2, { kw1: 3 })` and `f(1, 2, { kw1: 3, kw2: 'y' })` are one input
 * when `kw2` defaults to `'y'`.
 */
export function bindArguments(params: readonly Param[], args: readonly unknown[]): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  let i = 0;
  for (const p of params) {
    if (p.rest) {
      define(input, p.name, args.slice(i));
      i = args.length;
      continue;
    }
    const given = args[i++];
    const value = given === undefined && p.default ? p.default.value : given;
    define(input, p.name, p.pattern ? destructured(p.pattern, value) : value);
  }
  let end = args.length;
  while (end > i && args[end - 1] === undefined) end--;
  for (; i < end; i++) input[positionalName(i)] = args[i];
  return input;
}

/** `input[name] = value`, except that a name `__proto__` (a parameter, or an own property JSON.parse made) becomes a property rather than setting the prototype. */
function define(input: Record<string | symbol, unknown>, name: string | symbol, value: unknown): void {
  if (name === '__proto__') Object.defineProperty(input, name, { value, enumerable: true, writable: true, configurable: true });
  else input[name] = value;
}

/**
 * What a destructured parameter reads of the object given, as destructuring reads it:
 * each named property (through getters and the prototype chain, from any realm), its
 * literal default standing in for `undefined`, and for a `...rest` every other own
 * enumerable property, string- or symbol-keyed, `undefined` ones included.
 */
function destructured(pattern: ObjectPattern, given: unknown): unknown {
  if (typeof given !== 'object' || given === null) return given;
  const source = given as Record<string | symbol, unknown>;
  const bound: Record<string | symbol, unknown> = {};
  if (pattern.rest) {
    const named = new Set(pattern.properties.map((p) => p.name));
    for (const key of Reflect.ownKeys(source)) {
      if (Object.prototype.propertyIsEnumerable.call(source, key) && !(typeof key === 'string' && named.has(key))) define(bound, key, source[key]);
    }
  }
  for (const { name, default: fallback } of pattern.properties) {
    const value = source[name] === undefined && fallback ? fallback.value : source[name];
    if (value !== undefined) define(bound, name, value);
  }
  return bound;
}

/**
 * What an `ignore` name leaves out: a parameter, or a property of a destructured object
 * parameter (`kw2` of `{ kw1 = 'x', kw2 = 'y' } = {}`), which has no name of its own.
 */
export function ignoredPath(params: readonly Param[], name: string, member: string): IgnoredPath {
  if (name === 'global_seed' || params.some((p) => p.name === name)) return [name];
  const owners = params.filter((p) => p.pattern?.properties.some((q) => q.name === name));
  if (owners.length === 1) return [owners[0]!.name, name];
  const properties = params.flatMap((p) => p.pattern?.properties.map((q) => q.name) ?? []);
  const known = [...params.filter((p) => !p.pattern).map((p) => p.name), ...properties];
  throw new FunesError(
    'FUNES_BAD_OPTION',
    owners.length > 1
      ? `@memorious ignore: '${name}' is a property of more than one destructured parameter of '${member}', so it cannot say which`
      : `@memorious ignore: '${name}' is not a parameter of '${member}', nor a property of a destructured one (known: ${known.join(', ') || 'none'})`,
  );
}
