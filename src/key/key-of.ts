/**
 * The symbol under which a class says what identifies its instances in a key. Wherever an
 * instance of such a class appears in a key (an argument, a field of one, or `this`), only
 * what `[keyOf]()` returns counts, with the class's name: not its fields, not its private
 * state, not its class's source. It is the way to key instances whose state a key cannot
 * see (`#private` fields, closures, sockets and handles) or should not read (a gigabyte of
 * data whose identity is a name and a revision).
 *
 * The returned value is keyed by the same rules as any argument; return plain data.
 * It is `Symbol.for('funes.keyOf')`, so two copies of funes in one process agree.
 *
 * @example
 * ```ts
 * import { keyOf } from 'funes';
 * class Dataset {
 *   #rows: Float64Array;                       // 1 GB, private
 *   constructor(readonly id: string, readonly rev: number) { ... }
 *   [keyOf]() { return { id: this.id, rev: this.rev }; }
 * }
 * ```
 */
export const keyOf: unique symbol = Symbol.for('funes.keyOf') as never;

/**
 * A class that says what identifies its instances in a key; see {@link keyOf}.
 * @example `class Dataset implements KeyOf { [keyOf]() { return this.id; } }`
 */
export interface KeyOf {
  [keyOf](): unknown;
}
