import { describeError, FunesError, warnOnce } from './errors';
import { argumentKey, hashValue, ownState } from './hashing/arguments';
import type { MemoriousOptions } from './options';

/**
 * The argument hash of one call under a method's options: the input (less `ignore`d
 * parameters) and the instance's state, or whatever a `key` option makes of them.
 */
export function callKey(
  options: MemoriousOptions,
  name: string,
  input: Record<string, unknown>,
  self: unknown,
  dispatch: string,
): string {
  let material: unknown = input;
  let state: unknown = null;
  if (options.key) {
    material = options.key(input, self);
  } else {
    if (options.ignore?.length) material = without(input, options.ignore);
    if (!options.ignoreThis) state = ownState(self);
  }
  let made: { key: string; functions: boolean };
  try {
    made = argumentKey(material, state, dispatch);
  } catch (error) {
    throw unhashable(name, options.key ? { key: material } : (material as Record<string, unknown>), state, error);
  }
  if (made.functions) {
    warnOnce(
      name,
      'FUNES_FUNCTION_IN_KEY',
      'a function is part of the key (an argument, or a property of the instance): it is keyed by its source, ' +
        'so closures of one source over different values share results; pass data instead, ' +
        'or leave it out with ignore, ignoreThis or key',
    );
  }
  return made.key;
}

function without(input: Record<string, unknown>, ignored: readonly string[]): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const name of Object.keys(input)) if (!ignored.includes(name)) kept[name] = input[name];
  return kept;
}

/** Names the argument (or instance property) that cannot be hashed. */
function unhashable(name: string, input: Record<string, unknown>, state: unknown, error: unknown): FunesError {
  const culprit = (entries: [string, unknown][]): string | undefined =>
    entries.find(([, v]) => {
      try {
        hashValue(v);
        return false;
      } catch {
        return true;
      }
    })?.[0];
  const arg = culprit(Object.entries(input));
  const prop = arg === undefined && state && typeof state === 'object' ? culprit(Object.entries(state)) : undefined;
  const what =
    arg !== undefined
      ? `argument '${arg}'`
      : prop !== undefined
        ? `instance property 'this.${prop}' (pass ignoreThis: true if results do not depend on it)`
        : 'the input';
  return new FunesError(
    'FUNES_UNHASHABLE',
    `${name}: ${what} cannot be hashed into a cache key (${describeError(error)}); pass plain data instead`,
    { cause: error },
  );
}
