import type { Store } from './store/types';
import type { MemoriousDependency } from './hashing/version';

/** What the rest of the library may ask of a decorated method, found from its wrapper. */
export interface RegisteredMethod extends MemoriousDependency {
  /** `Class.method` and the current version; throws `FUNES_UNBOUND` while the class is unknown. */
  identity(): { readonly name: string; readonly version: string };
  /** The store its records go to now. */
  store(): Store;
}

const methods = new WeakMap<Function, RegisteredMethod>();

export function register(wrapper: Function, method: RegisteredMethod): void {
  methods.set(wrapper, method);
}

export function registered(fn: unknown): RegisteredMethod | undefined {
  return typeof fn === 'function' ? methods.get(fn) : undefined;
}
