/**
 * A value JSON can carry without losing what it said: BigInt as its digits, Maps as
 * objects (or entry lists when a key is not a string), Sets and binary data as arrays,
 * errors by name and message, `undefined` as null, cycles marked.
 */
export function toPlain(value: unknown, seen: Set<object> = new Set()): unknown {
  if (value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'symbol' || typeof value === 'function') return String(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  try {
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
    if (value instanceof RegExp) return String(value);
    if (value instanceof Error) return { name: value.name, message: value.message };
    if (ArrayBuffer.isView(value)) {
      return value instanceof DataView ? [...new Uint8Array(value.buffer, value.byteOffset, value.byteLength)] : Array.from(value as unknown as ArrayLike<unknown>, (v) => toPlain(v, seen));
    }
    if (value instanceof ArrayBuffer) return [...new Uint8Array(value)];
    if (value instanceof Set) return [...value].map((v) => toPlain(v, seen));
    if (value instanceof Map) {
      const entries = [...value.entries()];
      if (entries.every(([k]) => typeof k === 'string')) return Object.fromEntries(entries.map(([k, v]) => [k, toPlain(v, seen)]));
      return entries.map(([k, v]) => [toPlain(k, seen), toPlain(v, seen)]);
    }
    if (Array.isArray(value)) return Array.from(value, (v) => toPlain(v, seen));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlain(v, seen)]));
  } finally {
    seen.delete(value);
  }
}
