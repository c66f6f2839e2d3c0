import { child, children, identifierName, type AstNode } from './ast';

/** `__importDefault(...)`, `tslib_1.__importStar(...)`, `(0, tslib_1.__importStar)(...)`: wrappers around a `require`. */
function unwrapInterop(node: AstNode | undefined): AstNode | undefined {
  if (node?.type !== 'CallExpression') return node;
  const callee = child(node, 'callee');
  const last = callee?.type === 'SequenceExpression' ? children(callee, 'expressions').at(-1) : callee;
  const name = last?.type === 'MemberExpression' ? identifierName(child(last, 'property')) : identifierName(last);
  const args = children(node, 'arguments');
  return name && /^_*import(Default|Star)$/.test(name) && args.length === 1 ? unwrapInterop(args[0]) : node;
}

/**
 * CommonJS imports: `const u = require('./u')` is `import * as u`, and
 * `const { a, b: c } = require('./u')` imports `a` as `a` and `b` as `c`.
 */
export function requireOf(declarator: AstNode, local: string): { source: string; imported: string } | undefined {
  const call = unwrapInterop(child(declarator, 'init'));
  if (call?.type !== 'CallExpression' || identifierName(child(call, 'callee')) !== 'require') return undefined;
  const [arg] = children(call, 'arguments');
  if (arg?.type !== 'Literal' || typeof arg.value !== 'string') return undefined;
  const id = child(declarator, 'id');
  if (id?.type === 'Identifier') return { source: arg.value, imported: '*' };
  if (id?.type !== 'ObjectPattern') return undefined;
  for (const prop of children(id, 'properties')) {
    if (prop.type !== 'Property' || prop.computed) continue;
    const value = child(prop, 'value');
    const target = value?.type === 'AssignmentPattern' ? child(value, 'left') : value;
    if (identifierName(target) === local) return { source: arg.value, imported: identifierName(child(prop, 'key')) ?? (child(prop, 'key')?.value as string) };
  }
  return undefined;
}

