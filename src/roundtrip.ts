export interface LossyPlace {
  /** Where, from `output`: `output.model`, `output[3].url`, `output.get("k")`. */
  readonly path: string;
  readonly why: string;
  /** The value cannot be written at all (rather than coming back different). */
  readonly fatal: boolean;
}

/**
 * Where in an output a value sits that `v8.serialize` will not give back as it was: a
 * class instance comes back a plain object, a URL as `{}`, and a function or a Symbol
 * cannot be written at all. Returns the first such place, as a path from `output`.
 * Large outputs are checked only so far: the walk is on every miss, it must stay cheap.
 */
export function lossyPlace(output: unknown, budget = 100_000): LossyPlace | undefined {
  const seen = new Set<object>();
  const stack: [unknown, string][] = [[output, 'output']];
  while (stack.length > 0 && budget-- > 0) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'function') return { path, why: 'is a function, which cannot be stored', fatal: true };
    if (typeof value === 'symbol') return { path, why: 'is a Symbol, which cannot be stored', fatal: true };
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) continue;
    const why = change(value);
    if (why) return { path, why, fatal: why.includes('cannot be stored') };
    if (value instanceof Map) {
      let i = 0;
      for (const [k, v] of value) {
        stack.push([k, `${path}.<key ${i}>`], [v, `${path}.get(${describeKey(k)})`]);
        i++;
      }
    } else if (value instanceof Set) {
      let i = 0;
      for (const v of value) stack.push([v, `${path}.<item ${i++}>`]);
    } else {
      for (const key of Object.keys(value)) {
        stack.push([(value as Record<string, unknown>)[key], Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`]);
      }
    }
  }
  return undefined;
}

/** Built-in types v8 writes faithfully, by constructor name; any realm's (jest, vm) count. */
const KEPT = new Set(['Object', 'Array', 'Map', 'Set', 'Date', 'RegExp', 'Number', 'String', 'Boolean', 'BigInt']);
const ERRORS = new Set(['Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError']);

function change(value: object): string | undefined {
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto === null || proto === Object.prototype || proto === Array.prototype) return undefined;
  const ctor = (proto as { constructor?: unknown }).constructor;
  const name = typeof ctor === 'function' ? ctor.name : '';
  const native = typeof ctor === 'function' && /\{\s*\[native code\]\s*\}\s*$/.test(Function.prototype.toString.call(ctor));
  if (native && (KEPT.has(name) || ERRORS.has(name))) return undefined;
  if (value instanceof URL) return 'is a URL, which comes back from the cache as {}: store url.href instead';
  if (value instanceof Error) return `is a ${value.name}, which comes back from the cache as a plain Error`;
  if (native && name === 'Promise') return 'is a Promise, which cannot be stored';
  return `is an instance of ${name || 'a class'}, which comes back from the cache as a plain object (its methods and prototype are lost)`;
}

function describeKey(key: unknown): string {
  return typeof key === 'string' ? JSON.stringify(key) : typeof key === 'number' ? String(key) : typeof key;
}
