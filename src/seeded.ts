import { FunesError } from './errors';
import { registered } from './registry';
import { checkSeed, type GlobalSeed } from './seed';

/**
 * A view of `target` whose `@memorious` methods run with `Math.random` seeded by `seed`;
 * for a function memorized with `memorious(fn)`, a function that runs it seeded.
 * It is the typed way to pass the seed: `withSeed(lab, 3).fit(p)` is
 * `lab.fit(p, { global_seed: 3 })` with `fit`'s own signature, so it type-checks in
 * strict TypeScript without a cast. The seed is part of the input, and so of the key.
 *
 * @throws FunesError `FUNES_BAD_SEED` for a seed that is not a finite number or a string,
 *   `FUNES_NOT_MEMORIOUS` when a method called through the view is not `@memorious`.
 * @example
 * ```ts
 * const model = await withSeed(lab, 42).fit(params);
 * ```
 */
export function withSeed<T extends object>(target: T, seed: GlobalSeed): T {
  checkSeed(seed);
  // A memorized plain function: calling the view calls it seeded.
  if (typeof target === 'function' && registered(target)) {
    const view = new Proxy(target, {
      apply: (fn, self, args: unknown[]) => Reflect.apply(fn as Function, self, [...args, { global_seed: seed }]),
    });
    views.set(view, { fn: target, seed });
    return view;
  }
  const view = new Proxy(target, {
    get(obj, prop) {
      const value: unknown = Reflect.get(obj, prop, obj);
      if (typeof value !== 'function') return value;
      if (registered(value)) {
        const seeded = (...args: unknown[]): unknown => value.apply(obj, [...args, { global_seed: seed }]);
        views.set(seeded, { fn: value, self: { value: obj }, seed });
        return seeded;
      }
      // What loggers and inspectors read (constructor, toString, symbols) passes through;
      // calling another method would silently run it unseeded, so that is refused.
      if (typeof prop === 'symbol' || prop === 'constructor' || prop in Object.prototype) return value;
      return (): never => {
        throw new FunesError(
          'FUNES_NOT_MEMORIOUS',
          `withSeed(...).${prop}() is not a @memorious method; a seed applies only to those`,
        );
      };
    },
  });
  objectViews.set(view, { target, seed });
  return view;
}

/** What a seeded view stands for: the memorized function, the object it is called on, the seed. */
export interface SeededView {
  readonly fn: Function;
  readonly self?: { readonly value: unknown };
  readonly seed: GlobalSeed;
}

const views = new WeakMap<object, SeededView>();

const objectViews = new WeakMap<object, { readonly target: object; readonly seed: GlobalSeed }>();

/** The object a `withSeed(obj, seed)` view stands for, and its seed; undefined for anything else. */
export function seededObject(value: unknown): { readonly target: object; readonly seed: GlobalSeed } | undefined {
  return (typeof value === 'object' || typeof value === 'function') && value !== null ? objectViews.get(value) : undefined;
}

/** The memorized function a `withSeed` view calls, with its object and seed; undefined for anything else. */
export function seededView(value: unknown): SeededView | undefined {
  return typeof value === 'function' ? views.get(value) : undefined;
}
