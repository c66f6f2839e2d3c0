import { EventEmitter } from 'node:events';
import { inspect, types } from 'node:util';
import { bytesDigest } from './binary';
import { KeyRefusal } from './refusal';
import type { KeyWriter } from './writer';

/**
 * The slot checks, held directly: a call through the `types` namespace is a property load
 * the compiler does not always fold, made a dozen times for every plain object keyed.
 */
const { isAnyArrayBuffer, isArrayBuffer, isBigIntObject, isBooleanObject, isBoxedPrimitive, isDataView, isDate, isGeneratorObject, isMap, isMapIterator, isNativeError, isNumberObject, isPromise, isRegExp, isSet, isSetIterator, isSharedArrayBuffer, isStringObject, isWeakMap, isWeakSet } = types;

/** What the writer knows of built-in kinds: their own properties, their refusals, Node's classes. */

/**
 * The own string-keyed property names that are not already the value's content: not an
 * array's or typed array's elements and length, not a boxed string's characters, not an
 * Error's `stack` (which says where it was made, not what it is).
 */
export function ownNames(value: object): string[] {
  if (Array.isArray(value) || isStringObject(value)) return indexedNames(value);
  if (ArrayBuffer.isView(value) && !isDataView(value)) return viewNames(value);
  const names = Object.getOwnPropertyNames(value);
  return isNativeError(value) ? names.filter((name) => name !== 'stack') : names;
}

/** `ownNames` of a value whose brand is known: the same names, without asking again what it is. */
export function ownNamesOf(value: object, brand: Brand): string[] {
  switch (brand) {
    case Brand.Array:
    case Brand.StringObject:
      return indexedNames(value);
    case Brand.TypedArray:
      return viewNames(value);
    case Brand.Error:
      return Object.getOwnPropertyNames(value).filter((name) => name !== 'stack');
    default:
      return Object.getOwnPropertyNames(value);
  }
}

function indexedNames(value: object): string[] {
  const length = (value as { length: number }).length;
  if (length > 256 && !inspectShowsMore(value, length)) return [];
  const names = Object.getOwnPropertyNames(value);
  // Own keys come indices first, then strings in creation order, `length` the first of them:
  // an array whose last name is `length` has no other.
  if (names[names.length - 1] === 'length') return [];
  return names.filter((name) => name !== 'length' && !isIndex(name));
}

function viewNames(value: object): string[] {
  // Only the enumerable ones, at any length: `util.inspect` shows no others cheaply.
  const length = (value as unknown as { length: number }).length;
  if (length > 256 && !inspectShowsMore(value, length)) return [];
  return Object.keys(value).filter((name) => !isIndex(name));
}

/**
 * What an object is by its internal slots, whatever its prototype says: a Map given
 * another prototype is still a Map. Slots are fixed when an object is made, so an
 * object's brand never changes. A Proxy never gets here: the writer refuses it before
 * asking it anything.
 */
export const enum Brand {
  /** No internal slots a key reads: a class instance or an ordinary object. */
  None,
  Promise,
  Weak,
  Iterator,
  TypedArray,
  DataView,
  ArrayBuffer,
  Array,
  Map,
  Set,
  Date,
  RegExp,
  Error,
  StringObject,
  /** A boxed number, boolean, bigint or symbol. */
  Boxed,
}

/** The brand of `value`: each slot check made once, the refused kinds first, as `brandRefusal` and the writer's `content` ask. */
export function brandOf(value: object): Brand {
  if (isPromise(value)) return Brand.Promise;
  if (isWeakMap(value) || isWeakSet(value)) return Brand.Weak;
  if (isGeneratorObject(value) || isMapIterator(value) || isSetIterator(value)) return Brand.Iterator;
  if (ArrayBuffer.isView(value)) return isDataView(value) ? Brand.DataView : Brand.TypedArray;
  if (isAnyArrayBuffer(value)) return Brand.ArrayBuffer;
  if (Array.isArray(value)) return Brand.Array;
  if (isMap(value)) return Brand.Map;
  if (isSet(value)) return Brand.Set;
  if (isDate(value)) return Brand.Date;
  if (isRegExp(value)) return Brand.RegExp;
  if (isNativeError(value)) return Brand.Error;
  if (isBoxedPrimitive(value)) return isStringObject(value) ? Brand.StringObject : Brand.Boxed;
  return Brand.None;
}

/**
 * Whether a value is a built-in by its internal slots, whatever its prototype: a Map
 * whose prototype was swapped for null must still key by its content, not as `{}`.
 */
export function isBuiltIn(value: object): boolean {
  return (
    Array.isArray(value) ||
    ArrayBuffer.isView(value) ||
    isAnyArrayBuffer(value) ||
    isMap(value) ||
    isSet(value) ||
    isDate(value) ||
    isRegExp(value) ||
    isNativeError(value) ||
    isBoxedPrimitive(value) ||
    isPromise(value) ||
    isWeakMap(value) ||
    isWeakSet(value)
  );
}

/** Why a value of the brand `brand` cannot be keyed at all, or undefined; its tag may refuse it too (`refusedByTag`). */
export function brandRefusal(brand: Brand): string | undefined {
  switch (brand) {
    case Brand.Promise:
      return 'is a Promise, which has no value yet; await it and pass the result';
    case Brand.Weak:
      return 'is a WeakMap or WeakSet, which cannot be enumerated';
    case Brand.Iterator:
      return 'is an iterator, whose position no key can read; pass the values instead';
    default:
      return undefined;
  }
}

/** Why a value whose `Object.prototype.toString` is `tag` cannot be keyed, or undefined. */
export function refusedByTag(tag: string): string | undefined {
  if (/ Iterator\]$|^\[object Iterator Helper\]$|^\[object (?:Async)?Generator\]$/.test(tag)) {
    return 'is an iterator, whose position no key can read; pass the values instead';
  }
  if (tag === '[object WeakRef]' || tag === '[object FinalizationRegistry]') return 'is a weak reference, which may change under the key';
  return undefined;
}

/** Node's value classes, keyed by what they hold, and its other classes, by name: their source changes with Node. */
export const NAMED = new Map<Function, (value: object, writer: KeyWriter) => string>();
{
  const byName = (name: string) => (value: object, writer: KeyWriter) =>
    `C${name.length}:${name}${writer.props(value, Object.getOwnPropertyNames(value))}`;
  const opaque = (name: string) => (_value: object, writer: KeyWriter): string => {
    throw new KeyRefusal(writer.here(), `is a ${name}, whose state no key can read`);
  };
  NAMED.set(Buffer, (value, writer) => {
    const { digest, size } = bytesDigest(value as Buffer);
    writer.binary += size;
    return `BBuffer:${size}:${digest};${writer.props(value, ownNames(value))}`;
  });
  NAMED.set(URL, (value) => {
    const href = (value as URL).href;
    return `U${href.length}:${href}`;
  });
  NAMED.set(URLSearchParams, (value) => {
    const text = String(value);
    return `W${text.length}:${text}`;
  });
  NAMED.set(EventEmitter, byName('EventEmitter'));
  const global = globalThis as unknown as Record<string, unknown>;
  for (const name of ['EventTarget', 'Event', 'TextEncoder']) {
    const ctor = global[name];
    if (typeof ctor === 'function') NAMED.set(ctor, byName(name));
  }
  for (const name of ['Blob', 'AbortController', 'AbortSignal', 'TextDecoder', 'BroadcastChannel']) {
    const ctor = global[name];
    if (typeof ctor === 'function') NAMED.set(ctor, opaque(name));
  }
}

const TypedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype) as object, Symbol.toStringTag)!.get!;

/** The built-in kind of binary data, from its internal slots, so that no subclass can pass for another kind. */
export function binaryKind(value: object): string {
  if (isDataView(value)) return 'DataView';
  if (isSharedArrayBuffer(value)) return 'SharedArrayBuffer';
  if (isArrayBuffer(value)) return 'ArrayBuffer';
  return String(TypedArrayTag.call(value));
}

export function unbox(value: object): unknown {
  if (isNumberObject(value)) return Number.prototype.valueOf.call(value);
  if (isStringObject(value)) return String.prototype.valueOf.call(value);
  if (isBooleanObject(value)) return Boolean.prototype.valueOf.call(value);
  if (isBigIntObject(value)) return BigInt.prototype.valueOf.call(value);
  return Symbol.prototype.valueOf.call(value);
}

/**
 * Whether a long array or typed array may have own properties beyond its elements (a
 * RegExp match's `index`). Listing its own names costs far more than hashing it, so
 * `util.inspect` is asked to show no elements, which leaves only the other properties:
 * an array's all, with `[length]` last of the built-in ones; a typed array's enumerable ones.
 */
function inspectShowsMore(value: object, length: number): boolean {
  const array = Array.isArray(value);
  const shown = inspect(value, { maxArrayLength: 0, depth: 0, showHidden: array, customInspect: false, getters: false, breakLength: Infinity });
  const more = `... ${length} more item${length === 1 ? '' : 's'}`;
  return !shown.endsWith(array ? `${more}, [length]: ${length} ]` : `${more} ]`);
}

/** Whether a property name is an array index. */
export function isIndex(name: string): boolean {
  if (name.length === 0 || name.length > 10) return false;
  const c = name.charCodeAt(0);
  if (c < 48 || c > 57 || (c === 48 && name.length > 1)) return false;
  for (let i = 1; i < name.length; i++) {
    const d = name.charCodeAt(i);
    if (d < 48 || d > 57) return false;
  }
  return Number(name) < 2 ** 32 - 1;
}

