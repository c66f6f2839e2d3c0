import { createHash } from 'node:crypto';
import { canonical, canonicalWithFunctions } from './canonical';

/** A hash of a value's canonical text: equal for equal values, in any process. */
export function hashValue(value: unknown): string {
  return createHash('sha256').update(canonical(value)).digest('hex');
}

/**
 * The argument hash of one call: its input, the instance's state, and (for a subclass
 * that changes what the method reaches) which code runs. One string, one hash update.
 */
export function argumentKey(input: unknown, state: unknown, dispatch: string): { key: string; functions: boolean } {
  const { text, functions } = canonicalWithFunctions(input, state);
  return { key: createHash('sha256').update(text + dispatch).digest('hex'), functions };
}

/**
 * An instance's own enumerable state, as a plain object: hashing the instance itself would
 * pull in its class's whole source, so editing any other method would miss every key.
 */
export function ownState(self: unknown): unknown {
  if ((typeof self !== 'object' && typeof self !== 'function') || self === null) return self ?? null;
  const state: Record<string, unknown> = {};
  for (const key of Object.keys(self)) state[key] = (self as Record<string, unknown>)[key];
  return state;
}
