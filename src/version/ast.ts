/**
 * The syntax tree funes reads sources into: ESTree, as oxc-parser returns it (TS-ESTree
 * for TypeScript), typed loosely because only a few node kinds are looked into by name.
 */
export interface AstNode {
  readonly type: string;
  readonly start: number;
  readonly end: number;
  readonly [field: string]: unknown;
}

export function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** A child node held in `field`, if there is one. */
export function child(node: AstNode, field: string): AstNode | undefined {
  const value = node[field];
  return isNode(value) ? value : undefined;
}

/** The child nodes held in an array `field`, holes left out. */
export function children(node: AstNode, field: string): AstNode[] {
  const value = node[field];
  return Array.isArray(value) ? value.filter(isNode) : [];
}

/** The name of a non-computed key (`a`, `'a'`, `#a`), or undefined for a computed one. */
export function keyName(member: AstNode): string | undefined {
  if (member.computed) return undefined;
  const key = child(member, 'key') ?? child(member, 'id');
  if (!key) return undefined;
  if (key.type === 'Identifier') return key.name as string;
  if (key.type === 'PrivateIdentifier') return `#${key.name as string}`;
  if (key.type === 'Literal' && (typeof key.value === 'string' || typeof key.value === 'number')) return String(key.value);
  return undefined;
}

/** The name an Identifier node carries. */
export function identifierName(node: AstNode | undefined): string | undefined {
  return node?.type === 'Identifier' ? (node.name as string) : undefined;
}
