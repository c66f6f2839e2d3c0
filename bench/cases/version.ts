import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { withTempDir, type Context } from '../fixtures';
import { summarise } from '../measure';
import type { Row } from '../report';

/**
 * What a method's version costs at its first call: funes reads the module the decorator
 * was applied in, parses it with oxc and follows what the method reads into the
 * project's other files, once per method per process (each file read and parsed once).
 * So each sample is a fresh node process, given a generated project: a 5,000-line ES
 * module whose class's method reads 8 of its own functions and constants and 12
 * functions imported from two other files of a few hundred lines each, 20 dependencies
 * across 3 files. (ES modules, since a CommonJS `require` is a call like any other:
 * funes does not follow it into the file it loads.)
 *
 * A first process fills the cache; each measured one then runs the plain method twice
 * (the second run, JIT-warm, is the floor), and calls the decorated method twice with
 * the same argument: both calls are hits, and the first also makes the version, so the
 * difference is the version's cost, without the noise of a computation in it. The
 * children load the built package, dist/cjs (`npm run build`), as a user's program
 * would: funes knows its own stack frames by the package's folders, so the copy of src
 * compiled beside the benchmark would be taken for the user's code.
 */

const ROOT = resolve(__dirname, '..', '..', '..', '..');
const LIBRARY = join(ROOT, 'dist', 'cjs');

/** The sources (under src/) that are newer than what dist/cjs has for them. */
function staleBuild(dir = join(ROOT, 'src')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const file = join(dir, e.name);
    if (e.isDirectory()) return staleBuild(file);
    if (!e.name.endsWith('.ts')) return [];
    const built = join(LIBRARY, relative(join(ROOT, 'src'), file)).replace(/\.ts$/, '.js');
    return !existsSync(built) || statSync(built).mtimeMs < statSync(file).mtimeMs ? [relative(ROOT, file)] : [];
  });
}

/** Lines in the generated files: the main module, and each of the two others. */
const MAIN_LINES = 5_000;
const OTHER_LINES = 300;
/** The method's own helpers (6 functions, 2 constants) and imports (6 from each other file). */
const LOCAL_FUNCTIONS = 6;
const IMPORTED_PER_FILE = 6;
/** Loop rounds of the method: about 100 ms of computation here. */
const ROUNDS = 2_000_000;

/** One unrelated declaration, in one of three shapes. */
function padding(prefix: string, i: number): string {
  switch (i % 3) {
    case 0:
      return `export function ${prefix}pad${i}(x, y) {
  let s = x * ${i} + y;
  for (let k = 0; k < 4; k++) {
    s = (s * 31 + k) % 1000003;
  }
  if (s % 2 === 0) {
    return s / 2;
  }
  return s + ${i};
}
`;
    case 1:
      return `export const ${prefix}table${i} = (key) => {
  const entry = {
    id: ${i},
    label: 'entry ${i}',
    tags: ['a${i}', 'b${i}'],
    weight: ${(i * 0.37).toFixed(2)},
  };
  const found = entry.tags.find((t) => t === key);
  return found ? entry : undefined;
};
`;
    default:
      return `export class ${prefix.toUpperCase()}Shape${i} {
  constructor(size) {
    this.size = size + ${i};
  }
  area() {
    return this.size * this.size;
  }
  describe() {
    return \`shape ${i} of \${this.area()}\`;
  }
}
`;
  }
}

/** Unrelated code of `lines` lines or a few more. */
function paddingLines(prefix: string, lines: number): string {
  const blocks: string[] = [];
  for (let i = 0, count = 0; count < lines; i++) {
    const block = padding(prefix, i);
    blocks.push(block);
    count += block.split('\n').length;
  }
  return blocks.join('\n');
}

/** A helper the method calls: a few lines of arithmetic. */
function helper(name: string, k: number): string {
  return `export function ${name}(i) {
  const v = (i * ${2 * k + 3} + ${k}) % 1009;
  return v > 500 ? v - ${k} : v + ${k};
}
`;
}

function otherFile(prefix: string): string {
  const used = Array.from({ length: IMPORTED_PER_FILE }, (_, k) => helper(`${prefix}${k}`, k + 10)).join('\n');
  const head = `// ${prefix}.mjs: helpers the method imports, among unrelated code.\n\n${used}\n`;
  return `${head}${paddingLines(prefix, OTHER_LINES - head.split('\n').length)}`;
}

function mainFile(library: string, cacheDir: string): string {
  const imports = ['a', 'b']
    .map((p) => `import { ${Array.from({ length: IMPORTED_PER_FILE }, (_, k) => `${p}${k}`).join(', ')} } from './${p}.mjs';`)
    .join('\n');
  const locals = Array.from({ length: LOCAL_FUNCTIONS }, (_, k) => helper(`l${k}`, k)).join('\n');
  const calls = [
    ...Array.from({ length: LOCAL_FUNCTIONS }, (_, k) => `l${k}(i)`),
    ...['a', 'b'].flatMap((p) => Array.from({ length: IMPORTED_PER_FILE }, (_, k) => `${p}${k}(i)`)),
  ];
  const head = `// main.mjs: a 5,000-line module whose class has one memorious method.
import funes from ${JSON.stringify(pathToFileURL(join(library, 'index.js')).href)};
${imports}

const { memorious } = funes;

export const MODULUS = 1000003;
export const SCALE = 7;

${locals}
`;
  const cls = `
export class Lab {
  m(n) {
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc = (acc * SCALE + ${calls.slice(0, 10).join(' + ')}) % MODULUS;
      acc = (acc + ${calls.slice(10).join(' + ')}) % MODULUS;
    }
    return acc;
  }
}

export const plain = Lab.prototype.m;
const descriptor = Object.getOwnPropertyDescriptor(Lab.prototype, 'm');
memorious({ cacheDir: ${JSON.stringify(cacheDir)} })(Lab.prototype, 'm', descriptor);
Object.defineProperty(Lab.prototype, 'm', descriptor);
`;
  const used = head.split('\n').length + cls.split('\n').length;
  return `${head}\n${paddingLines('', MAIN_LINES - used)}${cls}`;
}

/** The child's script: times the calls, checks the version's metadata, prints one JSON line. */
function driverFile(library: string): string {
  return `import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const library = ${JSON.stringify(library)};
const here = dirname(fileURLToPath(import.meta.url));
const n = Number(process.argv[2]);
const time = (f) => {
  const t0 = performance.now();
  const value = f();
  return [performance.now() - t0, value];
};
const { Lab, plain } = await import('./main.mjs');
const lab = new Lab();
time(() => plain.call(lab, n));
const [floor, expected] = time(() => plain.call(lab, n));
const [first, r1] = time(() => lab.m(n));
const [second, r2] = time(() => lab.m(n));
if (r1 !== expected || r2 !== expected) throw new Error(\`the memorious method returned \${r1}, \${r2} instead of \${expected}\`);
const { Memorious } = require(join(library, 'index.js'));
const { hits, misses } = Memorious.stats(Lab.prototype.m);
const meta = JSON.parse(readFileSync(join(Memorious.locate(Lab.prototype.m), 'meta.json'), 'utf8'));
// The raw parse, binding loaded: oxc's parse and the JSON.parse of the tree it hands over.
const { parseProgram } = require(join(library, 'version', 'parse.js'));
const texts = ['main.mjs', 'a.mjs', 'b.mjs'].map((f) => [join(here, f), readFileSync(join(here, f), 'utf8')]);
const [parse] = time(() => texts.map(([f, text]) => parseProgram(f, text)));
console.log(JSON.stringify({
  floor, first, second, parse, hits, misses,
  lines: texts.map(([, text]) => text.split('\\n').length - 1),
  origin: meta.origin,
  file: meta.file,
  dependencies: meta.dependencies.map((d) => \`\${d.file}#\${d.name}\`),
}));
`;
}

interface Sample {
  readonly floor: number;
  readonly first: number;
  readonly second: number;
  readonly parse: number;
  readonly hits: number;
  readonly misses: number;
  readonly lines: readonly number[];
  readonly origin: string;
  readonly file?: string;
  readonly dependencies: readonly string[];
}

function runChild(dir: string, driver: string, rounds: number): Sample {
  const result = spawnSync(process.execPath, [driver, String(rounds)], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, FUNES_CACHE_DIR: undefined, DEBUG: undefined, NODE_OPTIONS: undefined },
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`case 9: the child exited with ${result.status ?? result.signal}:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as Sample;
}

const ms = (us: number): string => `${(us / 1000).toFixed(1)} ms`;

export async function versionCases(ctx: Context): Promise<Row[]> {
  const processes = ctx.quick ? 3 : 5;
  if (!existsSync(join(LIBRARY, 'index.js'))) throw new Error('case 9 runs the built package: run npm run build first');
  const stale = staleBuild();
  if (stale.length > 0) ctx.log(`  case 9: dist/cjs is older than ${stale.join(', ')}: run npm run build to measure the current code`);
  return withTempDir(ctx.base, 'version', async (dir) => {
    const project = join(dir, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), '{ "name": "lab", "private": true }\n');
    writeFileSync(join(project, 'main.mjs'), mainFile(LIBRARY, join(dir, 'cache')));
    writeFileSync(join(project, 'a.mjs'), otherFile('a'));
    writeFileSync(join(project, 'b.mjs'), otherFile('b'));
    writeFileSync(join(project, 'driver.mjs'), driverFile(LIBRARY));
    const driver = join(project, 'driver.mjs');
    const filled = runChild(project, driver, ROUNDS);
    if (filled.misses !== 1 || filled.origin !== 'source') {
      throw new Error(`case 9: the first process had ${filled.misses} misses and a version made from ${filled.origin}, not 1 and the source`);
    }
    const samples: Sample[] = [];
    for (let p = 0; p < processes; p++) {
      const s = runChild(project, driver, ROUNDS);
      // A miss would mean another version: the processes would not be measuring the same thing.
      if (s.hits !== 2 || s.misses !== 0) throw new Error(`case 9: ${s.hits} hits and ${s.misses} misses in a process, not 2 and 0`);
      samples.push(s);
    }
    const stats = (pick: (s: Sample) => number) => summarise(samples.map((s) => pick(s) * 1000), 1);
    const floor = stats((s) => s.floor);
    const first = stats((s) => s.first);
    const second = stats((s) => s.second);
    const version = stats((s) => s.first - s.second);
    const parse = stats((s) => s.parse);
    const shape = `${filled.lines.map((l) => l.toLocaleString('en-US')).join(' + ')} lines, ${filled.dependencies.length} dependencies`;
    ctx.log(`  case 9: ${filled.file} (${shape}), version from ${filled.origin}: ${filled.dependencies.join(', ')}`);
    return [
      {
        id: '9a',
        label: `first call vs second, both hits (${shape})`,
        subject: first,
        reference: second,
        referenceLabel: 'second call',
        note: `${processes} fresh processes`,
      },
      {
        id: '9b',
        label: 'version at first call (first call − second)',
        subject: version,
        // The floor is what no version from source can skip: parsing the three files.
        reference: parse,
        referenceLabel: `oxc's parse of the 3 files alone (${ms(parse.median)})`,
        target: { max: 3 },
        note: `${ms(version.median)} once per method per process; ${(version.median / floor.median).toFixed(2)}x the method's own ${ms(floor.median)} computation`,
      },
    ];
  });
}
