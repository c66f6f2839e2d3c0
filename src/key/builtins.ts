import { EventEmitter } from 'node:events';
import { inspect, types } from 'node:util';
import { bytesDigest } from './binary';
import { KeyRefusal } from './refusal';
import type { KeyWriter } from './writer';

/** What the writer knows of built-in kinds: their own properties, their refusals, Node's classes. */

/**
 * The own string-keyed property names that are not already the value's content: not an
 * array's or typed array's elements and length, not a boxed string's characters, not an
 * Error's `stack` (which says where it was made, not what it is).
 */
export function ownNames(value: object): string[] {
  if (Array.isArray(value) || types.isStringObject(value)) {
    const length = (value as { length: number }).length;
    if (length > 256 && !inspectShowsMore(value, length)) return [];
    const names = Object.getOwnPropertyNames(value);
    // Own keys come indices first, then strings in creation order, `length` the first of them:
    // an array whose last name is `length` has no other.
    if (names[names.length - 1] === 'length') return [];
    return names.filter((name) => name !== 'length' && !isIndex(name));
  }
  if (ArrayBuffer.isView(value) && !types.isDataView(value)) {
    // Only the enumerable ones, at any length: `util.inspect` shows no others cheaply.
    const length = (value as unknown as { length: number }).length;
    if (length > 256 && !inspectShowsMore(value, length)) return [];
    return Object.keys(value).filter((name) => !isIndex(name));
  }
  const names = Object.getOwnPropertyNames(value);
  return types.isNativeError(value) ? names.filter((name) => name !== 'stack') : names;
}

/**
 * Whether a value is a built-in by its internal slots, whatever its prototype: a Map
 * whose prototype was swapped for null must still key by its content, not as `{}`.
 */
export function isBuiltIn(value: object): boolean {
  return (
    Array.isArray(value) ||
    ArrayBuffer.isView(value) ||
    types.isAnyArrayBuffer(value) ||
    types.isMap(value) ||
    types.isSet(value) ||
    types.isDate(value) ||
    types.isRegExp(value) ||
    types.isNativeError(value) ||
    types.isBoxedPrimitive(value) ||
    types.isPromise(value) ||
    types.isWeakMap(value) ||
    types.isWeakSet(value) ||
    types.isProxy(value)
  );
}

/** Values that cannot be keyed at all, with the reason. */
export function refused(value: object): string | undefined {
  if (types.isProxy(value)) return 'is a Proxy, whose answers come from its handler; pass the object it wraps';
  if (types.isPromise(value)) return 'is a Promise, which has no value yet; await it and pass the result';
  if (types.isWeakMap(value) || types.isWeakSet(value)) return 'is a WeakMap or WeakSet, which cannot be enumerated';
  if (types.isGeneratorObject(value) || types.isMapIterator(value) || types.isSetIterator(value)) {
    return 'is an iterator, whose position no key can read; pass the values instead';
  }
  // The tag comes from the prototype unless the value carries its own: looked up once per prototype.
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto === null || Object.prototype.hasOwnProperty.call(value, Symbol.toStringTag)) return refusedByTag(Object.prototype.toString.call(value));
  let why = tagRefusals.get(proto);
  if (why === undefined) tagRefusals.set(proto, (why = refusedByTag(Object.prototype.toString.call(value)) ?? null));
  return why ?? undefined;
}

const tagRefusals = new WeakMap<object, string | null>();

function refusedByTag(tag: string): string | undefined {
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
  if (types.isDataView(value)) return 'DataView';
  if (types.isSharedArrayBuffer(value)) return 'SharedArrayBuffer';
  if (types.isArrayBuffer(value)) return 'ArrayBuffer';
  return String(TypedArrayTag.call(value));
}

export function unbox(value: object): unknown {
  if (types.isNumberObject(value)) return Number.prototype.valueOf.call(value);
  if (types.isStringObject(value)) return String.prototype.valueOf.call(value);
  if (types.isBooleanObject(value)) return Boolean.prototype.valueOf.call(value);
  if (types.isBigIntObject(value)) return BigInt.prototype.valueOf.call(value);
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

function isIndex(name: string): boolean {
  if (name.length === 0 || name.length > 10) return false;
  const c = name.charCodeAt(0);
  if (c < 48 || c > 57 || (c === 48 && name.length > 1)) return false;
  for (let i = 1; i < name.length; i++) {
    const d = name.charCodeAt(i);
    if (d < 48 || d > 57) return false;
  }
  return Number(name) < 2 ** 32 - 1;
}

