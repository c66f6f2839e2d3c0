import { createHash } from 'node:crypto';
import objectHash from 'object-hash';

/**
 * A canonical text of a value, for keys: equal values give equal text in any process,
 * whatever the order of object keys or of Map and Set insertion; different values give
 * different text. Each value is written with a type tag and, where its text could run
 * into the next, a length, so no two values can meet by concatenation.
 *
 * The common shapes (primitives, arrays, plain objects, Map, Set, Date, RegExp, binary
 * data) are written here, in one pass, because object-hash feeds its hash a few bytes
 * at a time (about 15 µs for three small arguments), walks typed arrays element by
 * element (14 MB/s), hashes every DataView alike, drops array holes, writes -0 as 0, and
 * looks up every object it meets in a list of all objects seen so far, which is
 * quadratic. Binary data is written as the SHA-256 of its bytes. Anything else (class
 * instances, boxed primitives, errors) is the general case and goes to object-hash.
 */
export function canonical(value: unknown): string {
  return new Writer().write(value);
}

/**
 * The canonical texts of several values, one after the other, and whether a function was part of them: a function is written as
 * its source, so closures of one source over different values cannot be told apart.
 */
export function canonicalWithFunctions(...values: unknown[]): { text: string; functions: boolean } {
  const writer = new Writer();
  let text = '';
  for (const value of values) text += writer.write(value);
  return { text, functions: writer.functions };
}

const UNHASHABLE: Record<string, string> = {
  '[object Promise]': 'a Promise has no value yet; await it and pass the result',
  '[object WeakMap]': 'a WeakMap cannot be enumerated',
  '[object WeakSet]': 'a WeakSet cannot be enumerated',
  '[object WeakRef]': 'a WeakRef may change under the key',
};

class Writer {
  /** Objects on the path from the root to the value being written: a cycle refers back to one. */
  private readonly path: object[] = [];
  functions = false;

  write(value: unknown): string {
    switch (typeof value) {
      case 'string':
        return `s${value.length}:${value}`;
      case 'number':
        return Object.is(value, -0) ? 'd-0;' : `d${value};`;
      case 'boolean':
        return value ? 't' : 'f';
      case 'undefined':
        return 'u';
      case 'bigint':
        return `b${value};`;
      case 'symbol': {
        const text = String(value);
        return `y${text.length}:${text}`;
      }
      case 'function':
        this.functions = true;
        return `F${general(value)};`;
      default:
        return value === null ? 'n' : this.object(value as object);
    }
  }

  private object(value: object): string {
    const back = this.path.lastIndexOf(value);
    if (back >= 0) return `^${this.path.length - back};`;
    if (ArrayBuffer.isView(value)) return bytes(value, viewKind(value));
    // No try/finally: a throw abandons the whole writer, path and all.
    this.path.push(value);
    const text = this.structure(value);
    this.path.pop();
    return text;
  }

  private structure(value: object): string {
    if (Array.isArray(value)) {
      // Arrays of plain finite numbers are the commonest large argument; JSON writes them
      // as ToString does, several times faster than one by one.
      if (allPlainNumbers(value)) return `A${JSON.stringify(value)}`;
      let out = `a${value.length}[`;
      for (let i = 0; i < value.length; i++) out += i in value ? this.write(value[i]) : 'h';
      return `${out}]`;
    }
    const proto = Object.getPrototypeOf(value) as object | null;
    if (proto === null || isObjectPrototype(proto)) {
      const keys = Object.keys(value);
      if (!isSorted(keys)) keys.sort();
      let out = 'o' + keys.length + '{';
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        out += key.length + ':' + key + this.write((value as Record<string, unknown>)[key]);
      }
      return out + '}' + this.symbolKeyed(value);
    }
    const kind = tag(value);
    switch (kind) {
      case 'Map':
        return `M${this.sorted(Array.from(value as Map<unknown, unknown>, ([k, v]) => this.write(k) + this.write(v)))}`;
      case 'Set':
        return `S${this.sorted(Array.from(value as Set<unknown>, (v) => this.write(v)))}`;
      case 'Date':
        return `D${(value as Date).getTime()};`;
      case 'RegExp': {
        const text = String(value);
        return `R${text.length}:${text}`;
      }
      case 'ArrayBuffer':
      case 'SharedArrayBuffer':
        return bytes(new Uint8Array(value as ArrayBuffer), kind);
    }
    const refusal = UNHASHABLE[Object.prototype.toString.call(value)];
    if (refusal) throw new TypeError(refusal);
    return `X${general(value)};`;
  }

  /** Own enumerable symbol-keyed entries, by the symbols' text; none is the common case and adds nothing. */
  private symbolKeyed(value: object): string {
    const symbols = Object.getOwnPropertySymbols(value);
    if (symbols.length === 0) return '';
    const entries: string[] = [];
    for (const sym of symbols) {
      if (Object.prototype.propertyIsEnumerable.call(value, sym)) {
        entries.push(this.write(sym) + this.write((value as Record<symbol, unknown>)[sym]));
      }
    }
    return entries.length === 0 ? '' : `Y${this.sorted(entries)}`;
  }

  private sorted(entries: string[]): string {
    entries.sort();
    let out = `${entries.length}{`;
    for (const e of entries) out += `${e.length}:${e}`;
    return `${out}}`;
  }
}

/** Finite, not -0, and no holes (a hole reads as undefined): JSON writes such arrays exactly. */
function allPlainNumbers(list: unknown[]): boolean {
  if (list.length < 16) return false;
  for (let i = 0; i < list.length; i++) {
    const x = list[i];
    if (typeof x !== 'number' || !Number.isFinite(x) || (x === 0 && 1 / x < 0)) return false;
  }
  return true;
}

/** Most objects are built in one order every time; checking is cheaper than sorting. */
function isSorted(keys: string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) return false;
  return true;
}

/** `Object.prototype` of this realm or another (jest, vm): plain objects hash alike across realms. */
function isObjectPrototype(proto: object): boolean {
  if (proto === Object.prototype) return true;
  const ctor = (proto as { constructor?: unknown }).constructor;
  return Object.getPrototypeOf(proto) === null && typeof ctor === 'function' && ctor.name === 'Object';
}

function viewKind(view: ArrayBufferView): string {
  return Buffer.isBuffer(view) ? 'Buffer' : tag(view);
}

function tag(value: object): string {
  return Object.prototype.toString.call(value).slice(8, -1);
}

function bytes(view: ArrayBufferView | Uint8Array, kind: string): string {
  const data = view instanceof Uint8Array ? view : new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  return `B${kind}:${data.byteLength}:${createHash('sha256').update(data).digest('hex')};`;
}

/** object-hash for the shapes above does not cover; binary values inside still go by their bytes. */
function general(value: object): string {
  return objectHash(value, { algorithm: 'sha256', encoding: 'hex', replacer });
}

function replacer(value: unknown): unknown {
  if (typeof value === 'number' && Object.is(value, -0)) return '\u0000-0';
  if (typeof value !== 'object' || value === null) return value;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) {
    const kind = ArrayBuffer.isView(value) ? viewKind(value) : tag(value);
    return `\u0000${bytes(ArrayBuffer.isView(value) ? value : new Uint8Array(value), kind)}`;
  }
  return value;
}
