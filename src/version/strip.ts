import { isNode, type AstNode } from './ast';

/** Fields that describe where a node is, or types, and so never change what code does. */
const DROPPED_FIELDS = new Set([
  'start',
  'end',
  'range',
  'loc',
  'typeAnnotation',
  'returnType',
  'typeParameters',
  'typeArguments',
  'superTypeArguments',
  'superTypeParameters',
  'implements',
  'accessibility',
  'override',
  'definite',
  'abstract',
  'declare',
  'readonly',
  'importKind',
  'exportKind',
  'parenthesized',
]);

/** Declarations that exist only for the type checker. */
const TYPE_ONLY = new Set([
  'TSInterfaceDeclaration',
  'TSTypeAliasDeclaration',
  'TSDeclareFunction',
  'TSIndexSignature',
  'TSAbstractMethodDefinition',
  'TSAbstractPropertyDefinition',
  'TSAbstractAccessorProperty',
  'TSNamespaceExportDeclaration',
]);

/** Expressions whose only TypeScript is around a runtime expression: `x as T`, `x!`, `<T>x`, `x satisfies T`, `f<T>`. */
const WRAPPERS = new Set(['TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion', 'TSInstantiationExpression']);

/**
 * The node as plain JavaScript: types, type-only declarations, modifiers and positions
 * gone, TypeScript's runtime constructs (enums, namespaces, parameter properties) kept.
 * Returns undefined for a node that emits no code. The input is left untouched.
 */
export function stripTypes(node: AstNode): AstNode | undefined {
  if (TYPE_ONLY.has(node.type) || node.declare === true) return undefined;
  if (WRAPPERS.has(node.type)) return stripTypes(node.expression as AstNode);
  if (isTypeOnlyImportOrExport(node)) return undefined;
  // An overload signature has no body and emits nothing.
  if (node.type === 'MethodDefinition' && (node.value as AstNode | undefined)?.type === 'TSEmptyBodyFunctionExpression') return undefined;
  if (node.type === 'FunctionDeclaration' && node.body === null) return undefined;
  const out: Record<string, unknown> = { type: node.type };
  for (const [field, value] of Object.entries(node)) {
    if (field === 'type' || DROPPED_FIELDS.has(field)) continue;
    // `optional` is TypeScript's `x?` on parameters and members, but runtime `?.` on chains.
    if (field === 'optional' && !isChainLink(node)) continue;
    if (field === 'decorators' && Array.isArray(value) && value.length === 0) continue;
    if (Array.isArray(value)) {
      out[field] = value.flatMap((item: unknown) => {
        if (!isNode(item)) return [item];
        const stripped = stripTypes(item);
        return stripped ? [stripped] : [];
      });
      if (field === 'params') out[field] = (out[field] as AstNode[]).filter((p) => !isThisParameter(p));
    } else if (isNode(value)) {
      out[field] = stripTypes(value);
    } else if (field === 'raw' && node.type === 'Literal' && (typeof node.value === 'string' || typeof node.value === 'number' || node.bigint != null)) {
      // `'a'` and `"a"`, `0x10` and `16` are the same value: the printer writes the value.
      continue;
    } else if (field === 'value' && node.type === 'Literal' && value instanceof RegExp) {
      continue;
    } else {
      out[field] = value;
    }
  }
  return out as unknown as AstNode;
}

function isChainLink(node: AstNode): boolean {
  return node.type === 'MemberExpression' || node.type === 'CallExpression';
}

/** `function f(this: Window, x)`: the `this` parameter is a type annotation. */
function isThisParameter(param: AstNode): boolean {
  return param.type === 'Identifier' && param.name === 'this';
}

function isTypeOnlyImportOrExport(node: AstNode): boolean {
  if (
    (node.type === 'ImportDeclaration' || node.type === 'ExportNamedDeclaration' || node.type === 'ExportAllDeclaration') &&
    (node.importKind === 'type' || node.exportKind === 'type')
  ) {
    return true;
  }
  return (node.type === 'ImportSpecifier' || node.type === 'ExportSpecifier') && (node.importKind === 'type' || node.exportKind === 'type');
}
