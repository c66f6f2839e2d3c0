import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FunesError, memorious, Memorious, withSeed } from '../src';
import { tempCache } from './helpers/cache';
import { lastJson, projectDir, runScript } from './helpers/child';
import { expectWarnings } from './helpers/quiet-warnings';
// Warnings this file provokes: its memorized code reads test-local counters, which no version can see.
expectWarnings('FUNES_HIDDEN_DEPENDENCY');
// A memorized function passed as an argument is keyed, but v8 cannot store it in the record's input.
expectWarnings('FUNES_UNSERIALIZABLE_INPUT');

const cache = tempCache();

let doubled = 0;
function double(x: number): number {
  doubled++;
  return 2 * x;
}

describe('memorious(fn): plain functions', () => {
  test('a memorized function keeps its records under <cacheDir>/<name>/<version>/<key>.bin, with the helpers of methods', () => {
    const cached = memorious(double);
    expect(cached(2)).toBe(4);
    expect(cached(2)).toBe(4);
    expect(cached(3)).toBe(6);
    expect(doubled).toBe(2);
    expect(cached.name).toBe('double');
    const versions = readdirSync(join(cache, 'double')).filter((f) => /^[0-9a-f]{16}$/.test(f));
    expect(versions).toHaveLength(1);
    expect(readdirSync(join(cache, 'double', versions[0]!)).filter((f) => f.endsWith('.bin'))).toHaveLength(2);
    expect(Memorious.loadCachedResults(cached).map((r) => r.input)).toEqual(expect.arrayContaining([{ x: 2 }, { x: 3 }]));
    expect(Memorious.stats(cached)).toEqual(expect.objectContaining({ hits: 1, misses: 2 }));
    expect(Memorious.locate(cached)).toContain(join(cache, 'double'));
    expect(Memorious.clear(cached)).toBe(2);
  });

  test('options apply, and an anonymous arrow takes its name from the name option', async () => {
    let runs = 0;
    const square = memorious({ name: 'square', ignore: ['verbose'] })((x: number, verbose = false): number => {
      runs++;
      void verbose;
      return x * x;
    });
    expect(square(3)).toBe(9);
    expect(square(3, true)).toBe(9);
    expect(runs).toBe(1);
    expect(readdirSync(cache)).toContain('square');

    const fetchLike = memorious({ name: 'fetchLike' })(async (n: number): Promise<number> => n + 1);
    expect(await fetchLike(1)).toBe(2);
    const hit = fetchLike(1);
    expect(hit).toBeInstanceOf(Promise);
    expect(await hit).toBe(2);
  });

  test('an anonymous function with no name option is refused, saying what to do', () => {
    expect(() => memorious((x: number) => x)).toThrow(expect.objectContaining({ code: 'FUNES_BAD_OPTION', message: expect.stringMatching(/needs a name/) }));
    expect(() => memorious({ name: '' })).toThrow(FunesError);
  });

  test('withSeed works on a memorized function: the seed is part of the key', () => {
    const noisy = memorious(function noisy(scale: number): number {
      return Math.random() * scale;
    });
    const a = withSeed(noisy, 3)(1);
    expect(withSeed(noisy, 3)(1)).toBe(a);
    expect(withSeed(noisy, 4)(1)).not.toBe(a);
    expect((noisy as (...args: unknown[]) => number)(1, { global_seed: 3 })).toBe(a);
  });

  test('called through an object (exports.f, a namespace), it is the same call: this is not its input', () => {
    let runs = 0;
    const api = {
      f: memorious(function throughObject(x: number): number {
        runs++;
        return x;
      }),
    };
    expect(api.f(1)).toBe(1);
    expect(api.f(1)).toBe(1);
    const other = { g: api.f };
    expect(other.g(1)).toBe(1);
    expect(runs).toBe(1);
  });

  test('options after the function are refused, saying they come first', () => {
    expect(() => (memorious as (...a: unknown[]) => unknown)(double, { cacheDir: 'x' })).toThrow(/options come first: memorious\(options\)\(fn\)/);
  });

  test('memorious given a class says it was given a class', () => {
    class NotAFunction {}
    expect(() => (memorious as (x: unknown) => unknown)(NotAFunction)).toThrow(/the class 'NotAFunction'/);
    expect(() => memorious(undefined as unknown as () => number)).toThrow(/memorious was given undefined/);
    const fns = [function one(): number {
      return 1;
    }];
    expect(() => fns.map(memorious as (f: () => number) => unknown)).toThrow(/with 2 more arguments.*fns\.map\(\(f\) => memorious\(f\)\)/);
    expect(() =>
      memorious(function* counting(n: number) {
        yield n;
      }),
    ).toThrow(/cannot memorize the generator 'counting'/);
    const bound = function scaled(this: { k: number }, x: number): number {
      return x * this.k;
    }.bind({ k: 2 });
    expect(() => memorious(bound)).toThrow(/bound or built-in function.*memorious\(f\)\.bind\(obj\)/);
  });
});

describe('a plain function that reads this', () => {
  test('is keyed by the object it is called on, as a method is; one that does not read this is not', () => {
    let runs = 0;
    const area = memorious(function area(this: { w: number; h: number }): number {
      runs++;
      return this.w * this.h;
    });
    const small = { w: 2, h: 3, area };
    const big = { w: 10, h: 10, area };
    const same = { w: 2, h: 3, area };
    expect([small.area(), big.area(), small.area(), same.area()]).toEqual([6, 100, 6, 6]);
    expect(runs).toBe(2);

    const twice = memorious(function twiceThrough(x: number): number {
      runs++;
      return 2 * x;
    });
    expect([{ twice }.twice(2), { twice, other: 1 }.twice(2), twice(2)]).toEqual([4, 4, 4]);
    expect(runs).toBe(3);
  });

  test('a this read only in a default parameter counts too', () => {
    let runs = 0;
    const scaled = memorious(function scaled(this: { k: number }, m: number = this.k): number {
      runs++;
      return m * 2;
    });
    const a = { k: 5, scaled };
    const b = { k: 7, scaled };
    expect([a.scaled(), b.scaled(), a.scaled()]).toEqual([10, 14, 10]);
    expect(runs).toBe(2);
  });

  test('on a prototype, as plain JavaScript writes methods', () => {
    let runs = 0;
    interface Rect {
      w: number;
      h: number;
      area(): number;
    }
    const Rect = function (this: Rect, w: number, h: number) {
      this.w = w;
      this.h = h;
    } as unknown as new (w: number, h: number) => Rect;
    Rect.prototype.area = memorious(function rectArea(this: Rect): number {
      runs++;
      return this.w * this.h;
    });
    expect([new Rect(2, 3).area(), new Rect(10, 10).area(), new Rect(2, 3).area()]).toEqual([6, 100, 6]);
    expect(runs).toBe(2);
    expect(() => Memorious.peek(Rect.prototype.area)).toThrow(expect.objectContaining({ code: 'FUNES_UNBOUND' }));
    expect(Memorious.peek([new Rect(10, 10), Rect.prototype.area])).toMatchObject({ output: 100 });
  });

  test("a memorized closure in an argument is refused: its captured value is in no version, so two of one factory would share a key", () => {
    const make = (k: number): ((x: number) => number) => memorious({ name: 'mulBy' })((x: number) => x * k);
    const twice = memorious(function applyTwice(f: (x: number) => number, x: number): number {
      return f(f(x));
    });
    expect(() => twice(make(3), 1)).toThrow(expect.objectContaining({ code: 'FUNES_UNHASHABLE', message: expect.stringMatching(/mulBy reads k, which its version cannot see/) }));
  });

  test('a memorized function keeps its arity, and one held in an argument is keyed by its name and version', () => {
    const add = memorious(function addTwo(a: number, b: number): number {
      return a + b;
    });
    expect(add.length).toBe(2);
    let runs = 0;
    const apply = memorious(function applyTo(f: (a: number, b: number) => number, x: number): number {
      runs++;
      return f(x, x);
    });
    expect([apply(add, 2), apply(add, 2)]).toEqual([4, 4]);
    expect(runs).toBe(1);
  });
});

describe('memorious(fn) from plain JavaScript', () => {
  const dir = projectDir();
  const helper = (k: number): string => `function helper(x) { return x * ${k}; }\n`;
  const cjs = (k: number): string => `
const { memorious, Memorious } = require('funes');
const { basename } = require('node:path');
${helper(k)}
let runs = 0;
function scaled(x) { runs++; return helper(x); }
const cached = memorious(scaled);
const out = [cached(2), cached(2)];
console.log(JSON.stringify({ out, runs, version: basename(Memorious.locate(cached)) }));
`;

  test('CommonJS: cached across processes, and a module helper it reads retires old results when edited', () => {
    const env = { FUNES_CACHE_DIR: join(dir, 'cache') };
    writeFileSync(join(dir, 'main.js'), cjs(3));
    const run1 = runScript(dir, join(dir, 'main.js'), { env });
    expect(run1.stderr).not.toContain('FUNES_HIDDEN_DEPENDENCY');
    const first = lastJson<{ out: number[]; runs: number; version: string }>(run1);
    expect(first).toEqual(expect.objectContaining({ out: [6, 6], runs: 1 }));
    const again = lastJson<{ runs: number; version: string }>(runScript(dir, join(dir, 'main.js'), { env }));
    expect(again).toEqual(expect.objectContaining({ runs: 0, version: first.version }));
    writeFileSync(join(dir, 'main.js'), cjs(3).replace('function scaled(x) {', '// a comment\nfunction scaled(x) {'));
    expect(lastJson<{ version: string }>(runScript(dir, join(dir, 'main.js'), { env })).version).toBe(first.version);
    writeFileSync(join(dir, 'main.js'), cjs(4));
    const edited = lastJson<{ out: number[]; runs: number; version: string }>(runScript(dir, join(dir, 'main.js'), { env }));
    expect(edited).toEqual(expect.objectContaining({ out: [8, 8], runs: 1 }));
    expect(edited.version).not.toBe(first.version);
  });

  test('a function imported from another module is versioned by its compiled text, with a warning', () => {
    writeFileSync(join(dir, 'lib.js'), 'exports.triple = function triple(x) { return 3 * x; };\n');
    writeFileSync(
      join(dir, 'imported.js'),
      `const { memorious } = require('funes');\nconst { triple } = require('./lib');\nconsole.log(JSON.stringify(memorious(triple)(2)));\n`,
    );
    const result = runScript(dir, join(dir, 'imported.js'), { env: { FUNES_CACHE_DIR: join(dir, 'cache-imported') } });
    expect(lastJson(result)).toBe(6);
    expect(result.stderr).toMatch(/FUNES_HIDDEN_DEPENDENCY.*triple/);
  });

  test('an arrow given a name is versioned from its source; a name declared twice falls back with a warning', () => {
    const env = { FUNES_CACHE_DIR: join(dir, 'cache-arrow') };
    const arrow = (k: number): string => `const { memorious, Memorious } = require('funes');
const { basename } = require('node:path');
function rate(x) { return x * ${k}; }
const fit = memorious({ name: 'fit' })((lr) => rate(lr));
console.log(JSON.stringify({ out: fit(1), version: basename(Memorious.locate(fit)) }));
`;
    writeFileSync(join(dir, 'arrow.js'), arrow(2));
    const first = runScript(dir, join(dir, 'arrow.js'), { env });
    expect(first.stderr).not.toContain('FUNES_HIDDEN_DEPENDENCY');
    writeFileSync(join(dir, 'arrow.js'), arrow(3));
    const edited = lastJson<{ out: number; version: string }>(runScript(dir, join(dir, 'arrow.js'), { env }));
    expect(edited.out).toBe(3);
    expect(edited.version).not.toBe(lastJson<{ version: string }>(first).version);

    writeFileSync(
      join(dir, 'nested.js'),
      `const { memorious } = require('funes');
const K = 2;
function scale(x) { return x * K; }
function make(K) { function scale(x) { return x * K; } return memorious(scale); }
console.log(JSON.stringify(make(Number(process.argv[2]))(1)));
`,
    );
    const nestedEnv = { FUNES_CACHE_DIR: join(dir, 'cache-nested') };
    const three = runScript(dir, join(dir, 'nested.js'), { env: nestedEnv, args: ['3'] });
    expect(lastJson(three)).toBe(3);
    expect(three.stderr).toContain('FUNES_HIDDEN_DEPENDENCY');
  });

  test('two functions of one name with different code are warned about; the same code loaded twice is not', () => {
    const env = { FUNES_CACHE_DIR: join(dir, 'cache-clash') };
    const fitModule = (k: number): string => `const { memorious } = require('funes');\nexports.fit = memorious(function fit(x) { return x * ${k}; });\n`;
    writeFileSync(join(dir, 'fit-a.js'), fitModule(2));
    writeFileSync(join(dir, 'fit-b.js'), fitModule(3));
    writeFileSync(join(dir, 'fit-c.js'), fitModule(2));
    const main = (other: string): string => `const { Memorious } = require('funes');
const a = require('./fit-a').fit;
const b = require('./${other}').fit;
console.log(JSON.stringify({ out: [a(1), b(1)], sameFolder: require('node:path').dirname(Memorious.locate(a)) === require('node:path').dirname(Memorious.locate(b)) }));
`;
    writeFileSync(join(dir, 'clash.js'), main('fit-b'));
    const clash = runScript(dir, join(dir, 'clash.js'), { env });
    expect(lastJson(clash)).toEqual({ out: [2, 3], sameFolder: true });
    expect(clash.stderr).toMatch(/\[FUNES_NAME_CLASH\] FunesWarning: fit: another memorized function of this name \(.*fit-a\.js:2\) has another version/);
    expect(clash.stderr).toContain("memorious({ name: '...' })(fn)");
    expect(clash.stderr.match(/FUNES_NAME_CLASH/g)).toHaveLength(1);

    writeFileSync(join(dir, 'twins.js'), main('fit-c'));
    const twins = runScript(dir, join(dir, 'twins.js'), { env });
    expect(lastJson(twins)).toEqual({ out: [2, 2], sameFolder: true });
    expect(twins.stderr).not.toContain('FUNES_NAME_CLASH');

    writeFileSync(join(dir, 'fit-d.js'), fitModule(3).replace('memorious(function', "memorious({ name: 'fit3' })(function"));
    writeFileSync(join(dir, 'named.js'), main('fit-d'));
    const apart = runScript(dir, join(dir, 'named.js'), { env });
    expect(lastJson(apart)).toEqual({ out: [2, 3], sameFolder: false });
    expect(apart.stderr).not.toContain('FUNES_NAME_CLASH');
  });

  test('two functions of one name in two MemoryStores share nothing, and are not warned about', () => {
    writeFileSync(
      join(dir, 'memory-twins.js'),
      `const { memorious, MemoryStore } = require('funes');
const a = memorious({ store: new MemoryStore() })(function run(x) { return x + 1; });
const b = (() => memorious({ store: new MemoryStore() })(function run(x) { return x + 2; }))();
console.log(JSON.stringify([a(1), b(1)]));
`,
    );
    const result = runScript(dir, join(dir, 'memory-twins.js'));
    expect(lastJson(result)).toEqual([2, 3]);
    expect(result.stderr).not.toContain('FUNES_NAME_CLASH');
  });

  test('two classes of one name whose method differs are warned about', () => {
    const env = { FUNES_CACHE_DIR: join(dir, 'cache-class-clash') };
    const labModule = (k: number): string => `const { memorious } = require('funes');
class Lab { fit(x) { return x * ${k}; } }
const d = Object.getOwnPropertyDescriptor(Lab.prototype, 'fit');
memorious(Lab.prototype, 'fit', d);
Object.defineProperty(Lab.prototype, 'fit', d);
exports.Lab = Lab;
`;
    writeFileSync(join(dir, 'lab-a.js'), labModule(2));
    writeFileSync(join(dir, 'lab-b.js'), labModule(3));
    writeFileSync(
      join(dir, 'labs.js'),
      `const A = require('./lab-a').Lab, B = require('./lab-b').Lab;\nconsole.log(JSON.stringify([new A().fit(1), new B().fit(1)]));\n`,
    );
    const result = runScript(dir, join(dir, 'labs.js'), { env });
    expect(lastJson(result)).toEqual([2, 3]);
    expect(result.stderr).toMatch(/FUNES_NAME_CLASH.*Lab\.fit: another memorized method of this name .* rename one of the classes/);
  });

  test('ES modules: import { memorious } from "funes"', () => {
    const env = { FUNES_CACHE_DIR: join(dir, 'cache-esm') };
    writeFileSync(
      join(dir, 'main.mjs'),
      `import { memorious } from 'funes';
let runs = 0;
const add = memorious(function add(a, b) { runs++; return a + b; });
console.log(JSON.stringify({ out: [add(1, 2), add(1, 2)], runs }));
`,
    );
    expect(lastJson(runScript(dir, join(dir, 'main.mjs'), { env }))).toEqual({ out: [3, 3], runs: 1 });
    expect(lastJson(runScript(dir, join(dir, 'main.mjs'), { env }))).toEqual({ out: [3, 3], runs: 0 });
  });
});
