import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { memorious, Memorious, type MemoriousOptions } from '../src';
import { currentVersion, tempCache } from './helpers/cache';
import { lastJson, projectDir, runScript, writeScript } from './helpers/child';
import { expectWarnings } from './helpers/quiet-warnings';
// Warnings this file provokes: its memorized code reads test-local counters, which no version can see.
expectWarnings('FUNES_HIDDEN_DEPENDENCY');
// One method in several versions is made by declaring its class more than once.
expectWarnings('FUNES_NAME_CLASH');

// ts-jest reformats the source it compiles, so classes whose exact text matters are
// built from JavaScript strings and decorated by hand, in the legacy form (which
// `memorious` accepts in both jest projects).
type Cls = { prototype: Record<string, (...args: unknown[]) => unknown> };

/** Evaluates `source` (which must evaluate to a class) with `deps` in scope. */
function build(source: string, deps: Record<string, unknown> = {}): Cls {
  return new Function(...Object.keys(deps), `return (${source});`)(...Object.values(deps)) as Cls;
}

function decorate(C: Cls, name: string, options?: MemoriousOptions): void {
  const d = Object.getOwnPropertyDescriptor(C.prototype, name)!;
  if (options) memorious(options)(C.prototype, name, d);
  else memorious(C.prototype, name, d);
  Object.defineProperty(C.prototype, name, d);
}

/** The version hash of `method` (default `m`) of the class in `source`, with `decorated` methods memorious. */
function version(
  source: string,
  opts: { method?: string; decorated?: Record<string, MemoriousOptions | undefined>; deps?: Record<string, unknown> } = {},
): string {
  const C = build(source, opts.deps);
  const method = opts.method ?? 'm';
  for (const [name, options] of Object.entries(opts.decorated ?? { [method]: undefined })) decorate(C, name, options);
  // One call first: see the test 'locate answers right after the decorator is applied'.
  const lab = new (C as unknown as new () => Record<string, (x: number) => unknown>)();
  lab[method]!(1);
  return basename(Memorious.locate(C.prototype[method]!));
}

describe('the version hash', () => {
  tempCache();
  const base = version('class Lab { m(x) { return x + 1; } }');

  test('locate answers right after the decorator is applied (the legacy form is given the class)', () => {
    const C = build('class Fresh { m(x) { return x + 1; } }');
    decorate(C, 'm');
    expect(basename(Memorious.locate(C.prototype.m!))).toBe(base);
  });

  test('is a hex hash, stable for the same source, and does not include the class name', () => {
    expect(base).toMatch(/^[0-9a-f]+$/);
    expect(version('class Lab { m(x) { return x + 1; } }')).toBe(base);
    expect(version('class Other { m(x) { return x + 1; } }')).toBe(base);
  });

  test.each([
    ['a changed operand', 'class Lab { m(x) { return x + 2; } }'],
    ['a changed operator', 'class Lab { m(x) { return x - 1; } }'],
    ['a renamed parameter', 'class Lab { m(y) { return y + 1; } }'],
    ['an added statement', 'class Lab { m(x) { x = x * 2; return x + 1; } }'],
    ['a changed string literal', "class Lab { m(x) { return x + '1'; } }"],
  ])('changes with %s', (_what, source) => {
    expect(version(source)).not.toBe(base);
  });

  test.each([
    ['a line comment', 'class Lab { m(x) { // add one\n return x + 1; } }'],
    ['a block comment', 'class Lab { m(x) { /* the successor */ return x /* of x */ + 1; } }'],
    ['a doc comment inside the body', 'class Lab { m(x) {\n  /**\n   * one more\n   */\n  return x + 1;\n} }'],
    ['reindentation', 'class Lab {\n    m( x ) {\n\t\treturn   x+1 ;\n    }\n}'],
    ['line breaks', 'class Lab { m(x)\n{\nreturn x\n+\n1;\n} }'],
  ])('does not change with %s', (_what, source) => {
    expect(version(source)).toBe(base);
  });

  test('whitespace inside a string literal is data, and changes it', () => {
    const a = version("class Lab { m(x) { return x + 'a b'; } }");
    const b = version("class Lab { m(x) { return x + 'a  b'; } }");
    expect(a).not.toBe(b);
  });

  describe('follows what the method reaches', () => {
    const plain = (helper: string): string =>
      version(`class Lab { helper(x) { ${helper} } m(x) { return this.helper(x) + 1; } }`);

    test('a plain method of the same class called through this', () => {
      const v1 = plain('return x * 2;');
      expect(plain('return x * 2; // doubled\n')).toBe(v1);
      expect(plain('return x * 3;')).not.toBe(v1);
    });

    test("a plain method reached as this['name']", () => {
      const v = (k: number): string =>
        version(`class Lab { helper(x) { return x * ${k}; } m(x) { return this['helper'](x); } }`);
      expect(v(2)).not.toBe(v(3));
    });

    test('a getter read through this', () => {
      const v = (k: number): string => version(`class Lab { get factor() { return ${k}; } m(x) { return this.factor * x; } }`);
      expect(v(2)).not.toBe(v(3));
    });

    test('a memorious method called through this, and its version option', () => {
      const v = (body: string, inner?: MemoriousOptions): string =>
        version(`class Lab { inner(x) { ${body} } m(x) { return this.inner(x) + 1; } }`, { decorated: { m: undefined, inner } });
      const v1 = v('return x * 2;');
      expect(v('return x * 2; /* same */')).toBe(v1);
      expect(v('return x * 3;')).not.toBe(v1);
      expect(v('return x * 2;', { version: 2 })).not.toBe(v1);
      expect(v('return x * 2;', { version: 3 })).not.toBe(v('return x * 2;', { version: 2 }));
    });

    test('what a called memorious method itself reaches (transitively)', () => {
      const v = (k: number): string =>
        version(
          `class Lab { leaf(x) { return x * ${k}; } inner(x) { return this.leaf(x); } m(x) { return this.inner(x) + 1; } }`,
          { decorated: { m: undefined, inner: undefined } },
        );
      expect(v(2)).not.toBe(v(3));
    });

    test('a function listed in dependsOn', () => {
      const v = (src: string): string => {
        const scale = build(src);
        return version('class Lab { m(x) { return scale(x); } }', {
          deps: { scale },
          decorated: { m: { dependsOn: [scale as unknown as Function] } },
        });
      };
      const v1 = v('function scale(x) { return x * 2; }');
      expect(v('function scale(x) { /* twice */ return x * 2; }')).toBe(v1);
      expect(v('function scale(x) { return x * 3; }')).not.toBe(v1);
      // Without dependsOn the helper is not followed, which is what the option is for.
      expect(v1).not.toBe(version('class Lab { m(x) { return scale(x); } }', { deps: { scale: () => 0 } }));
    });
  });

  test('changes with the version option, and a string differs from the number', () => {
    const src = 'class Lab { m(x) { return x + 1; } }';
    const v1 = version(src, { decorated: { m: { version: 1 } } });
    const v2 = version(src, { decorated: { m: { version: 2 } } });
    const s1 = version(src, { decorated: { m: { version: '1' } } });
    expect(new Set([base, v1, v2, s1]).size).toBe(4);
    expect(version(src, { decorated: { m: { version: 1 } } })).toBe(v1);
  });

  test('methods that call each other in a cycle get a version, and work', () => {
    const src = (k: number): string =>
      `class Lab { a(n) { return n <= 0 ? ${k} : this.b(n - 1); } b(n) { return n <= 0 ? 0 : this.a(n - 1) + 1; } m(n) { return this.a(n); } }`;
    const C = build(src(7));
    for (const name of ['a', 'b', 'm']) decorate(C, name);
    const lab = new (C as unknown as new () => Record<string, (n: number) => number>)();
    expect(lab.m!(4)).toBe(9);
    const vb = basename(Memorious.locate(C.prototype.b!));
    expect(basename(Memorious.locate(C.prototype.a!))).toMatch(/^[0-9a-f]+$/);
    // An edit anywhere on the cycle reaches every member of it.
    const changed = version(src(8), { method: 'b', decorated: { a: undefined, b: undefined } });
    expect(changed).not.toBe(vb);
  });
});

// One script, run in fresh processes: the same source must give the same version, and
// an edited body must give a new one whose results are computed again.
const script = (body: string): string => `
import { appendFileSync } from 'node:fs';
import { basename } from 'node:path';
import { memorious, Memorious } from 'funes';

class Lab {
  @memorious
  step(x: number): number {
    appendFileSync('runs.log', 'step ' + x + '\\n');
    ${body}
  }
}

const lab = new Lab();
const outputs = [1, 2, 3].map((x) => lab.step(x));
console.log(JSON.stringify({ outputs, version: basename(Memorious.locate(lab.step)) }));
`;

describe('versions across processes', () => {
  const dir = projectDir();
  const runs = (): number => (existsSync(join(dir, 'runs.log')) ? readFileSync(join(dir, 'runs.log'), 'utf8').trim().split('\n').length : 0);
  const run = (body: string): { outputs: number[]; version: string } => {
    const file = writeScript(dir, 'lab', script(body));
    return lastJson(runScript(dir, file));
  };

  test('the same script gives the same version and is served from disk', () => {
    const first = run('return x * 10;');
    expect(first.outputs).toEqual([10, 20, 30]);
    expect(runs()).toBe(3);
    const second = run('return x * 10;');
    expect(second).toEqual(first);
    expect(runs()).toBe(3);
  });

  test('a comment added to the body keeps the version and the results', () => {
    const before = run('return x * 10;');
    const after = run('// scale by ten\n    return x * 10;');
    expect(readFileSync(join(dir, 'lab.js'), 'utf8')).toContain('// scale by ten');
    expect(after.version).toBe(before.version);
    expect(runs()).toBe(3);
  });

  test('an edited body gives a new version directory, and old results are not served', () => {
    const old = run('return x * 10;').version;
    const edited = run('return x * 100;');
    expect(edited.version).not.toBe(old);
    expect(edited.outputs).toEqual([100, 200, 300]);
    expect(runs()).toBe(6);
    const methodDir = join(dir, 'cache', 'Lab.step');
    expect(readdirSync(methodDir).sort()).toEqual([old, edited.version].sort());
    // The version folder the program used last says so.
    expect(currentVersion(methodDir)).toBe(edited.version);
    // Going back to the old body finds the old version's results again.
    expect(run('return x * 10;').outputs).toEqual([10, 20, 30]);
    expect(runs()).toBe(6);
  });
});
