import { deserialize, serialize } from 'node:v8';

/**
 * The input as it is when the call begins, as the record will keep it: a copy, so that a
 * method that changes its arguments (appends to an array it was given) does not make the
 * record report an input that never produced its output. A value v8 cannot store (a
 * function, a Symbol) is replaced by a readable placeholder such as `'[Function log]'`, and
 * `unstorable` is told the parameter and the placeholder, so the output is stored all the same.
 */
export function snapshotInput(
  input: Record<string, unknown>,
  unstorable: (param: string, placeholder: string) => void,
): Record<string, unknown> {
  // `input` is funes's own object: holding only primitives, nothing can change it.
  if (onlyStorablePrimitives(input)) return input;
  try {
    return deserialize(serialize(input)) as Record<string, unknown>;
  } catch {
    // Some parameter cannot be stored: find which, below.
  }
  const copy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    try {
      copy[name] = deserialize(serialize(value));
    } catch {
      const found: string[] = [];
      copy[name] = placeholders(value, new Set(), found, 0);
      unstorable(name, found[0] ?? '[unstorable]');
    }
  }
  return copy;
}

function onlyStorablePrimitives(input: Record<string, unknown>): boolean {
  for (const key in input) {
    const t = typeof input[key];
    if (t === 'object' ? input[key] !== null : t === 'function' || t === 'symbol') return false;
  }
  return true;
}

/**
 * A copy of `value` with what v8 cannot store replaced by its description; `found`
 * collects the descriptions used. Only two levels deep: below, a whole object that cannot
 * be stored is its description, so that a `process` or a socket passed in an ignored
 * parameter does not copy half the process (its environment included) into the record.
 */
function placeholders(value: unknown, seen: Set<object>, found: string[], depth: number): unknown {
  if (typeof value === 'function') return note(found, describeFunction(value));
  if (typeof value === 'symbol') return note(found, `[${String(value)}]`);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return note(found, '[Circular]');
  try {
    return deserialize(serialize(value));
  } catch {
    // Some part of it cannot be stored: copy it part by part.
  }
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  if (depth >= 2) return note(found, `[${proto?.constructor?.name || 'object'}]`);
  const inner = (v: unknown): unknown => placeholders(v, seen, found, depth + 1);
  seen.add(value);
  let copy: unknown;
  if (Array.isArray(value)) copy = value.map(inner);
  else if (value instanceof Map) copy = new Map(Array.from(value, ([k, v]) => [inner(k), inner(v)]));
  else if (value instanceof Set) copy = new Set(Array.from(value, inner));
  else {
    const plain = proto === null || proto === Object.prototype;
    const entries = Object.keys(value).map((k) => [k, inner(readSafely(value, k))] as const);
    // An object v8 cannot store at all (a Promise, a WeakMap, a native handle) keeps only its name.
    copy = entries.length > 0 || plain ? Object.fromEntries(entries) : note(found, `[${proto?.constructor?.name || 'object'}]`);
  }
  seen.delete(value);
  return copy;
}

function readSafely(value: object, key: string): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return '[unreadable]';
  }
}

function note(found: string[], placeholder: string): string {
  found.push(placeholder);
  return placeholder;
}

function describeFunction(fn: Function): string {
  if (/^class\b/.test(Function.prototype.toString.call(fn))) return `[class ${fn.name || '(anonymous)'}]`;
  return `[Function ${fn.name || '(anonymous)'}]`;
}
