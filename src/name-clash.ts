import { warnOnce } from './errors';
import type { Store } from './store/types';
import type { Site } from './version/site';

/** What a memorized method or function tells the clash check about itself. */
export interface NamedMethod {
  /** Whether it is a plain function (named by its `name` option) rather than `Class.method`. */
  readonly plain: boolean;
  /** Where it was declared, when the stack said. */
  readonly site: Site | undefined;
  store(): Store;
}

interface Claim {
  readonly method: WeakRef<NamedMethod>;
  readonly version: string;
}

/** Every name whose version is known in this process, with who holds it. */
const claims = new Map<string, Claim[]>();

/**
 * Warns when two memorized functions or methods with different code keep their records in
 * one folder: two modules' `function fit` both memorized, or two classes named `Lab`. Their
 * records never mix (their versions differ), but each marks its own version as the one in
 * use, so `Memorious.clearStale` or `funes clear --stale` run for one removes the other's
 * records. The same code under one name (a module loaded twice) shares its records by right.
 */
export function claimName(method: NamedMethod, name: string, version: string): void {
  const held = (claims.get(name) ?? []).filter((c) => c.method.deref() !== undefined);
  const folder = method.store().describe(name);
  for (const claim of held) {
    const other = claim.method.deref()!;
    if (other === method || claim.version === version || other.store().describe(name) !== folder) continue;
    const what = method.plain ? 'function' : 'method';
    const fix = method.plain
      ? "give one of them its own name with memorious({ name: '...' })(fn)"
      : 'rename one of the classes, or give one its own cacheDir or store';
    warnOnce(
      name,
      'FUNES_NAME_CLASH',
      `another memorized ${what} of this name${where(other.site)} has another version (other code or options), and both keep their records in ${folder}; ` +
        `their records do not mix, but each marks its own version as the one in use, so Memorious.clearStale or ` +
        `funes clear --stale for one removes the other's records: ${fix}`,
    );
    break;
  }
  held.push({ method: new WeakRef(method), version });
  claims.set(name, held);
}

function where(site: Site | undefined): string {
  return site ? ` (${site.file}:${site.line})` : '';
}
