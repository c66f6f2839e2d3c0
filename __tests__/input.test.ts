import { Memorious, memorious, withSeed } from '../src';
import { filesUnder, tempCache } from './helpers/cache';
import { expectWarnings } from './helpers/quiet-warnings';
// Warnings this file provokes: its memorized code reads test-local counters, which no version can see.
expectWarnings('FUNES_HIDDEN_DEPENDENCY');

const cache = tempCache();

/** Calls a method with arguments its signature does not admit (surplus ones, a seed object). */
function callLoosely(obj: object, method: Function, ...args: unknown[]): unknown {
  return method.apply(obj, args);
}

const byJson = (list: unknown[]): unknown[] => [...list].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

/** The inputs of every stored record of `method`, in an order independent of timing. */
function inputsOf(method: (...args: never[]) => unknown): unknown[] {
  return byJson(Memorious.loadCachedResults(method).map((r) => r.input));
}

describe('the input of a record', () => {
  test('maps parameter names in declaration order', () => {
    class Order {
      @memorious
      f(zeta: number, alpha: string, mid: boolean): string { return `${zeta}${alpha}${mid}`; }
    }
    new Order().f(1, 'a', true);
    const [record] = Memorious.loadCachedResults(Order.prototype.f);
    expect(record?.input).toEqual({ zeta: 1, alpha: 'a', mid: true });
    expect(Object.keys(record!.input)).toEqual(['zeta', 'alpha', 'mid']);
  });

  test('fills in literal defaults: f(1) and f(1, 10) are one record', () => {
    let runs = 0;
    class Defaults {
      @memorious
      f(x: number, epochs = 10, label = 'run', neg = -1.5): string {
        runs++;
        return `${x}/${epochs}/${label}/${neg}`;
      }
    }
    const d = new Defaults();
    expect(d.f(1)).toBe('1/10/run/-1.5');
    expect(d.f(1, 10)).toBe('1/10/run/-1.5');
    expect(d.f(1, undefined, 'run', -1.5)).toBe('1/10/run/-1.5');
    expect(runs).toBe(1);
    expect(d.f(1, 11)).toBe('1/11/run/-1.5');
    expect(runs).toBe(2);
    const inputs = [{ x: 1, epochs: 10, label: 'run', neg: -1.5 }, { x: 1, epochs: 11, label: 'run', neg: -1.5 }];
    expect(inputsOf(d.f)).toEqual(byJson(inputs));
  });

  test('an object or array literal default is the same input as that value given', () => {
    let runs = 0;
    class Configured {
      @memorious
      f(x: number, opts = { deep: [1, -2] }, tags = ['a']): string {
        runs++;
        return `${x}/${opts.deep.length}/${tags.length}`;
      }
    }
    const c = new Configured();
    expect(c.f(1)).toBe('1/2/1');
    expect(c.f(1, { deep: [1, -2] }, ['a'])).toBe('1/2/1');
    expect(runs).toBe(1);
    expect(inputsOf(c.f)).toEqual([{ x: 1, opts: { deep: [1, -2] }, tags: ['a'] }]);
  });

  test('gives rest parameters as an array', () => {
    let runs = 0;
    class Rest {
      @memorious
      sum(first: number, ...more: number[]): number {
        runs++;
        return more.reduce((a, b) => a + b, first);
      }
    }
    const r = new Rest();
    expect(r.sum(1, 2, 3)).toBe(6);
    expect(r.sum(1)).toBe(1);
    expect(r.sum(1, 2, 3)).toBe(6);
    expect(r.sum(1, 5)).toBe(6);
    expect(runs).toBe(3);
    expect(inputsOf(r.sum)).toEqual(byJson([{ first: 1, more: [2, 3] }, { first: 1, more: [] }, { first: 1, more: [5] }]));
  });

  test('names destructured parameters by position', () => {
    let runs = 0;
    class Shapes {
      @memorious
      area({ w, h }: { w: number; h: number }, [scale]: [number], unit: string): string {
        runs++;
        return `${w * h * scale}${unit}`;
      }
    }
    const s = new Shapes();
    expect(s.area({ w: 2, h: 3 }, [2], 'm2')).toBe('12m2');
    expect(s.area({ h: 3, w: 2 }, [2], 'm2')).toBe('12m2');
    expect(s.area({ w: 2, h: 4 }, [2], 'm2')).toBe('16m2');
    expect(runs).toBe(2);
    const inputs = [{ $0: { w: 2, h: 3 }, $1: [2], unit: 'm2' }, { $0: { w: 2, h: 4 }, $1: [2], unit: 'm2' }];
    expect(inputsOf(s.area)).toEqual(byJson(inputs));
  });

  test('keeps surplus arguments under their position, as part of the key', () => {
    let runs = 0;
    class Surplus {
      @memorious
      count(a: number): number { runs++; return arguments.length * 100 + a; }
    }
    const s = new Surplus();
    expect(s.count(1)).toBe(101);
    expect(callLoosely(s, s.count, 1, 'extra')).toBe(201);
    expect(callLoosely(s, s.count, 1, 'other')).toBe(201);
    expect(callLoosely(s, s.count, 1, 'extra')).toBe(201);
    expect(runs).toBe(3);
    expect(inputsOf(s.count)).toEqual(byJson([{ a: 1 }, { a: 1, $1: 'extra' }, { a: 1, $1: 'other' }]));
  });
});

describe('global_seed', () => {
  test('is in the input when given, and is part of the key', () => {
    let runs = 0;
    class Dice {
      @memorious
      roll(sides: number): number { runs++; return Math.floor(Math.random() * sides); }
    }
    const d = new Dice();
    const seeded = callLoosely(d, d.roll, 6, { global_seed: 3 });
    const viaProxy = withSeed(d, 3).roll(6);
    expect(viaProxy).toBe(seeded);
    expect(runs).toBe(1);
    d.roll(6);
    callLoosely(d, d.roll, 6, { global_seed: 4 });
    expect(runs).toBe(3);
    expect(inputsOf(d.roll)).toEqual(byJson([{ sides: 6, global_seed: 3 }, { sides: 6 }, { sides: 6, global_seed: 4 }]));
  });

  test('a last { global_seed } is never bound to a parameter, even when parameters remain', async () => {
    const seen: unknown[] = [];
    class Trainer {
      @memorious
      async fit(params: { lr: number }, epochs = 10): Promise<number> {
        seen.push(epochs);
        return params.lr * epochs;
      }
    }
    const t = new Trainer();
    await expect(callLoosely(t, t.fit, { lr: 0.5 }, { global_seed: 3 })).resolves.toBe(5);
    expect(seen).toEqual([10]);
    expect(inputsOf(t.fit)).toEqual([{ params: { lr: 0.5 }, epochs: 10, global_seed: 3 }]);
    await expect(withSeed(t, 3).fit({ lr: 0.5 })).resolves.toBe(5);
    expect(seen).toEqual([10]);
  });
});

describe('the instance is part of the key', () => {
  test('two instances with different own state never share a result', () => {
    let runs = 0;
    class Scaler {
      constructor(public factor: number) {}
      @memorious
      scale(x: number): number { runs++; return x * this.factor; }
    }
    expect(new Scaler(2).scale(3)).toBe(6);
    expect(new Scaler(3).scale(3)).toBe(9);
    expect(runs).toBe(2);
    expect(new Scaler(2).scale(3)).toBe(6);
    expect(runs).toBe(2);
    const s = new Scaler(2);
    s.factor = 5;
    expect(s.scale(3)).toBe(15);
    expect(runs).toBe(3);
  });

  test('ignoreThis: true makes instances share results', () => {
    let runs = 0;
    class Loose {
      constructor(readonly tag: string) {}
      @memorious({ ignoreThis: true })
      square(x: number): number { runs++; return x * x; }
    }
    expect(new Loose('a').square(4)).toBe(16);
    expect(new Loose('b').square(4)).toBe(16);
    expect(runs).toBe(1);
  });
});

describe('subclasses', () => {
  let runs = 0;
  class Base {
    @memorious
    total(x: number): number {
      runs++;
      return this.scale(x) + 1;
    }
    scale(x: number): number { return this.unit() * x; }
    unit(): number { return 1; }
  }
  // Overrides what total calls through this, directly or through scale.
  class Doubler extends Base { override scale(x: number): number { return 2 * x; } }
  class Tripler extends Base { override unit(): number { return 3; } }
  // Adds a method total never reaches.
  class Plain extends Base { describe(): string { return 'plain'; } }

  test('share the parent results when they override nothing the method reaches', () => {
    expect(new Base().total(5)).toBe(6);
    expect(new Plain().total(5)).toBe(6);
    expect(runs).toBe(1);
  });

  test('are not served the parent results when they override a method called through this', () => {
    expect(new Doubler().total(5)).toBe(11);
    expect(new Tripler().total(5)).toBe(16);
    expect(runs).toBe(3);
    expect(new Doubler().total(5)).toBe(11);
    expect(new Base().total(5)).toBe(6);
    expect(runs).toBe(3);
  });

  test('results live under the declaring class', () => {
    const dirs = new Set(filesUnder(cache).map((f) => f.split('/')[0]));
    expect(dirs).toContain('Base.total');
    for (const name of ['Doubler.total', 'Tripler.total', 'Plain.total']) expect(dirs).not.toContain(name);
    expect(Memorious.loadCachedResults(Base.prototype.total).map((r) => r.output).sort((a, b) => a - b)).toEqual([6, 11, 16]);
  });
});
