import type { MaybePromise } from './store/types';

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value instanceof Promise ||
    ((typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function')
  );
}

/**
 * Applies `next` to a value now, or once it settles: one code path serves synchronous
 * stores (no Promise is made, a sync method stays sync) and asynchronous ones.
 */
export function then<T, U>(value: MaybePromise<T>, next: (v: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}

/** Calls `fn`, turning a synchronous throw into what `fail` makes of it, like a rejection. */
export function attempt<T>(fn: () => MaybePromise<T>, fail: (e: unknown) => MaybePromise<T>): MaybePromise<T> {
  let value: MaybePromise<T>;
  try {
    value = fn();
  } catch (error) {
    return fail(error);
  }
  return value instanceof Promise ? value.catch(fail) : value;
}
