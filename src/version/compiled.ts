import { createHash } from 'node:crypto';
import { tokenizer } from 'acorn';

/** What the version walk needs to know about a memorious method. */
export interface MemoriousDependency {
  /** The undecorated function. */
  readonly original: Function;
  /** Its `dependsOn` option: functions, and package names. */
  readonly dependsOn: readonly (Function | string)[];
  /** Its `version` option. */
  readonly version?: string | number | undefined;
  /** Its `key` option, whose code decides which calls share a record. */
  readonly key?: Function | undefined;
}

export type DependencyLookup = (fn: Function) => MemoriousDependency | undefined;

const tokenCache = new WeakMap<Function, string>();

/**
 * The source as a token stream: comments and whitespace do not change it; a changed
 * name, literal or operator does. Template text is kept as written, since it is data.
 */
export function sourceTokens(fn: Function): string {
  let tokens = tokenCache.get(fn);
  if (tokens === undefined) {
    tokens = tokenize(Function.prototype.toString.call(fn));
    tokenCache.set(fn, tokens);
  }
  return tokens;
}

function tokenize(source: string): string {
  const out: string[] = [];
  try {
    for (const t of tokenizer(source, { ecmaVersion: 'latest', allowHashBang: true })) {
      // acorn's typings omit `value`, which holds a token's cooked content.
      const value = (t as unknown as { value?: unknown }).value;
      out.push(`${t.type.label}:${value === undefined ? '' : String(value)}`);
    }
  } catch {
    // Not tokenizable (a native function, say): fall back to the text with runs of
    // whitespace folded, which still ignores reformatting.
    return source.replace(/\s+/g, ' ').trim();
  }
  return out.join('\u0001');
}

/**
 * Names read as `this.name`, `this['name']`, `super.name` in a function's source, and
 * whether it reads private members (`this.#name`), which no prototype shows.
 */
export function memberReferences(fn: Function): { own: string[]; parent: string[]; private: boolean } {
  const tokens = sourceTokens(fn).split('\u0001');
  const own = new Set<string>();
  const parent = new Set<string>();
  for (let i = 0; i + 2 < tokens.length; i++) {
    const head = tokens[i];
    const target = head === 'this:this' ? own : head === 'super:super' ? parent : undefined;
    if (!target) continue;
    const [sep, next] = [tokens[i + 1], tokens[i + 2]];
    if (sep === '.:' || sep === '?.:') {
      if (next?.startsWith('name:')) target.add(next.slice(5));
    } else if (sep === '[:' && next?.startsWith('string:') && tokens[i + 3] === ']:') {
      target.add(next.slice(7));
    }
  }
  return { own: [...own].sort(), parent: [...parent].sort(), private: tokens.some((t) => t.startsWith('privateId:')) };
}

/**
 * Everything a method's meaning rests on, as text: its tokens, its `version` and
 * `dependsOn` options, and recursively the same for the functions it reaches through
 * `this` and `super`: `this.x` resolved from `home` (the prototype, or class for static
 * methods, that calls run on), `super.x` from above where each function is declared.
 * A `dependsOn` function counts by its own source and options only: what its `this`
 * would be is not known. Each function is visited once, so cycles end.
 */
export function dependencyText(
  root: MemoriousDependency,
  home: object,
  declaredOn: object,
  lookup: DependencyLookup,
): string {
  const seen = new Set<Function>();
  const parts: string[] = [];
  const visit = (mem: MemoriousDependency, label: string, where: object | undefined): void => {
    if (seen.has(mem.original)) return;
    seen.add(mem.original);
    parts.push(`${label}\u0002${sourceTokens(mem.original)}`);
    if (mem.version !== undefined) parts.push(`${label}\u0002version\u0002${typeof mem.version}:${mem.version}`);
    mem.dependsOn.forEach((d, i) => {
      if (typeof d === 'function') visit(asDependency(d, lookup), `${label}\u0002dependsOn[${i}]`, undefined);
    });
    if (!where) return;
    const refs = memberReferences(mem.original);
    if (refs.private) {
      // Private methods and fields cannot be looked up: the whole class's source stands in.
      const cls = (typeof where === 'function' ? where : (where as { constructor?: unknown }).constructor) as Function | undefined;
      if (typeof cls === 'function' && !seen.has(cls)) {
        seen.add(cls);
        parts.push(`${label}\u0002class\u0002${sourceTokens(cls)}`);
      }
    }
    for (const name of refs.own) {
      for (const found of resolve(home, name)) visit(asDependency(found.fn, lookup), `this.${name}`, found.owner);
    }
    const parent = Object.getPrototypeOf(where) as object | null;
    if (!parent) return;
    for (const name of refs.parent) {
      for (const found of resolve(parent, name)) visit(asDependency(found.fn, lookup), `super.${name}`, found.owner);
    }
  };
  visit(root, 'self', declaredOn);
  return parts.join('\u0003');
}

function asDependency(fn: Function, lookup: DependencyLookup): MemoriousDependency {
  return lookup(fn) ?? { original: fn, dependsOn: [] };
}

/** The functions (method, getter, setter) that `start[name]` would reach, and where they live. */
function resolve(start: object, name: string): { fn: Function; owner: object }[] {
  for (let o: object | null = start; o; o = Object.getPrototypeOf(o) as object | null) {
    const d = Object.getOwnPropertyDescriptor(o, name);
    if (!d) continue;
    return [d.value, d.get, d.set]
      .filter((f): f is Function => typeof f === 'function')
      .map((f) => ({ fn: f, owner: o }));
  }
  return [];
}

export function digest(text: string, length = 64): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}
