import { child, children, type AstNode } from '../version/ast';
import { parseProgram } from '../version/parse';
import { printNode } from '../version/print';
import { reach } from '../version/scope';
import { stripTypes } from '../version/strip';

/** How a class takes part in a key: its name and code, and whether its instances hold state no key can read. */
export interface ClassCode {
  /** Name and normalised source of the class and of each class it extends, built-ins by name. */
  readonly text: string;
  /** The first class on the chain that declares instance `#private` fields, if any. */
  readonly privateIn: string | undefined;
  /** A class implemented natively (not one of the built-ins the writer knows): its state is out of reach. */
  readonly native: boolean;
}

/** How a function value takes part in a key: by its normalised source, or refused, with the reason. */
export type FunctionCode = { readonly text: string } | { readonly refused: string };

const classes = new WeakMap<Function, ClassCode>();
const functions = new WeakMap<Function, FunctionCode>();

/** JavaScript's and Node's globals as this process starts: a function may read these and still be keyed by its source. */
const GLOBALS = new Set(Object.getOwnPropertyNames(globalThis));

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
    code = { text: `${name.length}:${name}`, privateIn: base?.privateIn, native: true };
  } else {
    const node = parseExpression(source);
    const own = node ? printNode(node) : source;
    const privateIn = node && declaresPrivateFields(node) ? name || 'an anonymous class' : base?.privateIn;
    const text = `${name.length}:${name}${own.length}:${own}${base ? `<${base.text}` : ''}`;
    code = { text, privateIn, native: false };
  }
  classes.set(ctor, code);
  return code;
}

/**
 * A function value in a key: keyed by its normalised source when that source says all it
 * does, that is when it reads nothing but its parameters, its own `this` and the globals;
 * refused when it reads anything else (a closure's captured variables, a module's
 * bindings), when its code cannot be read (built-in or bound), or when an arrow function
 * reads the `this` it was created under.
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
  const found = reach(node);
  const outside = found.free.map((r) => r.name).filter((n) => !GLOBALS.has(n));
  if (outside.length > 0) {
    const names = [...new Set(outside)].slice(0, 3).join(', ');
    return { refused: `it reads ${names} from outside itself, and a key cannot see what that holds` };
  }
  if (node.type === 'ArrowFunctionExpression' && /\bthis\b/.test(printNode(node))) {
    return { refused: 'it is an arrow function that reads the `this` it was created under' };
  }
  return { text: printNode(node) };
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

/** Instance fields named `#x` (or `accessor #x`): state that only the class's own code can read. */
function declaresPrivateFields(cls: AstNode): boolean {
  const body = child(cls, 'body');
  return children(body ?? cls, 'body').some(
    (m) => (m.type === 'PropertyDefinition' || m.type === 'AccessorProperty') && !m.static && child(m, 'key')?.type === 'PrivateIdentifier',
  );
}
