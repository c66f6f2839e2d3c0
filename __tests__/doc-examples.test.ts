import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { tempDir } from './helpers/cache';
import { mode } from './helpers/mode';

// Every TypeScript example in the README and docs/ compiles under `strict`, in this jest
// project's decorator mode. Names an example leaves to the reader (`Params`, `train`) are
// declared `any`; a `{ ... }` body stands for code the example leaves out. Anything else
// the compiler says is a mistake in the docs.
const ROOT = resolve(__dirname, '..');
const DOCS = ['README.md', 'docs/guide.md', 'docs/cli.md', 'docs/distributed.md', 'docs/benchmarks.md', 'docs/reliability.md', 'docs/ui.md'];
const blocks = DOCS.flatMap((file) =>
  [...readFileSync(join(ROOT, file), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m, i) => ({ name: `${file} #${i + 1}`, code: m[1]! })),
);
const dir = tempDir();

function prepare(code: string, declared: readonly string[]): string {
  const body = code
    .replace(/\{\s*\.\.\.\s*\}/g, '{ return undefined as never; }')
    .replace(/^(\s*)\.\.\.\s*$/gm, '$1// ...')
    .replace(/\)\s*\.\.\.\s*$/gm, ') {}');
  return `${declared.map((n) => `type ${n} = any;\ndeclare const ${n}: any;`).join('\n')}\n${body}\nexport {};\n`;
}

function diagnose(file: string): ts.Diagnostic[] {
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    // ES modules, so that examples may `await` at the top, as an ES module script can.
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    esModuleInterop: true,
    experimentalDecorators: mode === 'legacy',
    skipLibCheck: true,
    types: ['node'],
    typeRoots: [join(ROOT, 'node_modules', '@types')],
    baseUrl: ROOT,
    paths: { funes: ['src/index.ts'] },
  });
  return ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === file);
}

describe("the README's advice on targets", () => {
  test('stage-3 decorators are compiled away at ES2022 and left in the output at esnext, which Node cannot run', () => {
    const source = "import { memorious } from 'funes';\nclass Lab { @memorious double(x: number) { return 2 * x; } }\n";
    const out = (target: ts.ScriptTarget): string => ts.transpileModule(source, { compilerOptions: { target, module: ts.ModuleKind.ESNext } }).outputText;
    expect(out(ts.ScriptTarget.ES2022)).not.toContain('@memorious');
    expect(out(ts.ScriptTarget.ESNext)).toContain('@memorious');
  });
});

describe('the examples in the README and docs', () => {
  test('there are examples to check', () => expect(blocks.length).toBeGreaterThan(10));

  test.each(blocks.map((b) => [b.name, b.code] as const))('%s compiles under strict', (name, code) => {
    const file = join(dir, `${name.replace(/[^\w]+/g, '-')}.ts`);
    mkdirSync(dir, { recursive: true });
    let declared: string[] = [];
    let diagnostics: ts.Diagnostic[] = [];
    for (let pass = 0; pass < 3; pass++) {
      writeFileSync(file, prepare(code, declared));
      diagnostics = diagnose(file);
      const missing = diagnostics
        .filter((d) => d.code === 2304 || d.code === 2552 || d.code === 2580)
        .map((d) => /Cannot find name '([^']+)'/.exec(ts.flattenDiagnosticMessageText(d.messageText, '\n'))?.[1])
        .filter((n): n is string => n !== undefined && !declared.includes(n));
      if (missing.length === 0) break;
      declared = [...declared, ...new Set(missing)];
    }
    const text = diagnostics.map((d) => {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `line ${line + 1 - declared.length * 2 - 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(text).toEqual([]);
  });
});
