import { types } from 'node:util';
import { bytesDigest, numbersDigest } from './binary';
import { binaryKind, Brand, brandOf, brandRefusal, isBuiltIn, isIndex, NAMED, ownNames, ownNamesOf, unbox } from './builtins';
import { classCode, functionCode, type ClassCode } from './code';
import { keyOf } from './key-of';
import { KeyRefusal } from './refusal';
import { KeyPart, segment } from './key-part';
import { describeKey, nameText, sorted, sortNames } from './names';
import { classOf, constructorOf, describeClass, isClass, isIntrinsic, parentClass, prototypeFacts, selfBrands, tagRefusal } from './prototypes';
import { isFileHandle } from './resources';

const { isArgumentsObject, isProxy } = types;

const PROXY = 'is a Proxy, whose answers come from its handler; pass the object it wraps';

/**
 * The canonical text of values, for keys: one writer, one set of rules, for arguments
 * and instance state at any depth. Equal values give equal text in any process, whatever
 * the order of object keys or of Map and Set insertion; different values give different
 * text. Every value is written with a type tag and, where its text could run into the
 * next, a length, so no two values meet by concatenation and no string can forge a tag.
 * The text is hashed as UTF-16 code units (see `call-key.ts`), so every distinct string,
 * lone surrogates included, stays distinct.
 *
 * Values are equal when they are the same primitive (by `Object.is`, so `-0` is not `0`
 * and `NaN` is `NaN`), or objects of the same kind whose content and own properties
 * (enumerable or not) are equal, key order aside; see docs/guide.md for each kind.
 */
export class KeyWriter {
  /** Objects on the path from the root to the value being written, the first `depth` of them: a cycle refers back to one. */
  private readonly ancestors: object[] = [];
  private depth = 0;
  /**
   * The path to the value being written, its first `length` entries, for messages: `args`,
   * `.params`, `[3]`; an index is kept as its number. These lists keep their room from key
   * to key (see `reset`), so a writer taken again allocates none of it.
   */
  private readonly at: (string | number)[];
  private length = 1;
  /** The path of the first function keyed by its source, for the warning. */
  firstFunction: string | undefined;
  /** Bytes hashed apart from the text (binary data, number arrays), for the slow-key report. */
  binary = 0;
  /**
   * Instances whose `[keyOf]()` result is being written, outermost first: meeting one again
   * would key it by itself. A list, not a Set: it holds one entry per nested `[keyOf]()`,
   * and emptying an empty Set at every key allocated a new table each time.
   */
  private readonly keying: object[] = [];
  /** Milliseconds spent in `[keyOf]()` methods, for the slow-key report. */
  keyOfMs = 0;
  /** The text of each property of the root (each argument, each field of `this`) and its size in bytes hashed. */
  tops: KeyPart[] = [];

  constructor(root: string) {
    this.at = [root];
  }

  /**
   * Makes the writer as new, under `root`, to write another key: it keeps no value of the
   * key it made alive (the parts it gave away are its caller's), and keeps the room its
   * lists have grown.
   */
  reset(root: string): void {
    // A key abandoned by a throw left the objects it was in.
    while (this.depth > 0) this.leave();
    this.length = 1;
    this.at[0] = root;
    this.firstFunction = undefined;
    this.binary = 0;
    if (this.keying.length > 0) this.keying.length = 0;
    this.keyOfMs = 0;
    this.tops = [];
  }

  /**
   * Whether each entry of `at` is a bare property name, formatted only when a path is
   * asked for: a table of a million properties must not pay for a million path segments.
   */
  private readonly named: boolean[] = [false];

  /** Where the writer is, as a path from its root. */
  here(): string {
    let path = '';
    for (let i = 0; i < this.length; i++) {
      const at = this.at[i]!;
      path += typeof at === 'number' ? `[${at}]` : this.named[i] ? segment(at) : at;
    }
    return path;
  }

  /** Starts writing under another root (`this` after `args`): the parts so far keep theirs. */
  root(root: string): void {
    this.at[0] = root;
  }

  /** Writes `value` under a path segment of the one being written. */
  child(segment: string, value: unknown): string {
    const at = this.length++;
    this.at[at] = segment;
    this.named[at] = false;
    const text = this.write(value);
    this.length = at;
    return text;
  }

  /** Writes the value of the property `name`. */
  private property(name: string, value: unknown): string {
    const at = this.length++;
    this.at[at] = name;
    this.named[at] = true;
    const text = this.write(value);
    this.length = at;
    return text;
  }

  /** Enters an object: the first in a cycle, or the holder of a function field. */
  private enter(value: object): void {
    this.ancestors[this.depth++] = value;
  }

  /** Leaves the object entered last, keeping no hold on it. */
  private leave(): void {
    this.ancestors[--this.depth] = EMPTY;
  }

  /** How many levels up `value` is being written, or 0 if it is not. */
  private above(value: object): number {
    for (let i = this.depth - 1; i >= 0; i--) if (this.ancestors[i] === value) return this.depth - i;
    return 0;
  }

  /**
   * Writes a call's bound input, the plain object `bindArguments` made, as `write` would:
   * an object of Object's prototype, made here, has no internal slots to ask about, and
   * its properties are parameter names, none of them a symbol.
   */
  input(input: Record<string, unknown>): string {
    if (Object.getPrototypeOf(input) !== Object.prototype || typeof (input as { [keyOf]?: unknown })[keyOf] === 'function') return this.write(input);
    this.enter(input);
    const text = this.props(input, Object.getOwnPropertyNames(input), NO_SYMBOLS, 'o{');
    this.leave();
    return text;
  }

  write(value: unknown): string {
    switch (typeof value) {
      case 'string':
        return `s${value.length}:${value}`;
      case 'number':
        return Object.is(value, -0) ? 'd-0;' : value >= 0 && value < SMALL && (value | 0) === value ? (SMALL_TEXT[value] ??= `d${value};`) : `d${value};`;
      case 'boolean':
        return value ? 't' : 'f';
      case 'undefined':
        return 'u';
      case 'bigint':
        return `b${value};`;
      case 'symbol':
        return this.symbol(value);
      case 'function':
        return this.fn(value);
      default:
        return value === null ? 'n' : this.object(value as object);
    }
  }

  /** A registered symbol by its registry key; any other by its description, which is all another process can know of it. */
  private symbol(value: symbol): string {
    const registered = Symbol.keyFor(value);
    if (registered !== undefined) return `Y${registered.length}:${registered}`;
    const text = value.description;
    return text === undefined ? 'y-' : `y${text.length}:${text}`;
  }

  private fn(value: Function): string {
    if (isProxy(value)) throw new KeyRefusal(this.here(), PROXY);
    if (typeof (value as { [keyOf]?: unknown })[keyOf] === 'function') return this.object(value);
    const code = functionCode(value);
    let text: string;
    if (!('refused' in code)) text = code.text;
    else if (code.readsThis && this.isFieldOfHolder(code.source)) text = code.text;
    else throw new KeyRefusal(this.here(), `is a function, and ${code.refused}`);
    if (isClass(value)) return `Q${text.length}:${text}${this.statics(value)}`;
    this.firstFunction ??= this.here();
    // What a function keeps on itself (`loss.k = 2`) it may read through its own name.
    return `F${text.length}:${text}${this.props(value, Object.keys(value))}`;
  }

  /**
   * Whether an arrow function that reads its outer `this` is a class field of the instance
   * holding it (`scale = (x) => x * this.k`): its source is in that instance's class, so
   * its `this` is the instance, which the key already holds.
   */
  private isFieldOfHolder(source: string): boolean {
    const holder = this.depth > 0 ? this.ancestors[this.depth - 1] : undefined;
    const proto = holder && (Object.getPrototypeOf(holder) as object | null);
    for (let c = proto ? classOf(proto) : undefined; c; c = parentClass(c)) {
      if (Function.prototype.toString.call(c).includes(source)) return true;
    }
    return false;
  }

  /**
   * A class's static state: the own enumerable properties (static fields) of it and of each
   * class it extends, which its static methods read through `this`; static methods are not
   * enumerable, so they are code, not state.
   */
  private statics(cls: Function): string {
    let text = '';
    for (let c: Function | undefined = cls; c; c = parentClass(c)) {
      if (classCode(c).staticPrivate) {
        throw new KeyRefusal(this.here(), `is the class ${describeClass(cls)}, and ${describeClass(c)} declares static #private fields, which no key can read`);
      }
      text += this.props(c, Object.keys(c));
    }
    return text;
  }

  private object(value: object): string {
    // Before anything is asked of it: Array.isArray sees through a Proxy, and its handler answers every other question.
    if (isProxy(value)) throw new KeyRefusal(this.here(), PROXY);
    if (this.keying.length > 0 && this.keying.includes(value)) {
      throw new KeyRefusal(this.here(), 'is the instance whose [keyOf]() is being keyed: a [keyOf]() must return plain data, not the instance');
    }
    const back = this.above(value);
    if (back > 0) return `^${back};`;
    // No try/finally: a throw abandons the whole writer, path and all.
    this.enter(value);
    const text = this.structure(value);
    this.leave();
    return text;
  }

  private structure(value: object): string {
    if (typeof (value as { [keyOf]?: unknown })[keyOf] === 'function') return this.keyed(value);
    const proto = Object.getPrototypeOf(value) as object | null;
    if (Array.isArray(value) && isIntrinsic(proto, 'Array')) return this.array(value);
    if ((proto === null || isIntrinsic(proto, 'Object')) && !isBuiltIn(value)) {
      if (isArgumentsObject(value)) return this.array(Array.from(value as ArrayLike<unknown>));
      return this.props(value, Object.getOwnPropertyNames(value), undefined, 'o{');
    }
    return this.instance(value);
  }

  /**
   * The state of `this`: what its `[keyOf]()` returns, or its own properties and built-in
   * content, under the same refusals as any instance. Its class is left out: the version
   * already stands for the code the method reaches, so editing another method keeps keys.
   * A class (the `this` of a static method) counts by its own enumerable properties, its
   * static fields.
   */
  state(self: unknown): string {
    if (typeof self === 'function') return `Sf${this.statics(self)}`;
    if (typeof self !== 'object' || self === null) return `S${this.write(self)}`;
    if (isProxy(self)) throw new KeyRefusal(this.here(), PROXY);
    if (typeof (self as { [keyOf]?: unknown })[keyOf] === 'function') return `S${this.top('[keyOf]()', () => this.keyed(self))}`;
    this.enter(self);
    const proto = Object.getPrototypeOf(self) as object | null;
    let brand = selfBrands.get(self);
    if (brand === undefined) selfBrands.set(self, (brand = brandOf(self)));
    this.check(self, proto, proto === null ? undefined : classOf(proto), brand);
    let text = 'S';
    if (brand !== Brand.None) {
      const before = this.binary;
      const content = this.content(self, brand) ?? '';
      if (content !== '') this.tops.push(new KeyPart(this.here(), '.<content>', false, content, content.length * 2 + this.binary - before));
      text += content;
    }
    text += this.props(self, ownNamesOf(self, brand));
    this.leave();
    return text;
  }

  /** Writes a part of the root that is not a property (`this[keyOf]()`) and notes it as a part. */
  private top(segment: string, write: () => string): string {
    const before = this.binary;
    const text = write();
    if (text !== '') this.tops.push(new KeyPart(this.here(), segment, false, text, text.length * 2 + this.binary - before));
    return text;
  }

  /** Refuses what no key can capture: a live resource, a value of no readable state, private fields. */
  private check(value: object, proto: object | null, ctor: Function | undefined, brand: Brand): ClassCode | undefined {
    const known = proto === null ? undefined : prototypeFacts(value, proto);
    const resource = known !== undefined && known.resource !== null ? known.resource : isFileHandle(value) ? 'a file handle' : undefined;
    if (resource) throw new KeyRefusal(this.here(), `is ${resource}, a live resource whose meaning no key can capture`);
    const refusal = brandRefusal(brand) ?? tagRefusal(value, known);
    if (refusal) throw new KeyRefusal(this.here(), refusal);
    let code: ClassCode | undefined;
    if (ctor !== undefined) {
      if (known !== undefined && known.ctor === ctor) {
        code = known.code;
      } else {
        code = classCode(ctor);
        if (known !== undefined) {
          known.ctor = ctor;
          known.code = code;
        }
      }
    }
    if (code?.privateIn !== undefined) {
      throw new KeyRefusal(
        this.here(),
        `is an instance of ${describeClass(ctor)}, whose class ${code.privateIn} keeps private state (#private or accessor fields, or a WeakMap keyed by the instance), which no key can read`,
      );
    }
    return code;
  }

  /** What a `[keyOf]()` method says identifies its instance, with the class's name. */
  private keyed(value: object): string {
    const name = constructorOf(value)?.name ?? '';
    let made: unknown;
    const start = performance.now();
    try {
      made = (value as { [keyOf]: () => unknown })[keyOf]();
    } catch (error) {
      throw new KeyRefusal(this.here(), `has a [keyOf]() method that threw (${error instanceof Error ? error.message : String(error)})`);
    }
    this.keyOfMs += performance.now() - start;
    this.keying.push(value);
    const text = `K${name.length}:${name}${this.child('[keyOf]()', made)}`;
    this.keying.pop();
    return text;
  }

  private array(value: unknown[]): string {
    const elements = this.elements(value);
    if (value.length > 256) return `${elements}${this.props(value, ownNames(value))}`;
    // One listing of its keys gives both its names and its symbols: indices, then `length`, then the others.
    const keys = Reflect.ownKeys(value);
    if (keys[keys.length - 1] === 'length') return `${elements}{}`;
    const names: string[] = [];
    const symbols: symbol[] = [];
    for (const key of keys) {
      if (typeof key === 'symbol') symbols.push(key);
      else if (key !== 'length' && !isIndex(key)) names.push(key);
    }
    return `${elements}${this.props(value, names, symbols)}`;
  }

  /** An array's elements: a long run of plain numbers by their bytes, anything else one by one, holes marked. */
  private elements(value: unknown[]): string {
    const numbers = value.length >= 16 ? numbersDigest(value) : undefined;
    if (numbers !== undefined) {
      this.binary += value.length * 8;
      return `N${value.length}:${numbers};`;
    }
    let text = `a${value.length}[`;
    if (value.length === 0) return `${text}]`;
    const at = this.length++;
    this.named[at] = false;
    for (let i = 0; i < value.length; i++) {
      if (i in value) {
        this.at[at] = i;
        text += this.write(value[i]);
      } else {
        text += 'h';
      }
    }
    this.length = at;
    return `${text}]`;
  }

  /**
   * Anything with a prototype other than Object's or Array's: a class instance, a built-in
   * (Map, Date, Error, a typed array), or a subclass of one. Written as its class, its
   * built-in content, and its own properties.
   */
  private instance(value: object): string {
    const proto = Object.getPrototypeOf(value) as object | null;
    const ctor = proto === null ? undefined : classOf(proto);
    const named = ctor && NAMED.get(ctor);
    if (named) return named(value, this);
    const brand = brandOf(value);
    const code = this.check(value, proto, ctor, brand);
    const content = this.content(value, brand);
    let identity: string;
    if (ctor && code) {
      if (code.native && content === undefined) {
        throw new KeyRefusal(this.here(), `is an instance of ${describeClass(ctor)}, a class implemented natively, whose state no key can read`);
      }
      if (code.twin) {
        throw new KeyRefusal(
          this.here(),
          `is an instance of ${describeClass(ctor)}, and this process has another class of that name and code ` +
            '(made by one factory, or one module loaded twice), whose methods may read other values from outside',
        );
      }
      identity = `C${code.digest}`;
    } else {
      // A prototype that is an ordinary object (`Object.create(defaults)`): what it holds is inherited data.
      identity = proto === null ? 'C0:' : `P${this.child('.<prototype>', proto)}`;
    }
    return `${identity}${content ?? ''}${this.props(value, ownNamesOf(value, brand))}`;
  }

  /** The content a built-in keeps in internal slots, or undefined for a plain class instance. */
  private content(value: object, brand: Brand): string | undefined {
    switch (brand) {
      case Brand.TypedArray:
      case Brand.DataView:
      case Brand.ArrayBuffer: {
        const { digest, size } = bytesDigest(value as ArrayBufferView);
        this.binary += size;
        return `B${binaryKind(value)}:${size}:${digest};`;
      }
      case Brand.Array:
        return this.elements(value as unknown[]);
      case Brand.Map: {
        const entries: string[] = [];
        let i = 0;
        Map.prototype.forEach.call(value, (v: unknown, k: unknown) => {
          entries.push(this.child(`.<key ${i}>`, k) + this.child(`.get(${describeKey(k)})`, v));
          i++;
        });
        return `M${sorted(entries)}`;
      }
      case Brand.Set: {
        const items: string[] = [];
        let i = 0;
        Set.prototype.forEach.call(value, (v: unknown) => items.push(this.child(`.<item ${i++}>`, v)));
        return `S${sorted(items)}`;
      }
      case Brand.Date:
        return `D${Date.prototype.getTime.call(value)};`;
      case Brand.RegExp: {
        const text = `${RegExpSource.call(value)}/${RegExpFlags.call(value)}`;
        return `R${text.length}:${text}`;
      }
      case Brand.Error: {
        const name = (value as Error).name;
        return `E${this.child('.name', name)}`;
      }
      case Brand.StringObject:
      case Brand.Boxed:
        return `P${this.write(unbox(value))}`;
      default:
        return undefined;
    }
  }

  /**
   * Own properties, enumerable or not: the string-keyed ones named in `names` in sorted
   * order, then the symbol-keyed ones (`own`, or all the value's) sorted by their text;
   * after `open`, which may carry the tag written before it (`o{` for `o` and `{`).
   */
  props(value: object, names: string[], own?: readonly symbol[], open = '{'): string {
    let text = open;
    const count = names.length;
    if (count > 0) {
      sortNames(names);
      const top = this.length === 1;
      for (let i = 0; i < count; i++) {
        const name = names[i]!;
        const before = this.binary;
        const part = this.property(name, read(value, name, this));
        if (top) this.tops.push(new KeyPart(this.at[0] as string, name, true, part, part.length * 2 + this.binary - before));
        text += nameText(name) + part;
      }
    }
    const symbols = own ?? Object.getOwnPropertySymbols(value);
    if (symbols.length > 0) {
      const entries: string[] = [];
      for (const sym of symbols) {
        entries.push(this.symbol(sym) + this.child(`[${String(sym)}]`, read(value, sym, this)));
      }
      text += `Y${sorted(entries)}`;
    }
    return text === '{' ? '{}' : `${text}}`;
  }
}

function read(value: object, key: string | symbol, writer: KeyWriter): unknown {
  try {
    return (value as Record<string | symbol, unknown>)[key];
  } catch (error) {
    const where = writer.here() + (typeof key === 'symbol' ? `[${String(key)}]` : segment(key));
    throw new KeyRefusal(where, `cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
}

const NO_SYMBOLS: readonly symbol[] = [];

/** The text of each small whole number, made at its first use: sizes, counts and indices are most numbers keyed. */
const SMALL = 1024;
const SMALL_TEXT: (string | undefined)[] = new Array<string | undefined>(SMALL).fill(undefined);

/** What a used writer's ancestors become, so that it keeps no object of the last key alive. */
const EMPTY = {};

const RegExpSource = Object.getOwnPropertyDescriptor(RegExp.prototype, 'source')!.get!;
const RegExpFlags = Object.getOwnPropertyDescriptor(RegExp.prototype, 'flags')!.get!;

