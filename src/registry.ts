import type { MaybePromise, Store } from './store/types';
import type { StoredRecord } from './record';
import type { MemoriousDependency } from './version/compiled';
import type { CallCounts } from './stats';

/** What the rest of the library may ask of a decorated method, found from its wrapper. */
export interface RegisteredMethod extends MemoriousDependency {
  /** `Class.method` and the current version; throws `FUNES_UNBOUND` while the class is unknown. */
  identity(): { readonly name: string; readonly version: string };
  /** The store its records go to now. */
  store(): Store;
  /** Hits and misses in this process. */
  readonly counts: CallCounts;
  /** Milliseconds a record stays good (its `maxAge` option), if limited. */
  readonly maxAge: number | undefined;
  /** Its parameter names, in order. */
  readonly paramNames: readonly string[];
  /** The stored record for a call on `self` with `args`, without computing. */
  peek(self: unknown, args: unknown[]): MaybePromise<StoredRecord | undefined>;
  /** The `this` a call without one is keyed under, when known (see `MemoMethod.implicitThis`). */
  implicitThis(): { readonly self: unknown } | undefined;
}

const methods = new WeakMap<Function, RegisteredMethod>();

export function register(wrapper: Function, method: RegisteredMethod): void {
  methods.set(wrapper, method);
}

export function registered(fn: unknown): RegisteredMethod | undefined {
  return typeof fn === 'function' ? methods.get(fn) : undefined;
}
