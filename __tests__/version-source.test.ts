import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { funes } from './helpers/cli';
import { tmpdir } from 'node:os';
import { mode } from './helpers/mode';

// Versions made from the source as written: real .ts files in a project folder, run in
// new processes (tsx, ts-node, tsc builds with source maps), edited between runs.

const ROOT = resolve(__dirname, '..');
const BIN = join(ROOT, 'node_modules', '.bin');

const UTIL = `
export function scale(x: number): number {
  return x * 10;
}
export const unused = (x: number): number => x - 1;
`;

const BASE = `
import { memorious, Memorious } from 'funes';
import { basename } from 'node:path';
import { scale } from './util.js';

const OFFSET = 1;
const TABLE = { a: 1, b: [2, 3] };
function helper(x: number): number {
  return x * 2;
}
const arrow = (x: number): number => x + 0;
function unrelated(x: number): number {
  return x;
}
enum Mode {
  A = 1,
  B = 2,
}
interface Shape {
  size: number;
}

export class Lab {
  static twice(x: number): number {
    return 2 * x;
  }
  factor(): number {
    return 3;
  }

  @memorious({ key: (input: Record<string, unknown>) => [input.x, input.b] })
  run(x: number, b: number = DEFAULT_B): number {
    const s: Shape = { size: x };
    return helper(s.size) + arrow(x) + OFFSET + b + Lab.twice(x) + Mode.A + scale(x) + TABLE.b[0]! + this.factor();
  }
}

const DEFAULT_B = 5;

const lab = new Lab();
const out = lab.run(1);
console.log(JSON.stringify({ out, version: basename(Memorious.locate(lab.run)) }));
void unrelated;
`;

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A project folder where `funes` is the built package, as a user who installed it has it. */
function projectDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'funes-project-'));
  made.push(dir);
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'funes'), 'dir');
  return dir;
}

function writeProject(dir: string, main: string, util = UTIL): void {
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'lab', private: true }));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'commonjs',
        strict: true,
        esModuleInterop: true,
        skipLibCheck: true,
        experimentalDecorators: mode === 'legacy',
        sourceMap: true,
        outDir: 'build',
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules', '@types')],
      },
      include: ['main.ts', 'util.ts'],
      // ts-node resolves `./util.js` to util.ts only with its newer resolver.
      'ts-node': { experimentalResolver: true },
    }),
  );
  writeFileSync(join(dir, 'main.ts'), main);
  writeFileSync(join(dir, 'util.ts'), util);
}

interface RunResult {
  readonly version: string;
  readonly out: number;
  readonly stderr: string;
}

function run(dir: string, command: string, args: string[], env: Record<string, string> = {}): RunResult {
  const r = spawnSync(command, args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, FUNES_CACHE_DIR: join(dir, 'cache'), NODE_OPTIONS: '', ...env },
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}:\n${r.stderr}\n${r.stdout}`);
  const lines = r.stdout.trim().split('\n');
  return { ...(JSON.parse(lines[lines.length - 1]!) as { version: string; out: number }), stderr: r.stderr };
}

const tsx = (dir: string, file = 'main.ts'): RunResult => run(dir, join(BIN, 'tsx'), [file]);

/** Runs the project's main.ts inside this jest process, compiled by ts-jest as this test is. */
function underTsJest(dir: string): { version: string } {
  const printed: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
  const before = process.env.FUNES_CACHE_DIR;
  process.env.FUNES_CACHE_DIR = join(dir, 'cache');
  try {
    jest.isolateModules(() => jest.requireActual(join(dir, 'main.ts')));
  } finally {
    spy.mockRestore();
    if (before === undefined) delete process.env.FUNES_CACHE_DIR;
    else process.env.FUNES_CACHE_DIR = before;
  }
  return JSON.parse(printed[printed.length - 1]!) as { version: string };
}

function tsc(dir: string, extra: string[]): void {
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', ...extra], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tsc ${extra.join(' ')} failed:\n${r.stdout}${r.stderr}`);
}

/** Runs `body` with `from` replaced by `to` in `path`, which is restored afterwards. */
function edited<T>(path: string, from: string, to: string, body: () => T): T {
  const original = readFileSync(path, 'utf8');
  expect(original).toContain(from);
  writeFileSync(path, original.replace(from, to));
  try {
    return body();
  } finally {
    writeFileSync(path, original);
  }
}

function meta(dir: string, method: string, version: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, 'cache', method, version, 'meta.json'), 'utf8')) as Record<string, unknown>;
}

describe('one source gives one version under every runner', () => {
  const dir = projectDir();
  writeProject(dir, BASE);

  test('tsx, ts-node, ts-jest, and tsc builds (CommonJS ES2022 and ES2017, ES modules) with source maps agree', () => {
    const versions: Record<string, string> = {};
    versions.tsx = tsx(dir).version;
    versions['ts-node'] = run(dir, process.execPath, ['-r', 'ts-node/register/transpile-only', 'main.ts'], {
      NODE_PATH: join(ROOT, 'node_modules'),
    }).version;
    tsc(dir, ['--outDir', 'build/es2022']);
    versions['tsc es2022'] = run(dir, process.execPath, ['build/es2022/main.js']).version;
    tsc(dir, ['--outDir', 'build/es2017', '--target', 'ES2017']);
    versions['tsc es2017'] = run(dir, process.execPath, ['build/es2017/main.js']).version;
    tsc(dir, ['--outDir', 'build/esm', '--module', 'es2022', '--moduleResolution', 'bundler']);
    writeFileSync(join(dir, 'build', 'esm', 'package.json'), JSON.stringify({ type: 'module' }));
    versions['tsc esm'] = run(dir, process.execPath, ['build/esm/main.js']).version;
    versions['ts-jest'] = underTsJest(dir).version;
    expect(versions).toEqual(Object.fromEntries(Object.keys(versions).map((k) => [k, versions.tsx])));
    const m = meta(dir, 'Lab.run', versions.tsx!);
    expect(m.origin).toBe('source');
    expect(m.file).toBe('main.ts');
    const names = (m.dependencies as { name: string; file?: string }[]).map((d) => `${d.file ?? ''}:${d.name}`);
    for (const expected of ['main.ts:helper', 'main.ts:arrow', 'main.ts:OFFSET', 'main.ts:DEFAULT_B', 'main.ts:Lab.twice', 'main.ts:Mode', 'main.ts:TABLE', 'main.ts:Lab#factor', 'util.ts:scale']) {
      expect(names).toContain(expected);
    }
    expect(names.join(' ')).not.toMatch(/unrelated|unused|Shape/);
  });
});

describe('an edit changes the version exactly when it changes code the method reads', () => {
  const dir = projectDir();
  writeProject(dir, BASE);
  let base: string;
  beforeAll(() => {
    base = tsx(dir).version;
  });

  const changes: [string, string, string, string?][] = [
    ['a module function', 'return x * 2;', 'return x * 3;'],
    ['an arrow function in a const', '(x: number): number => x + 0', '(x: number): number => x + 1'],
    ['a module constant', 'const OFFSET = 1;', 'const OFFSET = 2;'],
    ['an object literal constant', 'b: [2, 3]', 'b: [4, 3]'],
    ['a constant named by a default parameter', 'const DEFAULT_B = 5;', 'const DEFAULT_B = 6;'],
    ['a static method called by its class name', 'return 2 * x;', 'return 2 * x + 1;'],
    ['an enum', 'A = 1,', 'A = 7,'],
    ['a method reached through this', 'return 3;', 'return 4;'],
    ['the key option', '[input.x, input.b]', '[input.x, input.b, 1]'],
    ['an imported function in another file', 'return x * 10;', 'return x * 11;', 'util.ts'],
  ];
  test.each(changes)('%s changes it', (_what, from, to, file = 'main.ts') => {
    expect(edited(join(dir, file), from, to, () => tsx(dir)).version).not.toBe(base);
  });

  const same: [string, string, string, string?][] = [
    ['a comment', 'const OFFSET = 1;', '// the offset\nconst OFFSET = 1; /* one */'],
    ['formatting', 'return x * 2;', 'return   x*2 ;'],
    ['a type annotation', 'function helper(x: number): number', 'function helper(x: number | bigint): number'],
    ['an interface', 'size: number;', 'size: number; label?: string;'],
    ['an unrelated function', 'function unrelated(x: number): number {\n  return x;', 'function unrelated(x: number): number {\n  return x + 100;'],
    ['an unrelated export of an imported file', '(x: number): number => x - 1', '(x: number): number => x - 2', 'util.ts'],
    ['an `as` cast and a non-null assertion', 'TABLE.b[0]!', '(TABLE.b[0] as number)'],
  ];
  test.each(same)('%s leaves it', (_what, from, to, file = 'main.ts') => {
    expect(edited(join(dir, file), from, to, () => tsx(dir)).version).toBe(base);
  });
});

describe('imports in every form, data files, and options given in a variable', () => {
  const dir = projectDir();
  writeProject(
    dir,
    `
import { memorious, Memorious } from 'funes';
import { basename } from 'node:path';
import dflt from './dflt.js';
import { scale as alias } from './util.js';
import data from './data.json';

const opts = { key: (input: Record<string, unknown>) => [input.x] };

class Imp {
  @memorious(opts)
  run(x: number): number {
    return dflt(x) + alias(x) + data.k;
  }

  @memorious
  async lazy(x: number): Promise<number> {
    const u = await import('./lazy.js');
    return u.triple(x);
  }
}

const imp = new Imp();
void imp.lazy(1).then((lazy) => {
  console.log(JSON.stringify({ out: imp.run(1) + lazy, version: basename(Memorious.locate(imp.run)) + '/' + basename(Memorious.locate(imp.lazy)) }));
});
`,
  );
  writeFileSync(join(dir, 'dflt.ts'), 'export default function dflt(x: number): number {\n  return x + 1;\n}\n');
  writeFileSync(join(dir, 'lazy.ts'), 'export function triple(x: number): number {\n  return x * 3;\n}\n');
  writeFileSync(join(dir, 'data.json'), '{ "k": 1 }\n');
  let base: string;
  beforeAll(() => {
    base = tsx(dir).version;
    expect(meta(dir, 'Imp.run', base.split('/')[0]!).origin).toBe('source');
  });

  test.each([
    ['a default import', 'dflt.ts', 'return x + 1;', 'return x + 2;', 0],
    ['an import under another name', 'util.ts', 'return x * 10;', 'return x * 11;', 0],
    ['an imported JSON file', 'data.json', '"k": 1', '"k": 2', 0],
    ['the key option, given in a variable', 'main.ts', '[input.x]', '[input.x, 0]', 0],
    ['a module loaded with import()', 'lazy.ts', 'return x * 3;', 'return x * 4;', 1],
  ])('%s changes the version', (_what, file, from, to, which) => {
    const after = edited(join(dir, file), from, to, () => tsx(dir));
    expect(after.version.split('/')[which]).not.toBe(base.split('/')[which]);
  });
});

describe('a destructured catch parameter, and a memorious method reached through this', () => {
  const dir = projectDir();
  writeProject(
    dir,
    `
import { memorious, Memorious } from 'funes';
import { basename } from 'node:path';
const D = 2;
const K = 10;
class Lab {
  @memorious
  m(x: number): number {
    try {
      throw {};
    } catch ({ code = D }: any) {
      return code * x + this.other(x);
    }
  }
  @memorious
  other(x: number): number {
    return x * K;
  }
}
const lab = new Lab();
console.log(JSON.stringify({ out: lab.m(3), version: basename(Memorious.locate(lab.m)) }));
`,
  );

  test.each([
    ['a default in a destructured catch parameter', 'const D = 2;', 'const D = 5;'],
    ['a constant read by another memorious method', 'const K = 10;', 'const K = 11;'],
  ])('%s changes the version', (_what, from, to) => {
    const before = tsx(dir);
    const after = edited(join(dir, 'main.ts'), from, to, () => tsx(dir));
    expect(after.out).not.toBe(before.out);
    expect(after.version).not.toBe(before.version);
  });

  test('funes itself, linked into the project, is a package: none of its files are dependencies, and nothing of it is warned about', () => {
    const { version, stderr } = tsx(dir);
    const files = (meta(dir, 'Lab.m', version).dependencies as { file?: string }[]).map((d) => d.file ?? '');
    expect(files.every((f) => f === '' || f === 'main.ts')).toBe(true);
    expect(stderr).not.toContain('FUNES_HIDDEN_DEPENDENCY');
  });
});

describe('plain JavaScript with CommonJS require', () => {
  const dir = projectDir();
  writeFileSync(join(dir, 'package.json'), '{}');
  const UTIL_JS = `
exports.scale = function scale(x) {
  return x * 10;
};
function shift(x) {
  return x + 1;
}
module.exports.shift = shift;
`;
  writeFileSync(
    join(dir, 'main.js'),
    `
const { memorious, Memorious } = require('funes');
const { basename } = require('node:path');
const { scale } = require('./util');
const util = require('./util');
class Plain {
  m(x) {
    return scale(x) + util.shift(x);
  }
}
const d = Object.getOwnPropertyDescriptor(Plain.prototype, 'm');
memorious(Plain.prototype, 'm', d);
Object.defineProperty(Plain.prototype, 'm', d);
const p = new Plain();
console.log(JSON.stringify({ out: p.m(1), version: basename(Memorious.locate(p.m)) }));
`,
  );
  const node = (): RunResult => run(dir, process.execPath, ['main.js']);

  test('an edit to a required file changes the version; the version is made from source', () => {
    writeFileSync(join(dir, 'util.js'), UTIL_JS);
    const before = node();
    expect(meta(dir, 'Plain.m', before.version).origin).toBe('source');
    writeFileSync(join(dir, 'util.js'), UTIL_JS.replace('return x + 1;', 'return x + 2;'));
    const after = node();
    expect(after.out).toBe(before.out + 1);
    expect(after.version).not.toBe(before.version);
  });
});

describe('what no source shows is warned about', () => {
  const dir = projectDir();
  writeProject(
    dir,
    `
import { memorious, Memorious } from 'funes';
import { basename } from 'node:path';
let rate = 2;
export function setRate(r: number): void {
  rate = r;
}
function build(offset: number) {
  class Made {
    @memorious
    at(x: number): number {
      return x * rate + offset;
    }
  }
  return new Made();
}
const made = build(1);
console.log(JSON.stringify({ out: made.at(1), version: basename(Memorious.locate(made.at)) }));
`,
  );

  test('a captured local and a reassigned module binding: one FUNES_HIDDEN_DEPENDENCY warning naming both', () => {
    const { stderr } = tsx(dir);
    const lines = stderr.split('\n').filter((l) => l.includes('FUNES_HIDDEN_DEPENDENCY'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('Made.at');
    expect(lines[0]).toContain("'offset'");
    expect(lines[0]).toContain("'rate'");
    expect(lines[0]).toContain('pass such a value as an argument');
  });

  test('a namespace-local constant, a mutated module object, a class made by eval, and a subclass override are warned about', () => {
    const odd = projectDir();
    writeProject(
      odd,
      `
import { memorious, Memorious } from 'funes';
import { basename } from 'node:path';
const CFG = { k: 2 };
CFG.k = 3;
namespace N {
  const LOCAL = 2;
  export class Spaced {
    @memorious
    at(x: number): number {
      return x * LOCAL;
    }
  }
}
class Mutated {
  @memorious
  at(x: number): number {
    return x * CFG.k;
  }
}
class Base {
  step(x: number): number {
    return x;
  }
  @memorious
  at(x: number): number {
    return this.step(x);
  }
}
class Sub extends Base {
  override step(x: number): number {
    return x * 2;
  }
}
const Evald = eval('(class Evald { at(x) { return x; } })');
const d = Object.getOwnPropertyDescriptor(Evald.prototype, 'at')!;
memorious(Evald.prototype, 'at', d);
Object.defineProperty(Evald.prototype, 'at', d);
const out = new N.Spaced().at(1) + new Mutated().at(1) + new Sub().at(1) + new Evald().at(1);
console.log(JSON.stringify({ out, version: basename(Memorious.locate(new Mutated().at)) }));
`,
    );
    const warned = tsx(odd).stderr.split('\n').filter((l) => l.includes('FUNES_HIDDEN_DEPENDENCY'));
    const about = (method: string): string => warned.find((l) => l.includes(`${method}:`)) ?? '';
    expect(about('Spaced.at')).toContain("'LOCAL'");
    expect(about('Mutated.at')).toContain("'CFG'");
    expect(about('Evald.at')).toContain('not followed');
    expect(about('Base.at (on Sub)')).toContain('Sub overrides');
  });

  test('a method that only counts its calls in a module variable is not warned about', () => {
    const quiet = projectDir();
    writeProject(
      quiet,
      `
import { memorious, Memorious } from 'funes';
import { basename } from 'node:path';
let calls = 0;
class Counted {
  @memorious
  at(x: number): number {
    calls++;
    return x;
  }
}
const c = new Counted();
console.log(JSON.stringify({ out: c.at(1) + calls, version: basename(Memorious.locate(c.at)) }));
`,
    );
    expect(tsx(quiet).stderr).not.toContain('FUNES_HIDDEN_DEPENDENCY');
  });
});

describe('packages, stale builds, and the fallback', () => {
  test("dependsOn: ['pkg'] puts the installed version into the version", () => {
    const dir = projectDir();
    const pkg = join(dir, 'node_modules', 'fakepkg');
    mkdirSync(pkg, { recursive: true });
    const setVersion = (v: string): void => writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'fakepkg', version: v }));
    setVersion('1.0.0');
    writeProject(dir, BASE.replace('@memorious({ key:', "@memorious({ dependsOn: ['fakepkg'], key:"));
    const before = tsx(dir).version;
    expect(tsx(dir).version).toBe(before);
    setVersion('1.0.1');
    const after = tsx(dir).version;
    expect(after).not.toBe(before);
    const deps = meta(dir, 'Lab.run', after).dependencies as { name: string; kind: string; text: string }[];
    expect(deps).toContainEqual(expect.objectContaining({ name: 'fakepkg', kind: 'package', text: '1.0.1' }));
  });

  /**
   * Builds, then edits `file` without rebuilding (its build made older, as a real edit
   * would leave it): the build must go on naming the old code, and a rebuild the new.
   */
  function staleBuild(file: 'main.ts' | 'util.ts', from: string, to: string): void {
    const dir = projectDir();
    writeProject(dir, BASE);
    tsc(dir, []);
    const built = run(dir, process.execPath, ['build/main.js']);
    expect(built.version).toBe(tsx(dir).version);
    const earlier = new Date(Date.now() - 60_000);
    utimesSync(join(dir, 'build', file.replace('.ts', '.js')), earlier, earlier);
    writeFileSync(join(dir, file), readFileSync(join(dir, file), 'utf8').replace(from, to));
    const fresh = tsx(dir);
    const stale = run(dir, process.execPath, ['build/main.js']);
    expect(stale.out).toBe(built.out);
    expect(stale.version).not.toBe(fresh.version);
    tsc(dir, []);
    const rebuilt = run(dir, process.execPath, ['build/main.js']);
    expect(rebuilt.version).toBe(fresh.version);
    expect(rebuilt.out).toBe(fresh.out);
  }

  test('a source edited after its build never names the code that runs', () => staleBuild('main.ts', 'return x * 2;', 'return x * 3;'));

  test('an imported source edited after its build never names the code that runs either', () =>
    staleBuild('util.ts', 'return x * 10;', 'return x * 11;'));

  test('a class made by eval has no source: the compiled text stands in, and funes show says so', () => {
    const dir = projectDir();
    writeFileSync(join(dir, 'package.json'), '{}');
    writeFileSync(
      join(dir, 'main.js'),
      `
const { memorious, Memorious } = require('funes');
const { basename } = require('node:path');
const C = eval('(class Evald { m(x) { return x + 1; } })');
const d = Object.getOwnPropertyDescriptor(C.prototype, 'm');
memorious(C.prototype, 'm', d);
Object.defineProperty(C.prototype, 'm', d);
const c = new C();
console.log(JSON.stringify({ out: c.m(1), version: basename(Memorious.locate(c.m)) }));
`,
    );
    const { version } = run(dir, process.execPath, ['main.js']);
    expect(meta(dir, 'Evald.m', version).origin).toBe('compiled');
    const shown = funes(join(dir, 'cache'), ['show', 'Evald.m']);
    expect(shown.stdout).toContain('compiled text');
  });
});

describe('funes diff', () => {
  test('names the edited helper and shows the changed line; --json parses', () => {
    const dir = projectDir();
    writeProject(dir, BASE);
    const first = tsx(dir).version;
    writeFileSync(join(dir, 'main.ts'), BASE.replace('return x * 2;', 'return x * 4;'));
    const second = tsx(dir).version;
    expect(second).not.toBe(first);
    const cache = join(dir, 'cache');
    const text = funes(cache, ['diff', 'Lab.run']);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('changed function helper (main.ts)');
    expect(text.stdout).toContain('-  return x * 2;');
    expect(text.stdout).toContain('+  return x * 4;');
    const json = JSON.parse(funes(cache, ['diff', 'Lab.run', '--from', first, '--to', second, '--json']).stdout) as {
      from: string;
      to: string;
      changed: { name: string; patch: string }[];
      added: unknown[];
      removed: unknown[];
    };
    expect(json.from).toBe(first);
    expect(json.to).toBe(second);
    expect(json.changed.map((c) => c.name)).toEqual(['helper']);
    expect(json.added).toEqual([]);
    expect(json.removed).toEqual([]);
    const shown = funes(cache, ['show', 'Lab.run']).stdout;
    expect(shown).toContain('file     main.ts');
    expect(shown).toContain('function helper  (main.ts)');
    expect(basename(cache)).toBe('cache');
  });
});

describe('parameter names as written', () => {
  const RENAMED = `
import { memorious, Memorious } from 'funes';
import { basename } from 'node:path';

class Lab {
  @memorious({ ignore: ['verbose'] })
  fit(data: number[], verbose: boolean): number {
    return data.length + (verbose ? 0 : 0);
  }
}

// tsx (esbuild) renames the parameters that shadow these: data2, verbose2.
const data = [1, 2, 3];
const verbose = false;
const lab = new Lab();
const out = lab.fit(data, verbose);
const records = Memorious.loadCachedResults(lab.fit);
console.log(JSON.stringify({ out, version: basename(Memorious.locate(lab.fit)), names: Object.keys(records[0]!.input), records: records.length }));
`;

  test('a parameter a compiler renamed keeps its written name: ignore accepts it, and tsx and tsc share records', () => {
    const dir = projectDir();
    writeProject(dir, RENAMED);
    const viaTsx = run(dir, join(BIN, 'tsx'), ['main.ts']) as RunResult & { names: string[]; records: number };
    expect(viaTsx.names).toEqual(['data', 'verbose']);
    expect(viaTsx.records).toBe(1);
    tsc(dir, []);
    const viaTsc = run(dir, process.execPath, [join('build', 'main.js')]) as RunResult & { names: string[]; records: number };
    expect(viaTsc.version).toBe(viaTsx.version);
    expect(viaTsc.names).toEqual(['data', 'verbose']);
    expect(viaTsc.records).toBe(1);
  });
});
