import { createServer, connect, type Server, type Socket } from 'node:net';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { format } from 'node:util';
import debug from 'debug';
import { FunesError, keyOf, memorious, Memorious } from '../src';
import { log } from '../src/log';
import { filesUnder, tempCache } from './helpers/cache';
import { expectWarnings } from './helpers/quiet-warnings';
// Warnings this file provokes: its memorized code reads test-local counters, which no version can see; it keys large values on purpose; it passes inputs v8 cannot store on purpose.
expectWarnings('FUNES_HIDDEN_DEPENDENCY', 'FUNES_SLOW_KEY', 'FUNES_UNSERIALIZABLE_INPUT');

const cache = tempCache();

/** Warnings emitted while `body` runs, by code. */
function warningsDuring(body: () => void): { code: string; message: string }[] {
  const seen: { code: string; message: string }[] = [];
  const spy = jest.spyOn(process, 'emitWarning').mockImplementation((message, options) => {
    seen.push({ code: String((options as { code?: string } | undefined)?.code), message: String(message) });
  });
  try {
    body();
  } finally {
    spy.mockRestore();
  }
  return seen;
}

function refusal(body: () => unknown): FunesError {
  try {
    body();
  } catch (error) {
    expect(error).toBeInstanceOf(FunesError);
    expect((error as FunesError).code).toBe('FUNES_UNHASHABLE');
    return error as FunesError;
  }
  throw new Error('expected FUNES_UNHASHABLE');
}

let runs = 0;
class Take {
  @memorious
  take(value: unknown): number {
    void value;
    return ++runs;
  }
}
const taker = new Take();

/** Whether the second value is served the first one's record (each miss returns a new number). */
function sameKey(a: unknown, b: unknown): boolean {
  const first = taker.take(a);
  return taker.take(b) === first;
}

describe('strings', () => {
  test('every distinct string has its own key: lone surrogates are not U+FFFD', () => {
    const all = ['\uD800', '\uDC00', '\uFFFD', '\uD83D', '\uDE00', '\uD83D\uDE00', '?', 'a\uD800', 'a\uFFFD'];
    const results = all.map((s) => taker.take(s));
    expect(new Set(results).size).toBe(all.length);
    expect(all.map((s) => taker.take(s))).toEqual(results);
  });
});

describe('class instances', () => {
  class Point {
    constructor(
      readonly x: number,
      readonly y: number,
    ) {}
  }

  test('key by class and own data, non-enumerable properties included', () => {
    expect(sameKey(new Point(1, 2), new Point(1, 2))).toBe(true);
    expect(sameKey(new Point(1, 2), new Point(1, 3))).toBe(false);
    const hidden = (v: number): Point => Object.defineProperty(new Point(1, 2), 'scale', { value: v, enumerable: false });
    expect(sameKey(hidden(1), hidden(1))).toBe(true);
    expect(sameKey(hidden(1), hidden(2))).toBe(false);
    expect(sameKey(new Point(5, 5), { x: 5, y: 5 })).toBe(false);
  });

  test('a comment or reformatting in the class keeps the key; a code change does not', () => {
    const make = (body: string): { new (): object } => new Function(`return class Cfg { constructor() { this.a = 1; } ${body}\n}`)();
    const plain = make('get double() { return this.a * 2; }');
    const commented = make('/* twice a */\n  get   double()   { return this.a * 2; }   // done');
    const changed = make('get double() { return this.a * 3; }');
    expect(sameKey(new plain(), new commented())).toBe(true);
    expect(sameKey(new plain(), new changed())).toBe(false);
  });

  test('#private fields are refused, naming the path and the ways out', () => {
    class Secret {
      #value: number;
      constructor(v: number) {
        this.#value = v;
      }
      get value(): number {
        return this.#value;
      }
    }
    const error = refusal(() => taker.take({ params: new Secret(1) }));
    expect(error.message).toMatch(/args\.value\.params is an instance of Secret, whose class Secret keeps private state/);
    expect(error.message).toMatch(/keyOf/);
    expect(error.message).toMatch(/ignore/);
    expect(error.message).toMatch(/ignoreThis/);
    expect(error.message).toMatch(/key:/);
  });

  test('state held in a closure is refused: the function that holds it names its path', () => {
    class Counter {
      read: () => number;
      constructor(start: number) {
        const n = start;
        this.read = () => n;
      }
    }
    const error = refusal(() => taker.take(new Counter(1)));
    expect(error.message).toMatch(/args\.value\.read is a function, and it reads n from outside itself/);
  });

  test('subclasses of built-ins keep both the built-in content and their own fields', () => {
    class Tagged extends Array<number> {
      tag = '';
    }
    const tagged = (tag: string, ...xs: number[]): Tagged => Object.assign(Tagged.from(xs) as Tagged, { tag });
    expect(sameKey(tagged('a', 1, 2), tagged('a', 1, 2))).toBe(true);
    expect(sameKey(tagged('a', 1, 2), tagged('b', 1, 2))).toBe(false);
    expect(sameKey(tagged('a', 1, 2), tagged('a', 1, 3))).toBe(false);
    expect(sameKey(tagged('a', 1, 2), [1, 2])).toBe(false);

    class Registry extends Map<string, number> {
      constructor(readonly owner: string) {
        super();
      }
    }
    const registry = (owner: string, n: number): Registry => new Registry(owner).set('k', n);
    expect(sameKey(registry('a', 1), registry('a', 1))).toBe(true);
    expect(sameKey(registry('a', 1), registry('b', 1))).toBe(false);
    expect(sameKey(registry('a', 1), registry('a', 2))).toBe(false);

    class Tags extends Set<string> {
      version = 1;
    }
    const tags = (version: number, ...xs: string[]): Tags => Object.assign(new Tags(xs), { version });
    expect(sameKey(tags(1, 'x'), tags(1, 'x'))).toBe(true);
    expect(sameKey(tags(1, 'x'), tags(2, 'x'))).toBe(false);
    expect(sameKey(tags(1, 'x'), tags(1, 'y'))).toBe(false);
  });

  test("an array's own properties count: a RegExp match's index", () => {
    const a = /b/.exec('abc')!;
    const b = /b/.exec('bcd')!;
    expect([...a]).toEqual([...b]);
    expect(sameKey(a, b)).toBe(false);
    expect(sameKey(/b/.exec('abc'), /b/.exec('abc'))).toBe(true);
    const big = (extra: number): number[] => Object.assign(Array.from({ length: 1000 }, (_, i) => i), { extra });
    expect(sameKey(big(1), big(1))).toBe(true);
    expect(sameKey(big(1), big(2))).toBe(false);
    expect(sameKey(big(1), Array.from({ length: 1000 }, (_, i) => i))).toBe(false);
  });

  test("an Error keys by name, message and its own properties: HttpError(404) is not served HttpError(500)'s result", () => {
    class HttpError extends Error {
      constructor(readonly status: number) {
        super('request failed');
        this.name = 'HttpError';
      }
    }
    expect(sameKey(new HttpError(404), new HttpError(404))).toBe(true);
    expect(sameKey(new HttpError(404), new HttpError(500))).toBe(false);
    const coded = (code: string): Error => Object.assign(new Error('io'), { code });
    expect(sameKey(coded('ENOENT'), coded('ENOENT'))).toBe(true);
    expect(sameKey(coded('ENOENT'), coded('EACCES'))).toBe(false);
    expect(sameKey(new Error('a'), new Error('b'))).toBe(false);
    expect(sameKey(new TypeError('a'), new RangeError('a'))).toBe(false);
  });

  test('inside instances, strings cannot forge -0 or binary data, holes stay holes, and a shared sub-object equals a copy', () => {
    class Box {
      constructor(readonly v: unknown) {}
    }
    expect(sameKey(new Box(-0), new Box(0))).toBe(false);
    expect(sameKey(new Box(-0), new Box('\u0000-0'))).toBe(false);
    expect(sameKey(new Box(-0), new Box(-0))).toBe(true);
    const bytes = new Uint8Array([1, 2, 3]);
    expect(sameKey(new Box(bytes), new Box(new Uint8Array([1, 2, 3])))).toBe(true);
    expect(sameKey(new Box(bytes), new Box(`B Uint8Array:3`))).toBe(false);
    // eslint-disable-next-line no-sparse-arrays
    expect(sameKey(new Box([1, , 3]), new Box([1, undefined, 3]))).toBe(false);
    const inner = { lr: 0.1 };
    expect(sameKey(new Box([inner, inner]), new Box([{ lr: 0.1 }, { lr: 0.1 }]))).toBe(true);
  });
});

describe('a class can say what identifies it: [keyOf]()', () => {
  class Dataset {
    #rows: Float64Array;
    constructor(
      readonly id: string,
      readonly rev: number,
      size: number,
    ) {
      this.#rows = new Float64Array(size).fill(rev);
    }
    get rows(): Float64Array {
      return this.#rows;
    }
    [keyOf](): unknown {
      return { id: this.id, rev: this.rev };
    }
  }

  test('as an argument: only what it returns counts, private state and size aside', () => {
    expect(sameKey(new Dataset('d', 1, 10), new Dataset('d', 1, 99))).toBe(true);
    expect(sameKey(new Dataset('d', 1, 10), new Dataset('d', 2, 10))).toBe(false);
    expect(sameKey(new Dataset('d', 1, 10), { id: 'd', rev: 1 })).toBe(false);
  });

  test('as this: the instance keys by what it returns', () => {
    let fits = 0;
    class Model {
      #weights: number[];
      constructor(
        readonly name: string,
        weights: number[],
      ) {
        this.#weights = weights;
      }
      [keyOf](): unknown {
        return this.name;
      }
      @memorious
      predict(x: number): number {
        fits++;
        return x * (this.#weights[0] ?? 0);
      }
    }
    expect(new Model('m', [2]).predict(1)).toBe(2);
    expect(new Model('m', [2]).predict(1)).toBe(2);
    expect(new Model('n', [2]).predict(1)).toBe(2);
    expect(fits).toBe(2);
  });

  test('a [keyOf]() that throws is refused with its message', () => {
    class Broken {
      [keyOf](): unknown {
        throw new Error('not ready');
      }
    }
    expect(refusal(() => taker.take(new Broken())).message).toMatch(/args\.value has a \[keyOf\]\(\) method that threw \(not ready\)/);
  });
});

describe('live resources are refused, naming their path', () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer((s) => s.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('a socket held by an instance: this.db.socket', async () => {
    class Client {
      db: { socket: Socket };
      constructor(socket: Socket) {
        this.db = { socket };
      }
      @memorious
      query(q: string): string {
        return q;
      }
    }
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    try {
      const error = refusal(() => new Client(socket).query('x'));
      expect(error.message).toMatch(/this\.db\.socket is a stream or socket, a live resource/);
      expect(error.message).toMatch(/ignoreThis/);
    } finally {
      socket.destroy();
    }
  });

  test('a file handle as an argument', async () => {
    const handle = await open(__filename, 'r');
    try {
      expect(refusal(() => taker.take({ file: handle })).message).toMatch(/args\.value\.file is a file handle/);
    } finally {
      await handle.close();
    }
  });

  test('a server as an argument', () => {
    expect(refusal(() => taker.take(server)).message).toMatch(/args\.value is a server/);
  });
});

describe('inputs that cannot be stored', () => {
  test('the output is stored, the input keeps a readable placeholder, and the warning names the parameter', () => {
    let computed = 0;
    class Logged {
      @memorious({ ignore: ['logger'] })
      sum(a: number, b: number, logger: { log: (s: string) => void }): number {
        computed++;
        logger.log('sum');
        return a + b;
      }
    }
    const logger = { log: function log(): void {} };
    const lab = new Logged();
    const warnings = warningsDuring(() => {
      expect(lab.sum(1, 2, logger)).toBe(3);
      expect(lab.sum(1, 2, logger)).toBe(3);
    });
    expect(computed).toBe(1);
    const warned = warnings.filter((w) => w.code === 'FUNES_UNSERIALIZABLE_INPUT');
    expect(warned).toHaveLength(1);
    expect(warned[0]!.message).toMatch(/argument 'logger'/);
    expect(warned[0]!.message).toMatch(/\[Function log\]/);
    expect(warnings.filter((w) => w.code === 'FUNES_UNSERIALIZABLE')).toHaveLength(0);
    const [record] = Memorious.loadCachedResults(lab.sum);
    expect(record!.input).toEqual({ a: 1, b: 2, logger: { log: '[Function log]' } });
    expect(record!.output).toBe(3);
  });

  test('a Symbol argument left out of the key is kept as its description', () => {
    class Tagged {
      @memorious({ ignore: ['tag'] })
      id(x: number, tag: symbol): number {
        void tag;
        return x;
      }
    }
    const t = new Tagged();
    warningsDuring(() => t.id(1, Symbol('run')));
    expect(Memorious.loadCachedResults(t.id)[0]!.input).toEqual({ x: 1, tag: '[Symbol(run)]' });
  });
});

describe('binding arguments', () => {
  test('trailing undefined beyond the declared parameters does not change the key', () => {
    let calls = 0;
    class Pair {
      @memorious
      f(a: number, b?: number): number {
        calls++;
        return a + (b ?? 0);
      }
    }
    const p = new Pair();
    const f = p.f as (...args: unknown[]) => number;
    f.call(p, 1, 2);
    f.call(p, 1, 2, undefined);
    f.call(p, 1, 2, undefined, undefined);
    f.call(p, 1, undefined);
    f.call(p, 1);
    expect(calls).toBe(1 + 1);
    f.call(p, 1, 2, undefined, 4);
    expect(calls).toBe(3);
  });

  test("a destructured options parameter's literal defaults are filled in, and its properties can be ignored by name", () => {
    let calls = 0;
    class Opts {
      @memorious
      f(a: number, b: number, { kw1 = 'x', kw2 = 'y' }: { kw1?: unknown; kw2?: unknown } = {}): string {
        calls++;
        return `${a}${b}${String(kw1)}${String(kw2)}`;
      }

      @memorious({ ignore: ['kw2'] })
      g(a: number, { kw1 = 'x', kw2 = 'y' }: { kw1?: unknown; kw2?: unknown } = {}): string {
        calls++;
        return `${a}${String(kw1)}${String(kw2)}`;
      }
    }
    const o = new Opts();
    o.f(1, 2, { kw1: 3 });
    o.f(1, 2, { kw1: 3, kw2: 'y' });
    o.f(1, 2, { kw1: 3, kw2: undefined });
    expect(calls).toBe(1);
    o.f(1, 2);
    o.f(1, 2, {});
    o.f(1, 2, { kw1: 'x', kw2: 'y' });
    expect(calls).toBe(2);
    o.f(1, 2, { kw1: 3, kw2: 'z' });
    expect(calls).toBe(3);
    expect(Memorious.loadCachedResults(o.f).map((r) => r.input)).toContainEqual({ a: 1, b: 2, $2: { kw1: 3, kw2: 'y' } });

    o.g(1, { kw1: 3, kw2: 'a' });
    o.g(1, { kw1: 3, kw2: 'b' });
    expect(calls).toBe(4);
    o.g(1, { kw1: 4, kw2: 'b' });
    expect(calls).toBe(5);
  });

  test('ignore names a parameter or a property of a destructured one, else it is refused at decoration', () => {
    expect(() => {
      class Bad {
        @memorious({ ignore: ['kw9'] })
        f(a: number, { kw1 = 1 }: { kw1?: number } = {}): number {
          return a + kw1;
        }
      }
      void Bad;
    }).toThrow(/'kw9' is not a parameter of 'f', nor a property of a destructured one \(known: a, kw1\)/);
  });

  test("the record's input is the input as the call began, though the method changes it", () => {
    class Appender {
      @memorious
      push(list: number[]): number {
        list.push(99);
        return list.length;
      }
    }
    const a = new Appender();
    const list = [1, 2];
    expect(a.push(list)).toBe(3);
    expect(list).toEqual([1, 2, 99]);
    expect(Memorious.loadCachedResults(a.push)[0]!.input).toEqual({ list: [1, 2] });
  });
});

describe('slow keys are visible', () => {
  afterEach(() => Memorious.configure({ slowKey: undefined }));

  test('FUNES_SLOW_KEY gives the time and the largest part, once per method', () => {
    class Heavy {
      data = Array.from({ length: 200_000 }, (_, i) => i * 0.5);
      small = 1;
      @memorious
      total(scale: number): number {
        return this.data.length * scale;
      }
    }
    Memorious.configure({ slowKey: 0 });
    const h = new Heavy();
    const warnings = warningsDuring(() => {
      h.total(1);
      h.total(1);
      h.total(2);
    });
    const slow = warnings.filter((w) => w.code === 'FUNES_SLOW_KEY');
    expect(slow).toHaveLength(1);
    expect(slow[0]!.message).toMatch(/Heavy\.total: making the key of a call took [\d.]+ ms, over the 0 ms threshold; the largest part is this\.data \(1\.5 MB hashed\)/);
    expect(slow[0]!.message).toMatch(/keyOf/);
  });

  test('no warning under the threshold', () => {
    class Light {
      @memorious
      f(x: number): number {
        return x;
      }
    }
    Memorious.configure({ slowKey: '10s' });
    expect(warningsDuring(() => new Light().f(1)).filter((w) => w.code === 'FUNES_SLOW_KEY')).toHaveLength(0);
  });

  test('the threshold is checked like any duration', () => {
    expect(() => Memorious.configure({ slowKey: 'soon' })).toThrow(/slowKey/);
  });
});

describe('misses explained (DEBUG=funes)', () => {
  test('a miss whose arguments were stored under other instance state names the fields that differ', () => {
    class Named {
      constructor(readonly name: string) {}
      [keyOf](): unknown {
        return this.name;
      }
      @memorious
      fit(epochs: number): number {
        return epochs;
      }
    }
    class Run {
      startedAt = new Date();
      constructor(readonly lr: number) {}
      @memorious
      fit(epochs: number): number {
        return epochs * this.lr;
      }
    }
    const lines: string[] = [];
    const before = log.log;
    debug.enable('funes');
    log.log = (...args: unknown[]) => lines.push(format(...args));
    try {
      const first = new Run(0.1);
      first.fit(3);
      const second = new Run(0.1);
      second.startedAt = new Date(first.startedAt.getTime() + 1000);
      second.fit(3);
      new Named('a').fit(3);
      new Named('b').fit(3);
    } finally {
      debug.disable();
      log.log = before;
    }
    const explained = lines.filter((l) => l.includes('stored before under other instance state'));
    expect(explained).toHaveLength(2);
    expect(explained[1]).toMatch(/Named\.fit [0-9a-f]{64}: these arguments were stored before under other instance state; differs: this\[keyOf\]\(\)$/);
    expect(explained[0]).toMatch(/Run\.fit [0-9a-f]{64}: these arguments were stored before under other instance state; differs: this\.startedAt$/);
  });
});

afterAll(() => {
  expect(filesUnder(cache).every((f) => f.endsWith('.bin'))).toBe(true);
  void join;
});

describe('what an outsider tried', () => {
  test('private fields a compiler lowered (TypeScript below ES2022) are refused like #private', () => {
    const Lowered = new Function(`
      var __classPrivateFieldGet = (r, s) => s.get(r);
      var _M_w;
      class M { constructor(w) { _M_w.set(this, w); } get w() { return __classPrivateFieldGet(this, _M_w); } }
      _M_w = new WeakMap();
      return M;`)() as new (w: number) => object;
    expect(refusal(() => taker.take(new Lowered(1))).message).toMatch(/args\.value is an instance of M, whose class M keeps private state/);
  });

  test('two live classes of one name and code that read values from outside are refused; one alone is keyed', () => {
    const mk = (f: number) =>
      class Scaler {
        apply(x: number): number {
          return x * f;
        }
      };
    const Two = mk(2);
    expect(sameKey(new Two(), new Two())).toBe(true);
    const Three = mk(3);
    expect(refusal(() => taker.take(new Three())).message).toMatch(/args\.value is an instance of Scaler, and this process has another class of that name and code/);
    expect(refusal(() => taker.take(new Two())).code).toBe('FUNES_UNHASHABLE');
  });

  test("a static method keys by the static fields of its class and of those it extends; static #private is refused", () => {
    let runs = 0;
    class Base {
      static scale = 1;
      @memorious
      static f(x: number): number {
        runs++;
        return x * this.scale;
      }
    }
    class Sub extends Base {}
    expect(Sub.f(1)).toBe(1);
    Base.scale = 7;
    expect(Sub.f(1)).toBe(7);
    expect(runs).toBe(2);
    expect(Sub.f(1)).toBe(7);
    expect(runs).toBe(2);

    class Hidden {
      static #mode = 'a';
      static set(mode: string): void {
        Hidden.#mode = mode;
      }
      @memorious
      static g(x: number): string {
        return Hidden.#mode + x;
      }
    }
    expect(refusal(() => Hidden.g(1)).message).toMatch(/this is the class Hidden, and Hidden declares static #private fields/);
  });

  test('a class passed as a value keys by its code and its static fields', () => {
    class Cfg {
      static lr = 0.1;
    }
    const first = taker.take(Cfg);
    expect(taker.take(Cfg)).toBe(first);
    Cfg.lr = 0.5;
    expect(taker.take(Cfg)).not.toBe(first);
  });

  test('a function reading process or globalThis is refused; one reading only Math is keyed', () => {
    const env = new Function('return (x) => x * Number(process.env.SCALE ?? 1)')() as (x: number) => number;
    expect(refusal(() => taker.take(env)).message).toMatch(/args\.value is a function, and it reads process from outside itself/);
    const pure = new Function('return (x) => Math.sqrt(x)')() as (x: number) => number;
    warningsDuring(() => expect(sameKey(pure, new Function('return (x) => Math.sqrt(x)')())).toBe(true));
  });

  test("an arrow class field reading its instance's this is keyed with the instance; a string saying 'this' is no read of it", () => {
    class Mul {
      mul = (x: number): number => x * this.k;
      constructor(readonly k: number) {}
    }
    warningsDuring(() => {
      expect(sameKey(new Mul(2), new Mul(2))).toBe(true);
      expect(sameKey(new Mul(2), new Mul(3))).toBe(false);
      const says = new Function("return () => 'this is fine'")();
      expect(sameKey({ f: says }, { f: new Function("return () => 'this is fine'")() })).toBe(true);
    });
    const stray = new Function('return function () { return () => this; }')().call({});
    expect(refusal(() => taker.take(stray)).message).toMatch(/reads the `this` it was created under/);
  });

  test('a destructured parameter binds a class instance by what it reads, and ...rest keeps symbols and undefined', () => {
    let calls = 0;
    class Opts {
      @memorious({ ignore: ['kw2'] })
      kwi(a: number, { kw1 = 'x', kw2 = 'y' }: { kw1?: unknown; kw2?: unknown } = {}): string {
        calls++;
        return `${a}${String(kw1)}${String(kw2)}`;
      }

      @memorious
      rest(a: number, { kw1 = 1, ...others }: Record<string | symbol, unknown> = {}): number {
        calls++;
        return a + Number(kw1) + Reflect.ownKeys(others).length;
      }
    }
    class A {
      get kw1(): string {
        return 'A';
      }
    }
    class B {
      get kw1(): string {
        return 'B';
      }
    }
    const o = new Opts();
    expect(o.kwi(1, new A())).toBe('1Ay');
    expect(o.kwi(1, new B())).toBe('1By');
    expect(calls).toBe(2);
    expect(o.rest(1, {})).toBe(2);
    expect(o.rest(1, { b: undefined })).toBe(3);
    expect(o.rest(1, { [Symbol.for('s')]: 1 })).toBe(3);
    expect(calls).toBe(5);
    expect(o.rest(1, { kw1: 1 })).toBe(2);
    expect(calls).toBe(5);
  });

  test('accessor fields keep their value in private storage: refused like #private', () => {
    class Rate {
      accessor lr = 0.1;
    }
    expect(refusal(() => taker.take(new Rate())).message).toMatch(/args\.value is an instance of Rate, whose class Rate keeps private state/);
  });

  test('a [keyOf]() returning something that holds the instance is refused', () => {
    class Loop {
      [keyOf](): unknown {
        return [this];
      }
    }
    expect(refusal(() => taker.take(new Loop())).message).toMatch(/is the instance whose \[keyOf\]\(\) is being keyed/);
  });

  test('an object made from another object (Object.create) keys by what its prototype holds', () => {
    const make = (rate: number): object => Object.create(Object.create(null, { rate: { value: rate } }));
    expect(sameKey(make(1), make(1))).toBe(true);
    expect(sameKey(make(1), make(2))).toBe(false);
  });

  test('a built-in whose prototype was swapped keys by its content', () => {
    const bare = (entries: [number, number][]): Map<number, number> => Object.setPrototypeOf(new Map(entries), null);
    expect(sameKey(bare([[1, 2]]), bare([[1, 2]]))).toBe(true);
    expect(sameKey(bare([[1, 2]]), bare([[3, 4]]))).toBe(false);
    expect(sameKey(Object.setPrototypeOf([1, 2], null), { 0: 1, 1: 2, length: 2 })).toBe(false);
    expect(sameKey(Object.setPrototypeOf(new Date(1), Object.prototype), Object.setPrototypeOf(new Date(2), Object.prototype))).toBe(false);
  });

  test('Symbol() and Symbol("") are different inputs; iterators are refused', () => {
    expect(sameKey(Symbol(), Symbol(''))).toBe(false);
    expect(refusal(() => taker.take([1, 2].values())).message).toMatch(/is an iterator/);
  });

  test('a slow [keyOf]() is named by FUNES_SLOW_KEY', () => {
    class Slow {
      [keyOf](): unknown {
        const end = performance.now() + 5;
        while (performance.now() < end);
        return 'slow';
      }
      @memorious
      f(x: number): number {
        return x;
      }
    }
    Memorious.configure({ slowKey: 1 });
    try {
      const slow = warningsDuring(() => new Slow().f(1)).filter((w) => w.code === 'FUNES_SLOW_KEY');
      expect(slow).toHaveLength(1);
      expect(slow[0]!.message).toMatch(/ms of it in \[keyOf\]\(\) methods/);
    } finally {
      Memorious.configure({ slowKey: undefined });
    }
  });

  test('an ignored parameter holding the process is kept as a short placeholder, not a copy of the environment', () => {
    process.env.FUNES_TEST_SECRET = 'do-not-store-me';
    class Proc {
      @memorious({ ignore: ['ctx'] })
      f(x: number, ctx: { proc: NodeJS.Process }): number {
        void ctx;
        return x;
      }
    }
    const p = new Proc();
    warningsDuring(() => p.f(1, { proc: process }));
    const input = Memorious.loadCachedResults(p.f)[0]!.input as { ctx: { proc: unknown } };
    expect(typeof input.ctx.proc === 'object' && input.ctx.proc !== null).toBe(true);
    expect(JSON.stringify(input)).not.toContain('do-not-store-me');
    delete process.env.FUNES_TEST_SECRET;
  });
});

describe('what a second outsider tried', () => {
  test('state kept in a WeakMap keyed by the instance is refused', () => {
    const Counter = new Function(`
      const _n = new WeakMap();
      return class Counter { constructor(n) { _n.set(this, n); } get n() { return _n.get(this); } };`)() as new (n: number) => object;
    expect(refusal(() => taker.take(new Counter(1))).message).toMatch(/args\.value is an instance of Counter, whose class Counter keeps private state/);
  });

  test("what a function keeps on itself counts; a function's own [keyOf]() is used", () => {
    const loss = new Function('return function loss(x) { return x * loss.k; }')() as ((x: number) => number) & { k: number };
    warningsDuring(() => {
      loss.k = 1;
      const first = taker.take(loss);
      loss.k = 2;
      expect(taker.take(loss)).not.toBe(first);
    });
    const prng = Object.assign(() => 0.5, { [keyOf]: () => ({ seed: 7 }) });
    expect(sameKey(prng, Object.assign(() => 0.25, { [keyOf]: () => ({ seed: 7 }) }))).toBe(true);
  });

  test('a Proxy is refused, saying so; a function refusal offers the ways out a function has', () => {
    expect(refusal(() => taker.take(new Proxy({ a: 1 }, {}))).message).toMatch(/args\.value is a Proxy/);
    const k = 2;
    const message = refusal(() => taker.take((x: number) => x * k)).message;
    expect(message).toMatch(/pass the data it depends on instead/);
    expect(message).not.toMatch(/keyOf/);
  });

  test('many instances of a large class key by a digest of the class, not its source each time', () => {
    const body = Array.from({ length: 200 }, (_, i) => `m${i}(x) { return x + ${i}; }`).join('\n');
    const Big = new Function(`return class Big { constructor(a) { this.a = a; } ${body} }`)() as new (a: number) => object;
    const many = (n: number): object[] => Array.from({ length: 60_000 }, (_, i) => new Big(i === 59_999 ? n : i));
    expect(sameKey(many(1), many(1))).toBe(true);
    expect(sameKey(many(1), many(2))).toBe(false);
  });
});
