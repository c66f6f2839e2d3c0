import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize } from 'node:v8';
import { FunesError, memorious, Memorious, MemoryStore, type RecordLocation, type Store, type StoredRecord } from '../src';
import { filesUnder, tempCache, warningsDuring } from './helpers/cache';
import { lastJson, projectDir, runScript } from './helpers/child';
import { expectWarnings } from './helpers/quiet-warnings';
// Warnings this file provokes: its memorized code reads test-local counters, which no version can see.
// Corrupt records and failed writes are provoked on purpose, and their warnings asserted.
expectWarnings('FUNES_HIDDEN_DEPENDENCY', 'FUNES_INVALID_RECORD', 'FUNES_UNSERIALIZABLE', 'FUNES_WRITE_FAILED');

const cache = tempCache();
afterEach(() => Memorious.configure({ mode: undefined }));

let runs = 0;
class Lab {
  @memorious
  double(x: number): number {
    runs++;
    return 2 * x + runs * 0;
  }

  @memorious
  async later(x: number): Promise<number> {
    runs++;
    return x;
  }
}
const lab = new Lab();

describe('cache modes', () => {
  test("'off' neither reads nor writes", () => {
    Memorious.clear(lab.double);
    const before = runs;
    Memorious.configure({ mode: 'off' });
    lab.double(1);
    lab.double(1);
    expect(runs - before).toBe(2);
    expect(Memorious.loadCachedResults(lab.double)).toHaveLength(0);
    Memorious.configure({ mode: 'on' });
    lab.double(1);
    lab.double(1);
    expect(runs - before).toBe(3);
  });

  test("'refresh' recomputes and replaces the stored record", async () => {
    lab.double(5);
    const [old] = Memorious.loadCachedResults(lab.double).filter((r) => r.input.x === 5);
    const before = runs;
    Memorious.configure({ mode: 'refresh' });
    lab.double(5);
    expect(await lab.later(7)).toBe(7);
    expect(await lab.later(7)).toBe(7);
    expect(runs - before).toBe(3);
    const fresh = Memorious.loadCachedResults(lab.double).filter((r) => r.input.x === 5);
    expect(fresh).toHaveLength(1);
    expect(fresh[0]!.time).not.toBe(old!.time);
    Memorious.configure({ mode: undefined });
    lab.double(5);
    expect(runs - before).toBe(3);
  });

  test("'read-only' serves hits and never writes", async () => {
    lab.double(9);
    const stored = filesUnder(cache).length;
    const before = runs;
    Memorious.configure({ mode: 'read-only' });
    lab.double(9);
    expect(runs - before).toBe(0);
    lab.double(10);
    lab.double(10);
    expect(await lab.later(11)).toBe(11);
    expect(runs - before).toBe(3);
    expect(filesUnder(cache)).toHaveLength(stored);
  });

  test('a method\'s own mode wins over the configured one; works with any store', () => {
    let computed = 0;
    const store = new MemoryStore();
    class Fixed {
      @memorious({ mode: 'on', store })
      f(x: number): number {
        computed++;
        return x;
      }
    }
    Memorious.configure({ mode: 'off' });
    const f = new Fixed();
    f.f(1);
    f.f(1);
    expect(computed).toBe(1);
  });

  test('a bad mode is an error listing the good ones', async () => {
    expect(() => Memorious.configure({ mode: 'sometimes' as never })).toThrow(/must be one of on, off, refresh, read-only/);
    expect(() => memorious({ mode: 'never' as never })).toThrow(FunesError);
    const saved = process.env.FUNES_MODE;
    process.env.FUNES_MODE = 'readonly';
    try {
      expect(() => lab.double(1)).toThrow(/FUNES_MODE must be one of on, off, refresh, read-only; got "readonly"/);
      // An async method's caller catches with .catch or await: the misuse arrives as a rejection.
      let later: Promise<number> | undefined;
      expect(() => (later = lab.later(1))).not.toThrow();
      await expect(later).rejects.toThrow(/FUNES_MODE must be one of/);
    } finally {
      if (saved === undefined) delete process.env.FUNES_MODE;
      else process.env.FUNES_MODE = saved;
    }
  });
});

describe('read-only reads change nothing', () => {
  let made = 0;
  class Still {
    @memorious
    f(x: number): number {
      made++;
      return x * 3;
    }
  }
  const still = new Still();
  /** The file of the record of `still.f(x)`, made first. */
  const recordOf = (x: number): string => {
    still.f(x);
    const dir = Memorious.locate(still.f);
    const name = readdirSync(dir).find((n) => n.endsWith('.bin') && (deserialize(readFileSync(join(dir, n))) as StoredRecord).input.x === x);
    return join(dir, name!);
  };
  const twoHoursAgo = (): Date => new Date(Date.now() - 2 * 3600_000);

  test("a hit in 'read-only' mode, and a peek, leave the record's last use as it was; a hit in 'on' mode refreshes it", () => {
    const file = recordOf(21);
    const old = twoHoursAgo();
    utimesSync(file, old, old);
    const set = statSync(file).mtimeMs;
    Memorious.configure({ mode: 'read-only' });
    const before = made;
    expect(still.f(21)).toBe(63);
    expect(made).toBe(before);
    expect(Memorious.peek([still, still.f], 21)).toMatchObject({ output: 63 });
    expect(Memorious.missing([still, still.f], [[21], [22]])).toEqual([[22]]);
    expect(statSync(file).mtimeMs).toBe(set);
    Memorious.configure({ mode: 'on' });
    expect(Memorious.peek([still, still.f], 21)).toMatchObject({ output: 63 });
    expect(statSync(file).mtimeMs).toBe(set);
    expect(still.f(21)).toBe(63);
    expect(statSync(file).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
  });

  test("a corrupt record is left in place by 'read-only' mode and by peek, and replaced in 'on' mode", async () => {
    const file = recordOf(31);
    writeFileSync(file, 'not a record');
    Memorious.configure({ mode: 'read-only' });
    const before = made;
    const warned = await warningsDuring(() => {
      expect(still.f(31)).toBe(93);
      expect(Memorious.peek([still, still.f], 31)).toBeUndefined();
    });
    expect(made - before).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe('not a record');
    expect(warned).toEqual([{ code: 'FUNES_INVALID_RECORD', message: expect.stringMatching(/left in place \(read-only\)/) }]);
    Memorious.configure({ mode: 'on' });
    expect(Memorious.peek([still, still.f], 31)).toBeUndefined();
    expect(readFileSync(file, 'utf8')).toBe('not a record');
    expect(still.f(31)).toBe(93);
    expect(made - before).toBe(2);
    expect(Memorious.peek([still, still.f], 31)).toMatchObject({ output: 93 });
  });
});

describe("'refresh' never leaves the record it was to replace", () => {
  test('an output that cannot be stored removes the old record, so it is not served once refresh is over', async () => {
    let unstorable = false;
    let made = 0;
    const pick = memorious({ name: 'pick' })((x: number): unknown => {
      made++;
      return unstorable ? { x, run: () => x } : x;
    });
    expect(pick(4)).toBe(4);
    unstorable = true;
    Memorious.configure({ mode: 'refresh' });
    const warned = await warningsDuring(() => expect(typeof (pick(4) as { run: unknown }).run).toBe('function'));
    expect(warned).toEqual([{ code: 'FUNES_UNSERIALIZABLE', message: expect.stringMatching(/the record it was to replace is removed/) }]);
    expect(Memorious.peek(pick, 4)).toBeUndefined();
    Memorious.configure({ mode: 'on' });
    unstorable = false;
    expect(pick(4)).toBe(4);
    expect(made).toBe(3);
  });

  /** A MemoryStore whose writes fail, and whose deletes fail too when asked. */
  class Failing extends MemoryStore {
    failWrites = false;
    failDeletes = false;
    override write(loc: RecordLocation, record: StoredRecord): void {
      if (this.failWrites) throw new Error('disk full');
      super.write(loc, record);
    }
    override delete(loc: RecordLocation): void {
      if (this.failDeletes) throw new Error('read-only file system');
      super.delete(loc);
    }
  }

  test('a failed write removes the old record; when that fails too, the warning says the old one stays', async () => {
    const store = new Failing();
    let made = 0;
    class Sweep {
      @memorious({ store })
      async step(x: number): Promise<number> {
        made++;
        return x + made;
      }
    }
    const sweep = new Sweep();
    expect(await sweep.step(1)).toBe(2);
    Memorious.configure({ mode: 'refresh' });
    store.failWrites = true;
    const first = await warningsDuring(async () => expect(await sweep.step(1)).toBe(3));
    expect(first).toEqual([{ code: 'FUNES_WRITE_FAILED', message: expect.stringMatching(/disk full.*the record it was to replace is removed/) }]);
    expect(await Memorious.peek([sweep, sweep.step], 1)).toBeUndefined();
    // Legacy decorators do nothing on a class expression: a declaration.
    class Other {
      @memorious({ store: store as Store })
      async step(x: number): Promise<number> {
        return x;
      }
    }
    const other = new Other();
    store.failWrites = false;
    Memorious.configure({ mode: 'on' });
    await other.step(5);
    Memorious.configure({ mode: 'refresh' });
    store.failWrites = true;
    store.failDeletes = true;
    const second = await warningsDuring(() => other.step(5));
    expect(second).toEqual([
      { code: 'FUNES_WRITE_FAILED', message: expect.stringMatching(/could not be removed either \(read-only file system\) and is served again once refresh mode is off/) },
    ]);
  });
});

describe('FUNES_MODE, without touching code', () => {
  const dir = projectDir();
  const script = join(dir, 'main.js');
  writeFileSync(
    script,
    `const { memorious, Memorious } = require('funes');
let runs = 0;
const twice = memorious(function twice(x) { runs++; return 2 * x; });
twice(1); twice(1);
console.log(JSON.stringify({ runs, records: Memorious.loadCachedResults(twice).length }));
`,
  );
  const run = (mode?: string): { runs: number; records: number } =>
    lastJson(runScript(dir, script, { env: { FUNES_CACHE_DIR: join(dir, 'cache'), FUNES_MODE: mode } }));

  test('off, read-only, refresh and the default, in turn', () => {
    expect(run('off')).toEqual({ runs: 2, records: 0 });
    expect(run('read-only')).toEqual({ runs: 2, records: 0 });
    expect(run()).toEqual({ runs: 1, records: 1 });
    expect(run('read-only')).toEqual({ runs: 0, records: 1 });
    expect(run('refresh')).toEqual({ runs: 2, records: 1 });
    expect(run('')).toEqual({ runs: 0, records: 1 });
  });
});
