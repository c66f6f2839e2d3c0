import { textDigest } from './binary';
import { child, children, isNode, type AstNode } from '../version/ast';
import { FUNCTION_TYPES } from '../version/declarations';
import { parseProgram } from '../version/parse';
import { printNode } from '../version/print';
import { reach } from '../version/scope';
import { stripTypes } from '../version/strip';

/** How a class takes part in a key: its name and code, and whether its instances hold state no key can read. */
export interface ClassCode {
  /** Name and normalised source of the class and of each class it extends, built-ins by name. */
  readonly text: string;
  /** The SHA-256 of `text`: what each instance writes, so a million instances do not repeat the class's source. */
  readonly digest: string;
  /** The first class on the chain that declares instance `#private` fields, if any. */
  readonly privateIn: string | undefined;
  /** Whether this class itself declares static `#private` fields. */
  readonly staticPrivate: boolean;
  /** A class implemented natively (not one of the built-ins the writer knows): its state is out of reach. */
  readonly native: boolean;
  /**
   * Another class of the same name and code exists in this process, and the code reads
   * names from outside itself: two classes made by one factory, or one module loaded
   * twice, whose methods may read different values. Their instances cannot be told apart.
   */
  twin: boolean;
}

/** How a function value takes part in a key: by its normalised source, or refused, with the reason. */
export type FunctionCode =
  | { readonly text: string }
  | { readonly refused: string; readonly readsThis?: false }
  /** An arrow function reading the `this` it was made under: keyed by its source only as a class field of that instance. */
  | { readonly refused: string; readonly readsThis: true; readonly text: string; readonly source: string };

const classes = new WeakMap<Function, ClassCode>();
const byText = new Map<string, { readonly ctor: WeakRef<Function>; readonly code: ClassCode }>();
const functions = new WeakMap<Function, FunctionCode>();

/**
 * JavaScript's standard globals, which hold no state a program sets: a function may read
 * them and still be keyed by its source. `globalThis`, `process` and the like are not
 * among them, since a function reading them reads whatever was last put there.
 */
const GLOBALS = new Set([
  ...['Array', 'ArrayBuffer', 'BigInt', 'BigInt64Array', 'BigUint64Array', 'Boolean', 'DataView', 'Date', 'Error'],
  ...['EvalError', 'Float32Array', 'Float64Array', 'Int8Array', 'Int16Array', 'Int32Array', 'Intl', 'JSON', 'Map'],
  ...['Math', 'Number', 'Object', 'Promise', 'Proxy', 'RangeError', 'ReferenceError', 'Reflect', 'RegExp', 'Set'],
  ...['String', 'Symbol', 'SyntaxError', 'TypeError', 'URIError', 'Uint8Array', 'Uint8ClampedArray', 'Uint16Array'],
  ...['Uint32Array', 'WeakMap', 'WeakSet', 'AggregateError', 'Infinity', 'NaN', 'undefined', 'isFinite', 'isNaN'],
  ...['parseFloat', 'parseInt', 'decodeURI', 'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'console'],
  ...['structuredClone', 'URL', 'URLSearchParams', 'TextEncoder', 'TextDecoder', 'Buffer'],
  // esbuild's keepNames helper (tsx): `__name(fn, "fn")` only names a function.
  '__name',
]);

/**
 * Private fields a compiler lowered: esbuild (`__privateAdd`), TypeScript below ES2022
 * (`__classPrivateFieldGet`), Babel (`_classPrivateFieldInitSpec`). The class's source no
 * longer shows `#x`, but its instances still hold state no key can read.
 */
const LOWERED_PRIVATE = /\b(?:__private(?:Add|Get|Set|Method|Wrapper|In)|__classPrivateField(?:Get|Set|In)|_classPrivate\w+)\b/;

/**
 * The class's code as a key sees it: comments, formatting and types do not count, as in
 * versions, so adding a comment to an argument's class keeps its keys. Computed once
 * per class per process.
 */
export function classCode(ctor: Function): ClassCode {
  let code = classes.get(ctor);
  if (code) return code;
  const source = Function.prototype.toString.call(ctor);
  const name = ctor.name;
  const parent = Object.getPrototypeOf(ctor) as unknown;
  const base = typeof parent === 'function' && parent !== Function.prototype ? classCode(parent) : undefined;
  if (isNative(source)) {
    const text = `${name.length}:${name}`;
    code = { text, digest: sha256(text), privateIn: base?.privateIn, staticPrivate: false, native: true, twin: false };
  } else {
    const node = parseExpression(source);
    // esbuild numbers its decorator temporaries by their place in the file (`_init2`).
    const own = (node ? printNode(node) : source).replace(/\b(_init)\d+\b/g, '$1');
    // A lowered private field may be either kind: the helpers do not say.
    const lowered = LOWERED_PRIVATE.test(source);
    const declared = node ? privateFields(node) : { instance: false, static: false };
    const outside = node ? outsideNames(node) : [];
    const privateIn = declared.instance || lowered || keepsStateOutside(own, outside) ? name || 'an anonymous class' : base?.privateIn;
    const text = `${name.length}:${name}${own.length}:${own}${base ? `<${base.text}` : ''}`;
    code = { text, digest: sha256(text), privateIn, staticPrivate: declared.static || lowered, native: false, twin: false };
    if (outside.length > 0) noteTwins(ctor, code);
  }
  classes.set(ctor, code);
  return code;
}

/** Marks two live classes of one text as twins: what their code reads from outside may differ. */
function noteTwins(ctor: Function, code: ClassCode): void {
  const other = byText.get(code.text);
  const live = other?.ctor.deref();
  if (other && live && live !== ctor) {
    other.code.twin = true;
    code.twin = true;
  } else {
    byText.set(code.text, { ctor: new WeakRef(ctor), code });
  }
}

function outsideNames(node: AstNode): string[] {
  return [...new Set(reach(node).free.map((r) => r.name))].filter((n) => !GLOBALS.has(n));
}

/**
 * Whether the class keeps instance state in a map outside itself, keyed by the instance
 * (`secrets.get(this)`, `_n.set(this, n)`): the hand-written form of a private field.
 */
function keepsStateOutside(text: string, outside: readonly string[]): boolean {
  return outside.some((name) => new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}\\.(?:get|set|has)\\(this\\b`).test(text));
}

function sha256(text: string): string {
  return textDigest(text);
}

/**
 * A function value in a key: keyed by its normalised source when that source says all it
 * does, that is when it reads nothing but its parameters, its own `this` and JavaScript's
 * standard globals; refused when it reads anything else (a closure's captured variables,
 * a module's bindings, `process`), when its code cannot be read (built-in or bound), or
 * when an arrow function reads the `this` it was created under (unless it is a class
 * field of the instance that holds it, whose `this` is that instance).
 */
export function functionCode(fn: Function): FunctionCode {
  let code = functions.get(fn);
  if (code) return code;
  code = readFunction(fn);
  functions.set(fn, code);
  return code;
}

function readFunction(fn: Function): FunctionCode {
  const source = Function.prototype.toString.call(fn);
  if (isNative(source)) return { refused: 'its code cannot be read (a built-in or bound function)' };
  const node = parseExpression(source) ?? parseMethod(source);
  if (!node) return { refused: 'its source does not parse' };
  if (node.type === 'ClassExpression' || node.type === 'ClassDeclaration') return { text: classCode(fn).text };
  const outside = reach(node)
    .free.map((r) => r.name)
    .filter((n) => !GLOBALS.has(n));
  if (outside.length > 0) {
    const names = [...new Set(outside)].slice(0, 3).join(', ');
    return { refused: `it reads ${names} from outside itself, and a key cannot see what that holds` };
  }
  const text = printNode(node);
  if (node.type === 'ArrowFunctionExpression' && usesOuterThis(node)) {
    return { refused: 'it is an arrow function that reads the `this` it was created under', readsThis: true, text, source };
  }
  return { text };
}

/**
 * Whether a function, memorized on its own, reads the `this` it is called with: a
 * `function` (not an arrow, whose `this` is the one it was made under) that says `this`
 * outside functions of its own. `Rect.prototype.area = memorious(function area() { ... })`
 * is such a function, and its results depend on the rectangle.
 */
export function readsCallThis(fn: Function): boolean {
  let reads = callThis.get(fn);
  if (reads === undefined) {
    const source = Function.prototype.toString.call(fn);
    const node = isNative(source) ? undefined : (parseExpression(source) ?? parseMethod(source));
    // Its parameters too: a default value (`m = this.k`) reads the call's `this` as the body does.
    const parts = node && node.type !== 'ArrowFunctionExpression' ? [...children(node, 'params'), child(node, 'body')] : [];
    reads = parts.some((part) => part !== undefined && usesOuterThis(part));
    callThis.set(fn, reads);
  }
  return reads;
}

const callThis = new WeakMap<Function, boolean>();

/** Whether code reads `this` or `super` of its enclosing scope: not inside a function or class of its own. */
function usesOuterThis(node: AstNode): boolean {
  if (node.type === 'ThisExpression' || node.type === 'Super') return true;
  for (const [field, value] of Object.entries(node)) {
    if (field === 'type') continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (!isNode(item)) continue;
      if ((FUNCTION_TYPES.has(item.type) && item.type !== 'ArrowFunctionExpression') || item.type === 'ClassBody') continue;
      if (usesOuterThis(item)) return true;
    }
  }
  return false;
}

function isNative(source: string): boolean {
  return /\{\s*\[native code\]\s*\}\s*$/.test(source);
}

/** A function's or class's text as an expression, type-stripped. */
function parseExpression(source: string): AstNode | undefined {
  const program = parseProgram('key.js', `(${source}\n)`);
  const statement = program ? children(program, 'body')[0] : undefined;
  const expression = statement && child(statement, 'expression');
  return expression && stripTypes(expression);
}

/** A method's text (`f(x) { ... }`, `get x() {...}`) as the function it defines. */
function parseMethod(source: string): AstNode | undefined {
  const program = parseProgram('key.js', `({ ${source}\n})`);
  const statement = program ? children(program, 'body')[0] : undefined;
  const object = statement && child(statement, 'expression');
  const property = object && children(object, 'properties')[0];
  const value = property && child(property, 'value');
  return value && stripTypes(value);
}

/**
 * Whether the class declares fields named `#x`, or `accessor` fields (whose storage is
 * private whatever their name), on instances and on itself: state only its own code can read.
 */
function privateFields(cls: AstNode): { instance: boolean; static: boolean } {
  const found = { instance: false, static: false };
  for (const m of children(child(cls, 'body') ?? cls, 'body')) {
    if ((m.type === 'PropertyDefinition' && child(m, 'key')?.type === 'PrivateIdentifier') || m.type === 'AccessorProperty') {
      if (m.static) found.static = true;
      else found.instance = true;
    }
  }
  return found;
}
