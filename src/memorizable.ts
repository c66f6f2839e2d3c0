import { types } from 'node:util';
import { FunesError } from './errors';
import { readParams, type Param } from './params';

/**
 * What a function given to `memorious` must be for its calls to be kept, and its parameter
 * list: not a generator (its result is an iterator, used up once), readable source (not
 * bound or built-in), and no parameter named `global_seed`, which the seed option takes.
 *
 * @throws FunesError `FUNES_NOT_A_METHOD`, `FUNES_UNPARSABLE` or `FUNES_BAD_OPTION`, saying which.
 */
export function memorizable(original: Function, member: string | symbol): { params: Param[]; async: boolean } {
  if (types.isGeneratorFunction(original)) {
    throw new FunesError(
      'FUNES_NOT_A_METHOD',
      `memorious cannot memorize the generator '${String(member)}': what it returns is an iterator, used up once, not a result; ` +
        'memorize a function that collects its values (an array) instead',
    );
  }
  const parsed = readParams(original);
  if (!parsed) {
    const native = /\{\s*\[native code\]\s*\}\s*$/.test(Function.prototype.toString.call(original));
    throw new FunesError(
      'FUNES_UNPARSABLE',
      native
        ? `memorious cannot read '${String(member)}': it is a bound or built-in function, whose source JavaScript does not show; memorize the function itself, then bind the memorized one (memorious(f).bind(obj))`
        : `@memorious cannot read the parameter list of '${String(member)}'`,
    );
  }
  if (parsed.params.some((p) => p.name === 'global_seed')) {
    throw new FunesError('FUNES_BAD_OPTION', `'${String(member)}' has a parameter named global_seed, which funes reserves for the seed option; rename it`);
  }
  return parsed;
}
