import { warnOnce } from '../errors';
import type { HiddenDependency } from './dependency';

/** One warning per method naming every value its version cannot see. */
export function warnHidden(method: string, hidden: readonly HiddenDependency[]): void {
  const names = hidden.map((h) => `'${h.name}' (${h.why})`).join('; ');
  warnOnce(
    method,
    'FUNES_HIDDEN_DEPENDENCY',
    `its results depend on values its version cannot see: ${names}. A change to them will not retire stored results: ` +
      "pass such a value as an argument, keep it on the instance, or name what it stands for in the 'version' option",
  );
}

/** Calls on a subclass that overrides what the method reaches: keyed apart, but what the override reads is not followed. */
export function warnOverride(method: string, runtime: object): void {
  const sub = (typeof runtime === 'function' ? runtime : (runtime as { constructor?: Function }).constructor)?.name || 'a subclass';
  warnOnce(
    `${method} (on ${sub})`,
    'FUNES_HIDDEN_DEPENDENCY',
    `${sub} overrides code this method reaches through this or super: calls on it get keys of their own, made from the ` +
      "overriding code's compiled text, but what that code reads (module functions, constants, imports) is not followed; " +
      "name what it depends on in the 'version' option, or pass it as an argument",
  );
}
