import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { Memorious, memorious } from '../src';
import { filesUnder, tempCache } from './helpers/cache';
import { lastJson, projectDir, runScript, writeScript } from './helpers/child';
import { expectWarnings } from './helpers/quiet-warnings';
// Warnings this file provokes: its memorized code reads test-local counters, which no version can see.
expectWarnings('FUNES_HIDDEN_DEPENDENCY');

const cache = tempCache();

/** How many times each method body really ran. */
const runs: Record<string, number> = {};
const ran = (name: string): void => {
  runs[name] = (runs[name] ?? 0) + 1;
};
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 1));

class Lab {
  @memorious
  async slowDouble(x: number): Promise<number> {
    ran('slowDouble');
    await tick();
    return 2 * x;
  }

  @memorious
  promised(x: number): Promise<{ x: number }> {
    ran('promised');
    return new Promise((r) => setTimeout(() => r({ x }), 1));
  }

  @memorious
  async flaky(x: number, fail: boolean): Promise<number> {
    ran('flaky');
    await tick();
    if (fail) throw new Error(`flaky ${x} failed`);
    return x + 1;
  }

  @memorious
  rejecting(x: number): Promise<number> {
    ran('rejecting');
    return Promise.reject(new Error(`no ${x}`));
  }

  @memorious
  throwing(x: number): number {
    ran('throwing');
    if (x < 0) throw new RangeError('negative');
    return Math.sqrt(x);
  }

  @memorious
  async shared(x: number): Promise<number[]> {
    ran('shared');
    await tick();
    await tick();
    return [x, x * x];
  }
}

const lab = new Lab();
const recordsOf = (method: string): string[] => filesUnder(cache).filter((f) => f.startsWith(`Lab.${method}/`));

describe('async methods', () => {
  test('an async method returns a Promise on a miss and on a hit, and a hit does not run it', async () => {
    const miss = lab.slowDouble(21);
    expect(miss).toBeInstanceOf(Promise);
    await expect(miss).resolves.toBe(42);
    expect(runs.slowDouble).toBe(1);

    const hit = lab.slowDouble(21);
    expect(hit).toBeInstanceOf(Promise);
    await expect(hit).resolves.toBe(42);
    expect(runs.slowDouble).toBe(1);
    expect(recordsOf('slowDouble')).toHaveLength(1);
    expect(Memorious.loadCachedResults(lab.slowDouble)).toEqual([
      { input: { x: 21 }, output: 42, time: expect.any(Number) },
    ]);
  });

  test('a non-async method that returns a Promise is treated the same', async () => {
    const miss = lab.promised(3);
    expect(miss).toBeInstanceOf(Promise);
    await expect(miss).resolves.toEqual({ x: 3 });
    const hit = lab.promised(3);
    expect(hit).toBeInstanceOf(Promise);
    await expect(hit).resolves.toEqual({ x: 3 });
    expect(runs.promised).toBe(1);
    // The stored output is the resolved value, not the Promise.
    expect(Memorious.loadCachedResults(lab.promised).map((r) => r.output)).toEqual([{ x: 3 }]);
  });

  test('a rejected Promise is never stored: the next call runs again', async () => {
    await expect(lab.flaky(1, true)).rejects.toThrow('flaky 1 failed');
    expect(recordsOf('flaky')).toEqual([]);
    await expect(lab.flaky(1, true)).rejects.toThrow('flaky 1 failed');
    expect(runs.flaky).toBe(2);
    expect(recordsOf('flaky')).toEqual([]);

    await expect(lab.rejecting(5)).rejects.toThrow('no 5');
    await expect(lab.rejecting(5)).rejects.toThrow('no 5');
    expect(runs.rejecting).toBe(2);
    expect(recordsOf('rejecting')).toEqual([]);
    expect(Memorious.loadCachedResults(lab.rejecting)).toEqual([]);

    // A success with other input is stored as usual.
    await expect(lab.flaky(1, false)).resolves.toBe(2);
    await expect(lab.flaky(1, false)).resolves.toBe(2);
    expect(runs.flaky).toBe(3);
    expect(recordsOf('flaky')).toHaveLength(1);
  });

  test('a thrown error is never stored: the next call runs again', () => {
    expect(() => lab.throwing(-1)).toThrow(RangeError);
    expect(() => lab.throwing(-1)).toThrow('negative');
    expect(runs.throwing).toBe(2);
    expect(recordsOf('throwing')).toEqual([]);
    expect(lab.throwing(9)).toBe(3);
    expect(lab.throwing(9)).toBe(3);
    expect(runs.throwing).toBe(3);
  });

  test('identical concurrent calls share one computation; different inputs run separately', async () => {
    const calls = [1, 2, 3, 4, 5].map(() => lab.shared(7));
    const others = [lab.shared(8), lab.shared(8)];
    for (const c of calls) expect(c).toBeInstanceOf(Promise);
    const results = await Promise.all(calls);
    expect(results).toEqual(Array(5).fill([7, 49]));
    await expect(Promise.all(others)).resolves.toEqual([
      [8, 64],
      [8, 64],
    ]);
    expect(runs.shared).toBe(2);
    expect(recordsOf('shared')).toHaveLength(2);
    // After the shared computation ended, a call is a plain hit.
    await expect(lab.shared(7)).resolves.toEqual([7, 49]);
    expect(runs.shared).toBe(2);
  });

  test('identical concurrent calls that reject share the rejection, and the next call runs again', async () => {
    const before = runs.flaky ?? 0;
    const calls = [0, 1, 2].map(() => lab.flaky(40, true));
    const settled = await Promise.allSettled(calls);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(runs.flaky).toBe(before + 1);
    await expect(lab.flaky(40, true)).rejects.toThrow('flaky 40 failed');
    expect(runs.flaky).toBe(before + 2);
  });
});

// TypeScript below ES2017 compiles async methods to `__awaiter(this, arguments, void 0,
// function* (...) {...})`: the outer parameter list is cut at the first default.
const DOWNLEVEL = `
import { appendFileSync } from 'node:fs';
import { memorious, Memorious, PARAMS_METADATA } from 'funes';

class Fetcher {
  @memorious
  async fetch(url: string, retries = 3, { timeout }: { timeout: number } = { timeout: 5 }): Promise<string> {
    appendFileSync('runs.log', 'fetch ' + url + '\\n');
    await new Promise((r) => setTimeout(r, 1));
    return url + ':' + retries + ':' + timeout;
  }
}

async function main(): Promise<void> {
  const f = new Fetcher();
  const first = f.fetch('a');
  const firstIsPromise = first instanceof Promise;
  const a = await first;
  const second = f.fetch('a', 3);
  const secondIsPromise = second instanceof Promise;
  const b = await second;
  const source = Fetcher.prototype.fetch.toString();
  console.log(JSON.stringify({
    firstIsPromise, secondIsPromise, a, b,
    params: (Reflect as any).getMetadata(PARAMS_METADATA, Fetcher.prototype.fetch),
    records: Memorious.loadCachedResults(f.fetch).map((r) => r.input),
    awaiter: /__awaiter/.test(source),
  }));
}
void main();
`;

describe('down-levelled async (__awaiter generators)', () => {
  const dir = projectDir();
  const script = writeScript(dir, 'downlevel', DOWNLEVEL, ts.ScriptTarget.ES2015);

  test('the compiled fixture really is down-levelled', () => {
    expect(readFileSync(script, 'utf8')).toMatch(/__awaiter\(this, arguments, void 0, function\* \(url, retries = 3/);
  });

  test('records the real parameter names and literal defaults, and returns a Promise on a hit', () => {
    type Out = {
      firstIsPromise: boolean;
      secondIsPromise: boolean;
      a: string;
      b: string;
      params: string[];
      records: Record<string, unknown>[];
    };
    const first = lastJson<Out>(runScript(dir, script));
    expect(first).toMatchObject({ firstIsPromise: true, secondIsPromise: true, a: 'a:3:5', b: 'a:3:5' });
    expect(first.params).toEqual(['url', 'retries', '$2']);
    expect(first.records).toEqual([{ url: 'a', retries: 3, $2: { timeout: 5 } }]);
    const log = (): string[] => readFileSync(join(dir, 'runs.log'), 'utf8').trim().split('\n');
    expect(log()).toEqual(['fetch a']);

    // A second process is served from disk, and still gets a Promise.
    const second = lastJson<Out>(runScript(dir, script));
    expect(second).toEqual(first);
    expect(log()).toEqual(['fetch a']);
  });
});
