import { baseGenerator, generate } from 'astring';
import type { AstNode } from './ast';

type State = { write(text: string): void };
type Generator = Record<string, (this: Generator, node: AstNode, state: State) => void>;

const base = baseGenerator as unknown as Generator;

function writeNode(gen: Generator, node: AstNode, state: State): void {
  const print = gen[node.type];
  if (!print) throw new Error(`no printer for ${node.type}`);
  print.call(gen, node, state);
}

function withDecorators(kind: string): (this: Generator, node: AstNode, state: State) => void {
  return function (this: Generator, node, state) {
    for (const d of (node.decorators as AstNode[] | undefined) ?? []) {
      writeNode(this, d, state);
      state.write(' ');
    }
    base[kind]!.call(this, node, state);
  };
}


/** A printer that writes `before`, the child in `field`, then `after`. */
function around(before: string, field: string, after: string): (this: Generator, node: AstNode, state: State) => void {
  return function (this: Generator, node, state) {
    state.write(before);
    writeNode(this, node[field] as AstNode, state);
    if (after) state.write(after);
  };
}

/** astring prints ESTree; these teach it TypeScript's runtime constructs and decorators. */
const generator: Generator = {
  ...base,
  ClassDeclaration: withDecorators('ClassDeclaration'),
  ClassExpression: withDecorators('ClassExpression'),
  MethodDefinition: withDecorators('MethodDefinition'),
  PropertyDefinition: withDecorators('PropertyDefinition'),
  AccessorProperty(node, state) {
    state.write('accessor ');
    withDecorators('PropertyDefinition').call(this, node, state);
  },
  TSParameterProperty(node, state) {
    state.write('public ');
    writeNode(this, node.parameter as AstNode, state);
  },
  TSEnumDeclaration(node, state) {
    state.write(node.const ? 'const enum ' : 'enum ');
    writeNode(this, node.id as AstNode, state);
    state.write(' {');
    const members = ((node.body as AstNode | undefined)?.members ?? node.members ?? []) as AstNode[];
    members.forEach((m, i) => {
      if (i > 0) state.write(', ');
      writeNode(this, m.id as AstNode, state);
      if (m.initializer) {
        state.write(' = ');
        writeNode(this, m.initializer as AstNode, state);
      }
    });
    state.write('}\n');
  },
  TSModuleDeclaration(node, state) {
    state.write(`${(node.kind as string | undefined) ?? 'namespace'} `);
    writeNode(this, node.id as AstNode, state);
    state.write(' ');
    const body = node.body as AstNode | undefined;
    if (body) writeNode(this, body, state);
    state.write('\n');
  },
  TSModuleBlock(node, state) {
    state.write('{\n');
    for (const statement of node.body as AstNode[]) writeNode(this, statement, state);
    state.write('}');
  },
  TSQualifiedName(node, state) {
    writeNode(this, node.left as AstNode, state);
    state.write('.');
    writeNode(this, node.right as AstNode, state);
  },
  TSImportEqualsDeclaration(node, state) {
    state.write('import ');
    writeNode(this, node.id as AstNode, state);
    state.write(' = ');
    writeNode(this, node.moduleReference as AstNode, state);
    state.write(';\n');
  },
  TSExternalModuleReference: around('require(', 'expression', ')'),
  TSExportAssignment: around('export = ', 'expression', ';\n'),
  Decorator: around('@', 'expression', ''),
};

/**
 * The code of a type-stripped node, printed in one fixed style: the normalised text a
 * version is made of. Comments and formatting are gone because the tree never had them.
 * Syntax the printer does not know (JSX) falls back to the tree itself, as JSON.
 */
export function printNode(node: AstNode): string {
  try {
    return generate(node as never, { generator: generator as never, indent: '  ', lineEnd: '\n' }).trim();
  } catch {
    return JSON.stringify(node, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v), 1);
  }
}
