/** The ways out a refusal offers, for arguments and for instance state alike. */
export const WAYS_OUT =
  'give its class a [keyOf]() method that returns what identifies it (import { keyOf } from "funes"), ' +
  "leave it out with ignore: ['param'] (an argument) or ignoreThis: true (instance state), " +
  'or say what the key is made of with key: (input, self) => ...';

/** The ways out for a function, which has no class to give a `[keyOf]()`. */
export const FUNCTION_WAYS_OUT =
  "pass the data it depends on instead, leave it out with ignore: ['param'] (an argument) or ignoreThis: true (instance state), " +
  'or say what the key is made of with key: (input, self) => ...';

/**
 * A value a key cannot capture, found at `path` (`args.params.fn`, `this.db.socket`):
 * the call is refused rather than risk serving one input's result for another.
 */
export class KeyRefusal extends Error {
  constructor(
    readonly path: string,
    readonly why: string,
  ) {
    super(`${path} ${why}`);
    this.name = 'KeyRefusal';
  }
}
