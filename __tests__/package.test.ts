import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { mode } from './helpers/mode';
import { lastJson, projectDir, runScript, writeScript } from './helpers/child';

// The built package, reached as a user reaches it: through node_modules/funes and the
// package.json `exports` map, from CommonJS, from ES modules and from TypeScript.
const ROOT = resolve(__dirname, '..');
const API = ['memorious', 'Memorious', 'withSeed', 'FunesError'] as const;

describe('the built package', () => {
  const dir = projectDir();

  test('esm/index.mjs and dist/index.d.ts exist in the repository, and the exports map names them', () => {
    expect(existsSync(join(ROOT, 'esm', 'index.mjs'))).toBe(true);
    expect(existsSync(join(ROOT, 'dist', 'cjs', 'index.js'))).toBe(true);
    const dts = join(ROOT, 'dist', 'index.d.ts');
    expect(existsSync(dts)).toBe(true);
    expect(readFileSync(dts, 'utf8')).toMatch(/export\s*\{[^}]*\bmemorious\b/);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('funes');
    expect(pkg.exports['.']).toMatchObject({
      import: { types: './esm/index.d.mts', default: './esm/index.mjs' },
      require: { types: './dist/index.d.ts', default: './dist/cjs/index.js' },
    });
  });

  test('the ES module entry exports every name the CommonJS build does', () => {
    writeFileSync(
      join(dir, 'names.mjs'),
      `import * as esm from 'funes';
import { createRequire } from 'node:module';
const cjs = createRequire(import.meta.url)('funes');
console.log(JSON.stringify({ esm: Object.keys(esm).filter((k) => k !== 'default').sort(), cjs: Object.keys(cjs).filter((k) => k !== '__esModule' && k !== 'default').sort(), defaults: Object.keys(esm.default).sort(), same: esm.default === cjs.default }));`,
    );
    const { esm, cjs, defaults, same } = lastJson<{ esm: string[]; cjs: string[]; defaults: string[]; same: boolean }>(runScript(dir, join(dir, 'names.mjs')));
    expect(cjs).toContain('keyOf');
    expect(esm).toEqual(cjs);
    // The default export is the same API object from either module system.
    expect(defaults).toEqual(cjs);
    expect(same).toBe(true);
  });

  test('require("funes") exposes the API', () => {
    writeFileSync(
      join(dir, 'kinds.cjs'),
      `const funes = require('funes');
console.log(JSON.stringify(Object.fromEntries(${JSON.stringify(API)}.map((k) => [k, typeof funes[k]]))));`,
    );
    expect(lastJson(runScript(dir, join(dir, 'kinds.cjs')))).toEqual({
      memorious: 'function',
      Memorious: 'function',
      withSeed: 'function',
      FunesError: 'function',
    });
  });

  test('import from "funes" exposes the same objects as require("funes")', () => {
    writeFileSync(
      join(dir, 'same.mjs'),
      `import * as esm from 'funes';
import { memorious, FunesError } from 'funes';
import { createRequire } from 'node:module';
const cjs = createRequire(import.meta.url)('funes');
const names = ${JSON.stringify(API)};
let thrown;
try { cjs.Memorious.locate(() => 1); } catch (e) { thrown = e; }
console.log(JSON.stringify({
  kinds: Object.fromEntries(names.map((k) => [k, typeof esm[k]])),
  same: Object.fromEntries(names.map((k) => [k, esm[k] === cjs[k]])),
  named: memorious === cjs.memorious,
  errorIsShared: thrown instanceof FunesError && thrown.code === 'FUNES_NOT_MEMORIOUS',
}));`,
    );
    const out = lastJson<{ kinds: Record<string, string>; same: Record<string, boolean> }>(
      runScript(dir, join(dir, 'same.mjs')),
    );
    expect(out).toEqual({
      kinds: { memorious: 'function', Memorious: 'function', withSeed: 'function', FunesError: 'function' },
      same: { memorious: true, Memorious: true, withSeed: true, FunesError: true },
      named: true,
      errorIsShared: true,
    });
  });

  test('an ES module can memorious a method, and a second run is served from disk', () => {
    // Node does not parse decorators, so the module applies the legacy form by hand.
    writeFileSync(
      join(dir, 'use.mjs'),
      `import { appendFileSync } from 'node:fs';
import { memorious, Memorious } from 'funes';
class Lab { half(x) { appendFileSync('esm-runs.log', 'x'); return x / 2; } }
const d = Object.getOwnPropertyDescriptor(Lab.prototype, 'half');
memorious(Lab.prototype, 'half', d);
Object.defineProperty(Lab.prototype, 'half', d);
const lab = new Lab();
const out = [lab.half(4), lab.half(6)];
console.log(JSON.stringify({ out, records: Memorious.loadCachedResults(lab.half).length }));`,
    );
    const first = lastJson(runScript(dir, join(dir, 'use.mjs')));
    const second = lastJson(runScript(dir, join(dir, 'use.mjs')));
    expect(first).toEqual({ out: [2, 3], records: 2 });
    expect(second).toEqual(first);
    expect(readFileSync(join(dir, 'esm-runs.log'), 'utf8')).toBe('xx');
  });

  test(`a TypeScript program using @memorious (${mode} decorators) runs against the build`, () => {
    const file = writeScript(
      dir,
      'decorated',
      `import { memorious, Memorious, withSeed } from 'funes';
let runs = 0;
class Lab {
  @memorious
  noisy(x: number): number { runs++; return x + Math.random(); }
}
const lab = new Lab();
const a = withSeed(lab, 3).noisy(1);
const b = withSeed(lab, 3).noisy(1);
const c = withSeed(lab, 4).noisy(1);
console.log(JSON.stringify({ same: a === b, differs: a !== c, runs, records: Memorious.loadCachedResults(lab.noisy).length }));`,
    );
    expect(lastJson(runScript(dir, file))).toEqual({ same: true, differs: true, runs: 2, records: 2 });
  });

  test(`the declarations type-check a user's strict TypeScript (${mode} decorators)`, () => {
    const user = join(dir, 'user.ts');
    writeFileSync(
      user,
      `import { memorious, Memorious, withSeed, FunesError, type MemoriousOptions } from 'funes';
const options: MemoriousOptions = { version: 2 };
class Lab {
  @memorious
  double(x: number): number { return 2 * x; }
  @memorious(options)
  async fit(lr: number, epochs = 10): Promise<{ loss: number }> { return { loss: lr * epochs }; }
}
const lab = new Lab();
const n: number = lab.double(2);
const p: Promise<{ loss: number }> = withSeed(lab, 7).fit(0.1);
const rows = Memorious.loadCachedResults(lab.double);
const first: number | undefined = rows[0]?.output;
const e: unknown = new Error();
if (e instanceof FunesError) console.log(e.code);
void n; void p; void first;
`,
    );
    const program = ts.createProgram([user], {
      strict: true,
      // The strictest users check the package's declarations too.
      exactOptionalPropertyTypes: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      experimentalDecorators: mode === 'legacy',
      // A Node user has @types/node; nothing else of the repository's is lent.
      types: ['node'],
      typeRoots: [join(ROOT, 'node_modules', '@types')],
      skipLibCheck: false,
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(problems).toEqual([]);
    // The types really came from the package, not from the repository's sources.
    const sources = program.getSourceFiles().map((f) => f.fileName);
    expect(sources.some((f) => f.endsWith('dist/index.d.ts'))).toBe(true);
    // One declaration file: the public API, no internal module's declarations.
    expect(sources.filter((f) => f.includes('/dist/') && f.endsWith('.d.ts'))).toEqual([expect.stringMatching(/dist\/index\.d\.ts$/)]);
  });

  test('the packed tarball holds the CommonJS build, the ESM entry and the declarations', () => {
    const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
    expect(packed.status).toBe(0);
    const files = (JSON.parse(packed.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'dist/cjs/index.js', 'dist/index.d.ts', 'esm/index.mjs', 'esm/index.d.mts']));
    // Only the public API is declared: no internal module's declarations ship.
    expect(files.filter((f) => f.endsWith('.d.ts'))).toEqual(['dist/index.d.ts']);
    expect(readFileSync(join(ROOT, 'dist', 'index.d.ts'), 'utf8')).not.toMatch(/class (MemoMethod|KeyWriter)\b/);
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('__tests__/'))).toEqual([]);
    // What a user of the installed package is pointed at is in it.
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'docs/guide.md', 'docs/cli.md', 'docs/ui.md', 'docs/ui.png']));
    // funes ui works offline: its page and the charting library, with its licenses, are in the package.
    const assets = ['index.html', 'app.js', 'style.css', 'vendor/d3.min.js', 'vendor/d3.LICENSE', 'vendor/plot.umd.min.js', 'vendor/plot.LICENSE'];
    expect(files).toEqual(expect.arrayContaining(assets.map((a) => `dist/cjs/ui/assets/${a}`)));
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\((?!https?:|#)([^)#\s]+)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((l) => !files.includes(l))).toEqual([]);
    // Source maps carry their sources, since the sources are not shipped.
    for (const map of files.filter((f) => f.endsWith('.map'))) {
      const parsed = JSON.parse(readFileSync(join(ROOT, map), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
      expect(parsed.sourcesContent?.length).toBe(parsed.sources.length);
    }
    // A clean clone has no build: packing makes it.
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.prepack).toBe('npm run build');
  });

  test("the bin's --help points at documentation that the package holds", () => {
    const help = spawnSync(process.execPath, [join(ROOT, 'dist', 'cjs', 'cli', 'main.js'), '--help'], { encoding: 'utf8' });
    const docs = /Docs: (.+)$/m.exec(help.stdout)?.[1];
    expect(docs).toBeDefined();
    expect(existsSync(docs!)).toBe(true);
  });
});
