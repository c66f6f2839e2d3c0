import { FunesError, memorious, Memorious, MemoryStore, type Store } from '../src';
import { filesUnder, tempCache } from './helpers/cache';

const cache = tempCache();

/** A MemoryStore that answers with Promises, as a network store does. */
function asyncStore(inner = new MemoryStore()): Store {
  const wrap =
    (name: keyof Store) =>
    (...args: unknown[]): Promise<unknown> =>
      new Promise((resolve, reject) => {
        setImmediate(() => {
          try {
            resolve((inner[name] as (...a: unknown[]) => unknown).apply(inner, args));
          } catch (error) {
            reject(error);
          }
        });
      });
  return {
    synchronous: false,
    read: wrap('read'),
    write: wrap('write'),
    has: wrap('has'),
    delete: wrap('delete'),
    list: wrap('list'),
    usage: wrap('usage'),
    versions: wrap('versions'),
    clear: wrap('clear'),
    tryLock: wrap('tryLock'),
    describe: (...a: [string, string?, string?]) => inner.describe(...a),
  } as Store;
}

describe('the store option', () => {
  test('a MemoryStore serves a sync method synchronously and writes no file', () => {
    let runs = 0;
    const store = new MemoryStore();
    class Mem {
      @memorious({ store })
      double(x: number): number {
        runs++;
        return 2 * x;
      }
    }
    const m = new Mem();
    expect(m.double(2)).toBe(4);
    expect(m.double(2)).toBe(4);
    expect(runs).toBe(1);
    expect(Memorious.loadCachedResults(m.double)).toEqual([{ input: { x: 2 }, output: 4, time: expect.any(Number) }]);
    expect(filesUnder(cache)).toEqual([]);
  });

  test('an asynchronous store serves async methods; loadCachedResultsAsync reads it', async () => {
    let runs = 0;
    class Remote {
      @memorious({ store: asyncStore() })
      async fit(lr: number): Promise<{ loss: number }> {
        runs++;
        return { loss: lr * 10 };
      }
    }
    const r = new Remote();
    const [a, b] = await Promise.all([r.fit(0.1), r.fit(0.1)]);
    expect(a).toEqual({ loss: 1 });
    expect(b).toEqual({ loss: 1 });
    expect(await r.fit(0.1)).toEqual({ loss: 1 });
    expect(runs).toBe(1);
    expect((await Memorious.loadCachedResultsAsync(r.fit)).map((x) => x.output)).toEqual([{ loss: 1 }]);
    expect(() => Memorious.loadCachedResults(r.fit)).toThrow(expect.objectContaining({ code: 'FUNES_ASYNC_STORE' }));
  });

  test('a sync method with an asynchronous store fails at decoration, or at its first call if configured later', () => {
    expect(() => {
      class Wrong {
        @memorious({ store: asyncStore() })
        double(x: number): number {
          return 2 * x;
        }
      }
      return Wrong;
    }).toThrow(expect.objectContaining({ code: 'FUNES_ASYNC_STORE', message: expect.stringContaining('double') }));

    class Later {
      @memorious
      triple(x: number): number {
        return 3 * x;
      }
    }
    Memorious.configure({ store: asyncStore() });
    try {
      expect(() => new Later().triple(1)).toThrow(FunesError);
    } finally {
      Memorious.configure({ store: undefined });
    }
    expect(new Later().triple(1)).toBe(3);
  });

  test('a store that fails is a miss: the call still returns its output, with one warning', async () => {
    const broken = asyncStore();
    broken.read = () => Promise.reject(new Error('connection refused'));
    broken.write = () => Promise.reject(new Error('connection refused'));
    let runs = 0;
    class Flaky {
      @memorious({ store: broken })
      async f(x: number): Promise<number> {
        runs++;
        return x + 1;
      }
    }
    const spy = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const f = new Flaky();
      expect(await f.f(1)).toBe(2);
      expect(await f.f(1)).toBe(2);
      expect(runs).toBe(2);
      const codes = spy.mock.calls.map((c) => (c[1] as { code?: string }).code);
      expect(codes.filter((c) => c === 'FUNES_READ_FAILED')).toHaveLength(1);
      expect(codes.filter((c) => c === 'FUNES_WRITE_FAILED')).toHaveLength(1);
    } finally {
      spy.mockRestore();
    }
  });

  test('store and cacheDir together, or a store that is not one, are refused', () => {
    expect(() => memorious({ store: new MemoryStore(), cacheDir: 'x' })).toThrow(expect.objectContaining({ code: 'FUNES_BAD_OPTION' }));
    expect(() => memorious({ store: {} as Store })).toThrow(expect.objectContaining({ code: 'FUNES_BAD_OPTION' }));
  });
});
