import { child, children, identifierName, isNode, type AstNode } from './ast';
import { FUNCTION_TYPES as FUNCTIONS, patternNames } from './declarations';
import { matchesRuntime } from './match';
import { declaredIn, type ModuleIndex } from './module-index';
import { stripTypes } from './strip';
import type { Site } from './site';

/** A memorized plain function as its source declares it, with the names of the scopes around it. */
export interface FunctionSite {
  /** The function, types stripped. */
  readonly node: AstNode;
  /** Names declared by enclosing functions and blocks, innermost last (the module's own not included). */
  readonly enclosing: ReadonlySet<string>[];
}

const SCOPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression', 'BlockStatement', 'StaticBlock', 'TSModuleBlock']);

/**
 * The function `memorious` was given, read from the call at `site`: a function written in
 * the call (`memorious(function f() {...})`, `memorious({ name })((x) => ...)`), or the
 * name of one the call passes (`memorious(scaled)`), resolved through the scopes around the
 * call, nested ones included. Undefined unless exactly one function there matches the one
 * that runs: then the caller falls back to finding it by name.
 */
export function functionAtSite(module: ModuleIndex, site: Site, fn: Function, inlined: ReadonlySet<string>): FunctionSite | undefined {
  const line = lineRange(module.text, site.line);
  if (!line) return undefined;
  const at = Math.min(line.start + Math.max(0, site.column - 1), line.end);
  const found = new Map<AstNode, { site: FunctionSite; depth: number; holds: boolean }>();
  const path: AstNode[] = [];
  const visit = (node: AstNode, depth: number): void => {
    // Only what spans the call's line can hold the call.
    if (node.end < line.start || node.start > line.end) return;
    if (node.type === 'CallExpression') {
      for (const arg of children(node, 'arguments')) {
        const given = FUNCTIONS.has(arg.type)
          ? { node: arg, scopes: path }
          : arg.type === 'Identifier'
            ? resolve(module, arg.name as string, path)
            : arg.type === 'MemberExpression'
              ? member(module, arg, path)
              : undefined;
        if (!given || found.has(given.node)) continue;
        const stripped = stripTypes(given.node);
        if (stripped && matchesRuntime(stripped, fn, inlined)) {
          const holds = node.start <= at && at <= node.end;
          found.set(given.node, { site: { node: stripped, enclosing: given.scopes.map(declaredIn) }, depth, holds });
        }
      }
    }
    const scope = SCOPES.has(node.type);
    if (scope) path.push(node);
    for (const field in node) {
      const value = node[field];
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) visit(item, depth + 1);
      } else if (isNode(value)) {
        visit(value, depth + 1);
      }
    }
    if (scope) path.pop();
  };
  visit(module.program, 0);
  let candidates = [...found.values()];
  // Two calls on one line: the innermost one whose span holds the frame's column.
  if (candidates.length > 1) {
    const holding = candidates.filter((c) => c.holds);
    const deepest = Math.max(...holding.map((c) => c.depth));
    candidates = holding.filter((c) => c.depth === deepest);
  }
  return candidates.length === 1 ? candidates[0]!.site : undefined;
}

/** The function a name refers to from inside `path`: the nearest scope's declaration, else the module's. */
function resolve(module: ModuleIndex, name: string, path: readonly AstNode[]): { node: AstNode; scopes: AstNode[] } | undefined {
  const found = resolveValue(module, name, path);
  return found && FUNCTIONS.has(found.node.type) ? found : undefined;
}

/** What a name is declared as from inside `path`: a function declaration or a variable's initial value. */
function resolveValue(module: ModuleIndex, name: string, path: readonly AstNode[]): { node: AstNode; scopes: AstNode[] } | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const scope = path[i]!;
    if (!declaredIn(scope).has(name)) continue;
    const node = declarationIn(scope, name);
    return node ? { node, scopes: path.slice(0, i + 1) } : undefined;
  }
  const binding = module.bindings.get(name);
  if (binding?.kind === 'function') return { node: binding.node, scopes: [] };
  if (binding?.kind === 'variable') {
    const init = child(binding.declarator, 'init');
    if (init) return { node: init, scopes: [] };
  }
  return undefined;
}

/** `Shapes.area`: the function an object literal bound to a name holds under a property. */
function member(module: ModuleIndex, expression: AstNode, path: readonly AstNode[]): { node: AstNode; scopes: AstNode[] } | undefined {
  const object = child(expression, 'object');
  const property = child(expression, 'property');
  if (expression.computed || object?.type !== 'Identifier' || property?.type !== 'Identifier') return undefined;
  const holder = resolveValue(module, object.name as string, path);
  if (holder?.node.type !== 'ObjectExpression') return undefined;
  for (const prop of children(holder.node, 'properties')) {
    if (prop.type !== 'Property' || prop.computed || identifierName(child(prop, 'key')) !== property.name) continue;
    const value = child(prop, 'value');
    return value && FUNCTIONS.has(value.type) ? { node: value, scopes: holder.scopes } : undefined;
  }
  return undefined;
}

/** The function a scope declares under `name` among its own statements, if that is what it declares. */
function declarationIn(scope: AstNode, name: string): AstNode | undefined {
  const body = child(scope, 'body');
  const statements = scope.type === 'BlockStatement' || scope.type === 'StaticBlock' || scope.type === 'TSModuleBlock' ? children(scope, 'body') : body?.type === 'BlockStatement' ? children(body, 'body') : [];
  for (const statement of statements) {
    if (statement.type === 'FunctionDeclaration' && identifierName(child(statement, 'id')) === name) return statement;
    if (statement.type !== 'VariableDeclaration') continue;
    for (const d of children(statement, 'declarations')) {
      if (!patternNames(child(d, 'id')).includes(name)) continue;
      return child(d, 'init');
    }
  }
  return undefined;
}

/** The offsets of a 1-based line of `text`, or undefined past its end. */
function lineRange(text: string, line: number): { start: number; end: number } | undefined {
  let start = 0;
  for (let n = 1; n < line; n++) {
    const next = text.indexOf('\n', start);
    if (next < 0) return undefined;
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return { start, end: end < 0 ? text.length : end };
}
