import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { deserialize } from 'node:v8';
import { recordFigures } from './helpers/figures';
import { projectDir, writeScript } from './helpers/child';

// Invariant 2 across processes, and the lock option: eight processes started together
// (each waits for a "go" file) call one method. Every computation appends `start` and
// `end` events to events.log, so counting and overlap come from the log, not from timing.
const SCRIPT = `
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { memorious } from 'funes';

const cell = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number): void => void Atomics.wait(cell, 0, 0, ms);
const log = (what: string, x: number): void => appendFileSync('events.log', what + ' ' + x + ' ' + process.pid + ' ' + Date.now() + '\\n');
const starts = (): number => readFileSync('events.log', 'utf8').split('\\n').filter((l) => l.startsWith('start')).length;
/** The computation: with WAIT_ALL it lasts until all eight have started (or 10 s pass). */
function work(x: number): { x: number; square: number } {
  log('start', x);
  const t0 = Date.now();
  if (process.env.WAIT_ALL) while (starts() < 8 && Date.now() - t0 < 10000) sleep(5);
  else sleep(Number(process.env.WORK_MS ?? 300));
  log('end', x);
  return { x, square: x * x };
}
const workAsync = async (x: number): Promise<{ x: number; square: number }> => {
  log('start', x);
  const t0 = Date.now();
  const until = (): boolean => (process.env.WAIT_ALL ? starts() >= 8 || Date.now() - t0 > 10000 : Date.now() - t0 >= Number(process.env.WORK_MS ?? 300));
  while (!until()) await new Promise((r) => setTimeout(r, 5));
  log('end', x);
  return { x, square: x * x };
};

function make(method: string): (x: number) => unknown {
  if (method === 'syncPlain') {
    class Race { @memorious syncPlain(x: number) { return work(x); } }
    const r = new Race();
    return (x) => r.syncPlain(x);
  }
  if (method === 'asyncDefault') {
    class Race { @memorious async asyncDefault(x: number) { return workAsync(x); } }
    const r = new Race();
    return (x) => r.asyncDefault(x);
  }
  // Defined only when asked for: a funes without the lock option rejects it at definition.
  const options = JSON.parse('{"lock":true}');
  class Race { @memorious(options) syncLocked(x: number) { return work(x); } }
  const r = new Race();
  return (x) => r.syncLocked(x);
}

async function main(): Promise<void> {
  const call = make(process.argv[2]!);
  console.log('ready');
  while (!existsSync('go')) sleep(1);
  const output = await call(Number(process.argv[3]));
  console.log(JSON.stringify({ output }));
}
void main();
`;

type Method = 'syncPlain' | 'asyncDefault' | 'syncLocked';
interface Event {
  what: 'start' | 'end';
  x: number;
  pid: number;
  at: number;
}

describe('eight processes, one cache', () => {
  const dir = projectDir();
  const script = writeScript(dir, 'race', SCRIPT);
  const cache = join(dir, 'cache');
  const figures: Record<string, unknown> = {};

  const events = (): Event[] =>
    (existsSync(join(dir, 'events.log')) ? readFileSync(join(dir, 'events.log'), 'utf8') : '')
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [what, x, pid, at] = l.split(' ');
        return { what: what as Event['what'], x: Number(x), pid: Number(pid), at: Number(at) };
      });

  function files(): { records: string[]; temps: string[]; locks: string[] } {
    const out = { records: [] as string[], temps: [] as string[], locks: [] as string[] };
    const walk = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.startsWith('.tmp-')) out.temps.push(p);
        else if (e.name.endsWith('.lock')) out.locks.push(p);
        else if (e.name.endsWith('.bin')) out.records.push(p);
      }
    };
    if (existsSync(cache)) walk(cache);
    return out;
  }

  /**
   * Starts eight processes calling `method` (with `xs[i]`), releases them together, and
   * resolves with each one's output (undefined for one that was killed). `during` runs
   * once they are released. Fails, rather than hangs, if one is still running after 30 s.
   */
  async function race(method: Method, xs: number[], env: Record<string, string> = {}, during?: (children: ChildProcess[]) => Promise<void>) {
    for (const f of ['go', 'events.log']) rmSync(join(dir, f), { force: true });
    writeFileSync(join(dir, 'events.log'), '');
    rmSync(cache, { recursive: true, force: true });
    const children = xs.map((x) =>
      spawn(process.execPath, [script, method, String(x)], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    const results = children.map(
      (child) =>
        new Promise<{ output?: unknown; code: number | null; stderr: string }>((resolve) => {
          let out = '';
          let stderr = '';
          child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
          child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
          const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
          // 'close', not 'exit': only then has all of the child's stdout been read.
          child.on('close', (code) => {
            clearTimeout(timer);
            const last = out.trim().split('\n').pop() ?? '';
            resolve({ output: last.startsWith('{') ? (JSON.parse(last) as { output: unknown }).output : undefined, code, stderr });
          });
        }),
    );
    // Ready once it says so; one that dies first (a script error) fails the test below, not by hanging.
    await Promise.all(children.map((c) => new Promise<void>((r) => (c.stdout!.once('data', () => r()), c.once('exit', () => r())))));
    writeFileSync(join(dir, 'go'), '');
    if (during) await during(children);
    const done = await Promise.all(results);
    return done.map((d, i) => ({ ...d, pid: children[i]!.pid! }));
  }

  /** Exactly one valid record, with the right output for x, and no temp or lock file. */
  function expectOneRecord(x: number): void {
    const { records, temps, locks } = files();
    expect(temps).toEqual([]);
    expect(locks).toEqual([]);
    expect(records).toHaveLength(1);
    const r = deserialize(readFileSync(records[0]!));
    expect(r).toMatchObject({ input: { x }, output: { x, square: x * x }, key: basename(records[0]!, '.bin') });
  }

  test('without a lock (sync default): every process gets the right output, one valid record, no temp file', async () => {
    const done = await race('syncPlain', Array(8).fill(7));
    for (const d of done) expect({ output: d.output, stderr: d.stderr }).toEqual({ output: { x: 7, square: 49 }, stderr: '' });
    expectOneRecord(7);
    figures.syncPlainComputations = events().filter((e) => e.what === 'start').length;
  });

  test.each<[Method, string]>([
    ['asyncDefault', 'an async method (lock on by default)'],
    ['syncLocked', 'a sync method with lock: true'],
  ])('%s: %s computes once; the seven others wait for its record', async (method) => {
    const done = await race(method, Array(8).fill(5));
    for (const d of done) expect({ output: d.output, stderr: d.stderr }).toEqual({ output: { x: 5, square: 25 }, stderr: '' });
    const starts = events().filter((e) => e.what === 'start');
    figures[`${method}Computations`] = starts.length;
    expect(starts).toHaveLength(1);
    expectOneRecord(5);
  });

  test.each<[Method]>([['asyncDefault'], ['syncLocked']])(
    '%s: the lock holder is killed mid-computation; the others take over and finish',
    async (method) => {
      let victim = 0;
      let killedAt = 0;
      const done = await race(method, Array(8).fill(3), { WORK_MS: '1500' }, async () => {
        while (!events().some((e) => e.what === 'start')) await new Promise((r) => setTimeout(r, 5));
        victim = events().find((e) => e.what === 'start')!.pid;
        process.kill(victim, 'SIGKILL');
        killedAt = Date.now();
      });
      const survivors = done.filter((d) => d.pid !== victim);
      expect(survivors).toHaveLength(7);
      for (const d of survivors) expect({ code: d.code, output: d.output }).toEqual({ code: 0, output: { x: 3, square: 9 } });
      const log = events();
      expect(log.filter((e) => e.what === 'end' && e.pid === victim)).toEqual([]);
      // The computation was taken over: it ran again after the kill, once with a lock.
      const starts = log.filter((e) => e.what === 'start');
      figures[`${method}TakeoverComputations`] = starts.length;
      // The victim's, then exactly one taker's (times relative to the kill, to diagnose a failure).
      const story = starts.map((e) => `start ${e.pid === victim ? 'victim' : 'other'} ${e.at - killedAt}ms after the kill`);
      expect(story).toEqual([expect.stringMatching(/^start victim/), expect.stringMatching(/^start other/)]);
      expectOneRecord(3);
    },
  );

  test.each<[Method]>([['asyncDefault'], ['syncLocked']])(
    "%s: eight different keys don't block each other: all eight computations overlap",
    async (method) => {
      const xs = [10, 11, 12, 13, 14, 15, 16, 17];
      const done = await race(method, xs, { WAIT_ALL: '1' });
      done.forEach((d, i) => expect(d.output).toEqual({ x: xs[i], square: xs[i]! * xs[i]! }));
      // Each computation ends only once all eight have started (or after 10 s, which fails here).
      const log = events();
      const lastStart = log.map((e) => e.what).lastIndexOf('start');
      const firstEnd = log.map((e) => e.what).indexOf('end');
      expect(log.filter((e) => e.what === 'start')).toHaveLength(8);
      expect(lastStart).toBeLessThan(firstEnd);
      const { records, temps, locks } = files();
      expect({ records: records.length, temps, locks }).toEqual({ records: 8, temps: [], locks: [] });
      figures[`${method}DistinctKeysOverlapping`] = 8;
    },
  );

  afterAll(() => recordFigures('concurrency', 'eight-processes', figures));
});
