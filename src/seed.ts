import { AsyncLocalStorage } from 'node:async_hooks';
import seedrandom from 'seedrandom';
import { FunesError } from './errors';

/**
 * A seed for `Math.random` during one call: a finite number or a string.
 * @example `withSeed(lab, 42 satisfies GlobalSeed).fit(params)`
 */
export type GlobalSeed = number | string;

interface Scope {
  readonly random: () => number;
  live: boolean;
}

const scopes = new AsyncLocalStorage<Scope>();
let original: (() => number) | undefined;
let active = 0;

/**
 * Stands in for `Math.random` while any seeded call runs. Each call's continuations,
 * across awaits, find that call's generator through AsyncLocalStorage; code outside
 * every seeded call, or running after its call ended, gets the original.
 */
function dispatch(): number {
  const scope = scopes.getStore();
  return scope?.live ? scope.random() : original!();
}

export function checkSeed(seed: unknown): GlobalSeed {
  if ((typeof seed === 'number' && Number.isFinite(seed)) || typeof seed === 'string') return seed;
  throw new FunesError(
    'FUNES_BAD_SEED',
    `global_seed must be a finite number or a string, got ${typeof seed === 'number' ? seed : typeof seed}`,
  );
}

/**
 * Runs `fn` with `Math.random` seeded by `seed` for exactly as long as it runs: until it
 * returns or throws, or, when it returns a Promise, until that settles.
 */
export function withSeedScope<T>(seed: GlobalSeed, fn: () => T): T {
  const scope: Scope = { random: seedrandom(seed as string), live: true };
  if (active++ === 0) {
    original = Math.random;
    Math.random = dispatch;
  }
  const end = (): void => {
    scope.live = false;
    if (--active === 0) {
      if (Math.random === dispatch) Math.random = original!;
      original = undefined;
    }
  };
  let result: T;
  try {
    result = scopes.run(scope, fn);
  } catch (error) {
    end();
    throw error;
  }
  if (result instanceof Promise) {
    return result.finally(end) as T;
  }
  end();
  return result;
}

/**
 * Splits off the seed option: a last argument that is a plain object whose only key is
 * `global_seed`, whatever the parameter count. With other keys beside it, it is almost
 * surely a mistyped option, and is refused rather than hashed as data.
 */
export function splitSeed(args: unknown[]): { args: unknown[]; seed: GlobalSeed | undefined } {
  const last = args[args.length - 1];
  if (typeof last !== 'object' || last === null) return { args, seed: undefined };
  // Most last arguments are data: one own-property test says so before any listing.
  if (!Object.prototype.hasOwnProperty.call(last, 'global_seed')) return { args, seed: undefined };
  const proto = Object.getPrototypeOf(last) as unknown;
  if (proto !== Object.prototype && proto !== null) return { args, seed: undefined };
  const keys = Reflect.ownKeys(last);
  if (!keys.includes('global_seed')) return { args, seed: undefined };
  if (keys.length > 1) {
    const others = keys.filter((k) => k !== 'global_seed').map(String);
    throw new FunesError(
      'FUNES_BAD_SEED',
      `the last argument looks like the seed option but also has ${others.join(', ')}; ` +
        'pass the seed alone, as a last argument { global_seed }, or rename the key if it is data',
    );
  }
  return { args: args.slice(0, -1), seed: checkSeed((last as { global_seed: unknown }).global_seed) };
}
