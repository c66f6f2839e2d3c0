import { keyOf, memorious, Memorious } from '../src';
import { tempCache } from './helpers/cache';
import { expectWarnings } from './helpers/quiet-warnings';
// Warnings this file provokes: its memorized code reads test-local counters, which no version can see.
expectWarnings('FUNES_HIDDEN_DEPENDENCY');
// One method in several versions is made by declaring its class more than once.
expectWarnings('FUNES_NAME_CLASH');

tempCache();

describe('methods that use private members', () => {
  test('can be decorated; #private state is refused by the key unless the class says what identifies it', () => {
    let runs = 0;
    class Scaled {
      #factor: number;

      constructor(factor: number) {
        this.#factor = factor;
      }

      #times(x: number): number {
        return x * this.#factor;
      }

      @memorious
      f(x: number): number {
        runs++;
        return this.#times(x);
      }
    }
    expect(() => new Scaled(3).f(2)).toThrow(
      expect.objectContaining({ code: 'FUNES_UNHASHABLE', message: expect.stringMatching(/this is an instance of Scaled, whose class Scaled keeps private state.*keyOf/) }),
    );
    expect(runs).toBe(0);
    expect(Reflect.getMetadata('funes:params', Scaled.prototype.f)).toEqual(['x']);

    class Keyed {
      #factor: number;

      constructor(factor: number) {
        this.#factor = factor;
      }

      [keyOf](): unknown {
        return this.#factor;
      }

      @memorious
      f(x: number): number {
        runs++;
        return x * this.#factor;
      }
    }
    expect(new Keyed(3).f(2)).toBe(6);
    expect(new Keyed(3).f(2)).toBe(6);
    expect(new Keyed(4).f(2)).toBe(8);
    expect(runs).toBe(2);
  });

  test('change version when a private helper changes, since no prototype shows it', () => {
    // Classes built from source so that only the private helper differs.
    const make = (body: string): { prototype: { f: (...a: never[]) => unknown } } => {
      const C = new Function(`return class Priv { #h(x) { return ${body}; } f(x) { return this.#h(x); } }`)();
      const d = Object.getOwnPropertyDescriptor(C.prototype, 'f')!;
      memorious(C.prototype, 'f', d);
      Object.defineProperty(C.prototype, 'f', d);
      return C;
    };
    const version = (C: { prototype: { f: (...a: never[]) => unknown } }): string => Memorious.locate(C.prototype.f).split(/[\\/]/).pop()!;
    expect(version(make('x + 1'))).toBe(version(make('x + 1')));
    expect(version(make('x + 1'))).not.toBe(version(make('x + 2')));
  });
});

describe('down-levelled async code that imports its helpers (tslib)', () => {
  test('reads the generator parameters behind tslib_1.__awaiter and (0, tslib_1.__awaiter)', async () => {
    // What `tsc --target ES2015 --importHelpers` emits, with a small __awaiter of our own.
    const tslib = {
      __awaiter(self: unknown, args: unknown, _p: unknown, gen: (...a: unknown[]) => Generator<unknown, unknown>): Promise<unknown> {
        const it = gen.apply(self, args as unknown[]);
        const step = (v?: unknown): Promise<unknown> => {
          const r = it.next(v);
          return r.done ? Promise.resolve(r.value) : Promise.resolve(r.value).then(step);
        };
        return step();
      },
    };
    for (const call of ['tslib_1.__awaiter', '(0, tslib_1.__awaiter)']) {
      let runs = 0;
      const C = new Function(
        'tslib_1',
        'count',
        `return class Fit { fit(a_1) { return ${call}(this, arguments, void 0, function* (a, b = 10) { count(); return a + b; }); } }`,
      )(tslib, () => runs++);
      const d = Object.getOwnPropertyDescriptor(C.prototype, 'fit')!;
      memorious(C.prototype, 'fit', d);
      Object.defineProperty(C.prototype, 'fit', d);
      expect(Reflect.getMetadata('funes:params', C.prototype.fit)).toEqual(['a', 'b']);
      const fit = new C();
      expect(await fit.fit(1)).toBe(11);
      const again = fit.fit(1, 10);
      expect(again).toBeInstanceOf(Promise);
      expect(await again).toBe(11);
      expect(runs).toBe(1);
      Memorious.clear(C.prototype.fit);
    }
  });
});
