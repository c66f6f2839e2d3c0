import { child, children, isNode, type AstNode } from './ast';

/** The nodes that open a function's own scope. */
export const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

/** The names a binding pattern declares (`a`, `{ a, b: [c] }`, `...rest`). */
export function patternNames(pattern: AstNode | undefined, out: string[] = []): string[] {
  if (!pattern) return out;
  switch (pattern.type) {
    case 'Identifier':
      out.push(pattern.name as string);
      break;
    case 'AssignmentPattern':
      patternNames(child(pattern, 'left'), out);
      break;
    case 'RestElement':
      patternNames(child(pattern, 'argument'), out);
      break;
    case 'ArrayPattern':
      for (const e of children(pattern, 'elements')) patternNames(e, out);
      break;
    case 'ObjectPattern':
      for (const p of children(pattern, 'properties')) patternNames(p.type === 'RestElement' ? p : child(p, 'value'), out);
      break;
    case 'TSParameterProperty':
      patternNames(child(pattern, 'parameter'), out);
      break;
  }
  return out;
}

/** Names declared by `let`, `const`, classes, functions, enums, namespaces and imports directly in `statements`. */
export function lexicalNames(statements: AstNode[]): string[] {
  const out: string[] = [];
  for (let s of statements) {
    if ((s.type === 'ExportNamedDeclaration' || s.type === 'ExportDefaultDeclaration') && child(s, 'declaration')) s = child(s, 'declaration')!;
    switch (s.type) {
      case 'VariableDeclaration':
        if (s.kind !== 'var') for (const d of children(s, 'declarations')) patternNames(child(d, 'id'), out);
        break;
      case 'FunctionDeclaration':
      case 'ClassDeclaration':
      case 'TSEnumDeclaration':
      case 'TSImportEqualsDeclaration':
        if (child(s, 'id')?.type === 'Identifier') out.push(child(s, 'id')!.name as string);
        break;
      case 'TSModuleDeclaration':
        if (child(s, 'id')?.type === 'Identifier') out.push(child(s, 'id')!.name as string);
        break;
      case 'ImportDeclaration':
        for (const spec of children(s, 'specifiers')) out.push(child(spec, 'local')!.name as string);
        break;
    }
  }
  return out;
}

/** Names declared with `var` anywhere in `node`, not looking into nested functions. */
export function varNames(node: AstNode, out: string[] = []): string[] {
  if (node.type === 'VariableDeclaration' && node.kind === 'var') {
    for (const d of children(node, 'declarations')) patternNames(child(d, 'id'), out);
  }
  for (const field in node) {
    const value = node[field];
    if (typeof value !== 'object' || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (isNode(item) && !FUNCTION_TYPES.has(item.type) && !item.type.startsWith('Class')) varNames(item, out);
    }
  }
  return out;
}

