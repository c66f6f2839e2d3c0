import { keyOf } from './key/key-of';

/** What the stand-in function needs of the memorized method it calls. */
export interface Wrapped {
  readonly async: boolean;
  call(self: unknown, args: unknown[]): unknown;
  /** What identifies the method as a value in another call's key (see `[keyOf]` below). */
  keyText(): string;
}

/**
 * The function that stands in for the method; it keeps the caller's `this`, and has the
 * original's name (or the plain function's record name) and arity. An async method's
 * caller handles failures with `.catch` or `await`: a misuse it meets (a bad `FUNES_MODE`,
 * an argument no key can hold) reaches it as a rejection, not a throw. Held in an argument
 * or in state, it is keyed by what it computes (`[keyOf]`).
 */
export function wrap(method: Wrapped, name: string, original: Function): (this: unknown, ...args: unknown[]) => unknown {
  const wrapper = method.async
    ? function (this: unknown, ...args: unknown[]): unknown {
        try {
          return method.call(this, args);
        } catch (error) {
          return Promise.reject(error);
        }
      }
    : function (this: unknown, ...args: unknown[]): unknown {
        return method.call(this, args);
      };
  Object.defineProperty(wrapper, 'name', { value: name });
  // Code that reads a function's arity (argument parsers, currying helpers) sees the original's.
  Object.defineProperty(wrapper, 'length', { value: original.length });
  Object.defineProperty(wrapper, keyOf, { value: () => method.keyText() });
  return wrapper;
}
