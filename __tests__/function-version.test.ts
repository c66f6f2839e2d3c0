import { mkdirSync, writeFileSync } from 'node:fs';
import ts from 'typescript';
import { join } from 'node:path';
import { lastJson, projectDir, runScript } from './helpers/child';

/**
 * The version of a plain function follows what it reads, however it is handed to
 * `memorious`: written in the call, named in it, under a `name` that is not its variable's.
 * Each script is run, edited and run again, in fresh processes.
 */
describe('the version of a memorized plain function', () => {
  const dir = projectDir();
  const forms: Record<string, (rate: number) => string> = {
    'a function expression named like its variable': (rate) => `const RATE = ${rate};
const simulate = memorious(function simulate(n) { return n * RATE; });
module.exports = simulate;`,
    'an arrow under a name option that is not its variable': (rate) => `const RATE = ${rate};
const cachedFit = memorious({ name: 'fit' })((lr) => lr * RATE);
module.exports = cachedFit;`,
    'an anonymous function under a name with a slash': (rate) => `const RATE = ${rate};
module.exports = memorious({ name: 'my fit/v2' })(function (x) { return x * RATE; });`,
    'a function declared apart and passed by name': (rate) => `const RATE = ${rate};
function scaled(x) { return x * RATE; }
module.exports = memorious(scaled);`,
    'a method of an object literal, beside a module function of its name': (rate) => `const RATE = ${rate};
function area(w) { return w; }
const Shapes = { area(w) { return w * RATE; } };
module.exports = memorious(Shapes.area);`,
  };

  for (const [i, [form, source]] of Object.entries(forms).entries()) {
    test(`${form}: a module constant it reads retires its results when edited, and only then`, () => {
      const file = join(dir, `form${i}.js`);
      const env = { FUNES_CACHE_DIR: join(dir, `cache${i}`) };
      const write = (text: string): void =>
        writeFileSync(
          file,
          `const { memorious, Memorious } = require('funes');\n${text}\nconst f = module.exports;\nconst out = f(5);\nconsole.log(JSON.stringify({ out, version: require('node:path').basename(Memorious.locate(f)), stats: Memorious.stats(f).misses }));\n`,
        );
      write(source(2));
      const first = runScript(dir, file, { env });
      expect(first.stderr).not.toContain('FUNES_HIDDEN_DEPENDENCY');
      const a = lastJson<{ out: number; version: string; stats: number }>(first);
      expect(a).toEqual(expect.objectContaining({ out: 10, stats: 1 }));

      write(`// a comment, and an unrelated line\nconst unrelated = 1;\n${source(2)}`);
      expect(lastJson(runScript(dir, file, { env }))).toEqual({ out: 10, version: a.version, stats: 0 });

      write(source(3));
      const edited = lastJson<{ out: number; version: string; stats: number }>(runScript(dir, file, { env }));
      expect(edited.out).toBe(15);
      expect(edited.version).not.toBe(a.version);
    });
  }

  test('TypeScript compiled by tsc with source maps: each function is found on its line as written', () => {
    const src = join(dir, 'src');
    const build = join(dir, 'build');
    mkdirSync(src, { recursive: true });
    mkdirSync(build, { recursive: true });
    const env = { FUNES_CACHE_DIR: join(dir, 'cache-tsc') };
    // The interface vanishes from the output, and the helper lines tsc adds come before:
    // g's compiled line is h's line as written, and h's code reads a part of what g's does.
    const compile = (k: number, j: number): string => {
      const text = `import { memorious } from 'funes';
const K: number = ${k};
const J: number = ${j};
interface Unused {
  a: number;
}
const h = memorious({ name: 'h' })((x: number): number => x * K);
const g = memorious({ name: 'g' })((x: number): number => x * K + J);
console.log(JSON.stringify({ g: g(1), h: h(1) }));
`;
      const file = join(src, 'a.ts');
      writeFileSync(file, text);
      const out = ts.transpileModule(text, {
        fileName: file,
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, sourceMap: true, esModuleInterop: true },
      });
      const map = JSON.parse(out.sourceMapText!) as { sources: string[] };
      map.sources = ['../src/a.ts'];
      writeFileSync(join(build, 'a.js.map'), JSON.stringify(map));
      writeFileSync(join(build, 'a.js'), out.outputText.replace(/\/\/# sourceMappingURL=.*$/m, '//# sourceMappingURL=a.js.map'));
      return join(build, 'a.js');
    };
    const first = runScript(dir, compile(2, 100), { env });
    expect(lastJson(first)).toEqual({ g: 102, h: 2 });
    expect(first.stderr).not.toContain('FUNES_HIDDEN_DEPENDENCY');
    expect(lastJson(runScript(dir, compile(2, 500), { env }))).toEqual({ g: 502, h: 2 });
    expect(lastJson(runScript(dir, compile(3, 500), { env }))).toEqual({ g: 503, h: 3 });
  });

  test('a function a factory makes names the local it captures in its warning, not eval', () => {
    const env = { FUNES_CACHE_DIR: join(dir, 'cache-factory') };
    writeFileSync(
      join(dir, 'factory.js'),
      `const { memorious } = require('funes');
function make(k) { function mul(x) { return x * k; } return memorious(mul); }
console.log(JSON.stringify(make(2)(5)));
`,
    );
    const result = runScript(dir, join(dir, 'factory.js'), { env });
    expect(lastJson(result)).toBe(10);
    expect(result.stderr).toMatch(/FUNES_HIDDEN_DEPENDENCY[^\n]*\bk\b[^\n]*local of an enclosing function/);
    expect(result.stderr).not.toContain('eval');

    writeFileSync(
      join(dir, 'mapped.js'),
      `const { memorious } = require('funes');
const fns = [1, 2].map((k) => memorious({ name: 'mul' })((x) => x * k));
console.log(JSON.stringify(fns[0](3)));
`,
    );
    const mapped = runScript(dir, join(dir, 'mapped.js'), { env: { FUNES_CACHE_DIR: join(dir, 'cache-mapped') } });
    expect(lastJson(mapped)).toBe(3);
    expect(mapped.stderr).toMatch(/FUNES_HIDDEN_DEPENDENCY[^\n]*\bk\b[^\n]*local of an enclosing function/);
  });
});
