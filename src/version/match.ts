import { tokenizer } from 'acorn';
import { isNode, type AstNode } from './ast';

/**
 * Whether a method found in a source plausibly is the function that runs: every name
 * it uses appears in the compiled text, and every string and number it holds is a literal
 * there. Compilers rename (`x_1`), wrap (`(0, util_1.f)`) and down-level, but they keep
 * these; a same-named class elsewhere in the file, or a source edited since the build,
 * usually does not. A source that fails this is not used. `inlined` are names a compiler
 * may replace: enums (by their members' values) and imports (`util_1.default` for a
 * default import, `util_1.scale` for `scale as alias`); `renamed` is the class's own name,
 * which down-levelled decorators replace by an alias (`_a.twice`, `Lab_1`).
 */
/** Globals compilers print as values (`void 0`, `0 / 0`). */
const KEPT_AS_VALUE = new Set(['undefined', 'NaN', 'Infinity']);

export function matchesRuntime(node: AstNode, fn: Function, inlined: ReadonlySet<string> = new Set(), renamed?: string): boolean {
  const compiled = Function.prototype.toString.call(fn);
  const literals = new Set<string>();
  try {
    for (const t of tokenizer(compiled, { ecmaVersion: 'latest', allowHashBang: true })) {
      const value = (t as unknown as { value?: unknown }).value;
      if (typeof value === 'string' || typeof value === 'number') literals.add(`${typeof value}:${value}`);
    }
  } catch {
    return false;
  }
  let ok = true;
  const visit = (n: AstNode): void => {
    if (!ok) return;
    // An enum member (`Mode.A`) may be compiled to its value (esbuild, const enums).
    if (n.type === 'MemberExpression' && (n.object as AstNode).type === 'Identifier' && inlined.has((n.object as AstNode).name as string)) return;
    if (
      (n.type === 'Identifier' || n.type === 'PrivateIdentifier') &&
      n.name !== renamed &&
      !inlined.has(n.name as string) &&
      !KEPT_AS_VALUE.has(n.name as string) &&
      !compiled.includes(n.name as string)
    ) {
      ok = false;
    }
    if (n.type === 'Literal' && (typeof n.value === 'string' || typeof n.value === 'number') && !literals.has(`${typeof n.value}:${n.value}`)) ok = false;
    if (n.type === 'TemplateElement') {
      const cooked = (n.value as { cooked?: string | null }).cooked;
      if (cooked && !literals.has(`string:${cooked}`) && !compiled.includes(cooked)) ok = false;
    }
    for (const [field, value] of Object.entries(n)) {
      if (field === 'type') continue;
      for (const item of Array.isArray(value) ? value : [value]) if (isNode(item)) visit(item);
    }
  };
  visit(node);
  return ok;
}
