import { refusedByTag, type Brand } from './builtins';
import type { ClassCode } from './code';
import { resourceClass } from './resources';

/** What the key writer knows of prototypes and classes: facts found once per prototype, and how a class is named and found. */

/**
 * What a prototype tells of the objects made from it, found at the first of them: whether
 * they are live resources by class (`instanceof` reads only the prototype chain), the
 * refusal their tag calls for (from the first with no tag of its own), and the code of the
 * class last found for it (whose `constructor` is read again at every key).
 */
export interface PrototypeFacts {
  readonly resource: string | null;
  tag: string | null | undefined;
  ctor: Function | undefined;
  code: ClassCode | undefined;
}

const prototypes = new WeakMap<object, PrototypeFacts>();

export function prototypeFacts(value: object, proto: object): PrototypeFacts {
  let known = prototypes.get(proto);
  if (known === undefined) prototypes.set(proto, (known = { resource: resourceClass(value), tag: undefined, ctor: undefined, code: undefined }));
  return known;
}

/** The refusal `value`'s tag calls for: its prototype's, unless it has a tag of its own (or no prototype). */
export function tagRefusal(value: object, known: PrototypeFacts | undefined): string | undefined {
  if (known === undefined || Object.prototype.hasOwnProperty.call(value, Symbol.toStringTag)) return refusedByTag(Object.prototype.toString.call(value));
  if (known.tag === undefined) known.tag = refusedByTag(Object.prototype.toString.call(value)) ?? null;
  return known.tag ?? undefined;
}

/**
 * The brand of each object keyed as `this`, which is most often the same instance call
 * after call. A brand is fixed when an object is made, whatever is done to it or to its
 * prototype later, so it is asked once per object, never per prototype.
 */
export const selfBrands = new WeakMap<object, Brand>();

/** `Array.prototype` or `Object.prototype` of this realm or another (jest, vm): plain values key alike across realms. */
export function isIntrinsic(proto: object | null, name: 'Array' | 'Object'): boolean {
  if (proto === null) return false;
  if (proto === (name === 'Array' ? Array.prototype : Object.prototype)) return true;
  const ctor = (proto as { constructor?: unknown }).constructor;
  if (typeof ctor !== 'function' || ctor.name !== name || !/\[native code\]/.test(Function.prototype.toString.call(ctor))) return false;
  return name === 'Object' ? Object.getPrototypeOf(proto) === null : isIntrinsic(Object.getPrototypeOf(proto) as object | null, 'Object');
}

/** The class whose prototype `proto` is, or undefined for an ordinary object used as a prototype. */
export function classOf(proto: object): Function | undefined {
  const ctor = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value as unknown;
  return typeof ctor === 'function' && (ctor as { prototype?: unknown }).prototype === proto ? ctor : undefined;
}

export function parentClass(cls: Function): Function | undefined {
  const parent = Object.getPrototypeOf(cls) as unknown;
  return typeof parent === 'function' && parent !== Function.prototype ? parent : undefined;
}

export function isClass(fn: Function): boolean {
  return /^class\b/.test(Function.prototype.toString.call(fn));
}

export function constructorOf(value: object): Function | undefined {
  const proto = Object.getPrototypeOf(value) as { constructor?: unknown } | null;
  const ctor = proto?.constructor;
  return typeof ctor === 'function' ? ctor : undefined;
}

export function describeClass(ctor: Function | undefined): string {
  return ctor?.name ? ctor.name : 'an anonymous class';
}

