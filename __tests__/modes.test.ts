import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FunesError, memorious, Memorious, MemoryStore } from '../src';
import { filesUnder, tempCache } from './helpers/cache';
import { lastJson, projectDir, runScript } from './helpers/child';
import { expectWarnings } from './helpers/quiet-warnings';
// Warnings this file provokes: its memorized code reads test-local counters, which no version can see.
expectWarnings('FUNES_HIDDEN_DEPENDENCY');

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

  test('a bad mode is an error listing the good ones', () => {
    expect(() => Memorious.configure({ mode: 'sometimes' as never })).toThrow(/must be one of on, off, refresh, read-only/);
    expect(() => memorious({ mode: 'never' as never })).toThrow(FunesError);
    const saved = process.env.FUNES_MODE;
    process.env.FUNES_MODE = 'readonly';
    try {
      expect(() => lab.double(1)).toThrow(/FUNES_MODE must be one of on, off, refresh, read-only; got "readonly"/);
    } finally {
      if (saved === undefined) delete process.env.FUNES_MODE;
      else process.env.FUNES_MODE = saved;
    }
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
