import { spawn } from 'node:child_process';
import { deserialize } from 'node:v8';
import { memorious, FunesError, Memorious } from '../src';
import { RedisStore } from '../src/store/redis-store';
import { warningsDuring } from './helpers/cache';
import { projectDir, writeScript } from './helpers/child';
import { haveRedisServer, rawClient, useRedisServer } from './helpers/redis';

/**
 * RedisStore end to end: decorated methods in this process and in worker processes
 * sharing one private redis-server.
 */
const maybe = haveRedisServer() ? describe : describe.skip;

/** A worker: squares each key given, counting computations in Redis, and prints the outputs. */
const WORKER = `
import { memorious, RedisStore } from 'funes';
const [url, prefix, keys, sleepMs, lockTtlMs] = process.argv.slice(2);
const store = new RedisStore({ url, prefix, lockTtlMs: Number(lockTtlMs) });
class Lab {
  @memorious({ store })
  async square(n: number): Promise<{ n: number; square: number }> {
    await store.client.call('INCR', prefix + ':computed:' + n);
    process.stdout.write('started ' + n + '\\n');
    await new Promise((resolve) => setTimeout(resolve, Number(sleepMs)));
    return { n, square: n * n };
  }
}
async function main(): Promise<void> {
  const lab = new Lab();
  const out = await Promise.all(keys!.split(',').map((k) => lab.square(Number(k))));
  process.stdout.write(JSON.stringify(out.map((o) => o.square)) + '\\n');
  await store.close();
}
main().catch((error) => { console.error(error); process.exit(1); });
`;

interface Worker {
  readonly pid: number;
  stdout(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  kill(signal: NodeJS.Signals): void;
}

function startWorker(dir: string, file: string, args: string[]): Worker {
  const child = spawn(process.execPath, [file, ...args], { cwd: dir, env: { ...process.env, FUNES_CACHE_DIR: undefined } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d.toString()));
  child.stderr.on('data', (d) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { pid: child.pid!, stdout: () => stdout, exited, kill: (s) => child.kill(s) };
}

function lastLine(text: string): unknown {
  const lines = text.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!);
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

maybe('RedisStore end to end', () => {
  const server = useRedisServer();
  const stores: RedisStore[] = [];
  let raw: ReturnType<typeof rawClient>;
  beforeAll(() => {
    raw = rawClient(server().url);
  });
  const storeFor = (prefix: string, lockTtlMs?: number): RedisStore => {
    const store = new RedisStore({ url: server().url, prefix, lockTtlMs });
    stores.push(store);
    return store;
  };
  afterAll(async () => {
    for (const s of stores) await s.close();
    raw.disconnect();
  });

  test('an async method computes once, then hits; the record is at <prefix>:<Class.method>:<version>:<key>', async () => {
    const store = storeFor('e2e-hit');
    let computed = 0;
    class Lab {
      @memorious({ store })
      async double(x: number): Promise<{ x: number; twice: number }> {
        computed++;
        return { x, twice: 2 * x };
      }
    }
    const lab = new Lab();
    expect(await lab.double(21)).toEqual({ x: 21, twice: 42 });
    expect(await lab.double(21)).toEqual({ x: 21, twice: 42 });
    expect(computed).toBe(1);
    const keys = (await store.client.call('KEYS', 'e2e-hit:*')) as string[];
    const records = keys.filter((k) => /^e2e-hit:Lab\.double:[0-9a-f]+:[0-9a-f]+$/.test(k));
    expect(records).toHaveLength(1);
    const bytes = await store.client.getBuffer(records[0]!);
    const record = deserialize(bytes!) as { input: unknown; output: unknown };
    expect(record.input).toEqual({ x: 21 });
    expect(record.output).toEqual({ x: 21, twice: 42 });
    // Memorious helpers that work on any store see it too.
    const loaded = await Memorious.loadCachedResultsAsync(lab.double);
    expect(loaded.map((r) => r.output)).toEqual([{ x: 21, twice: 42 }]);
  });

  test('a sync method given a RedisStore fails at decoration with FUNES_ASYNC_STORE', () => {
    const store = storeFor('e2e-sync');
    let error: unknown;
    try {
      class Lab {
        @memorious({ store })
        double(x: number): number {
          return 2 * x;
        }
      }
      new Lab().double(1);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FunesError);
    expect((error as FunesError).code).toBe('FUNES_ASYNC_STORE');
    expect((error as FunesError).message).toMatch(/async/);
  });

  describe('worker processes', () => {
    const dir = projectDir();
    let file: string;
    beforeAll(() => {
      file = writeScript(dir, 'worker', WORKER);
    });

    test('a record written by one process is a hit in the next', async () => {
      const first = await startWorker(dir, file, [server().url, 'e2e-across', '3,4', '0', '5000']).exited;
      expect(first.code).toBe(0);
      const second = await startWorker(dir, file, [server().url, 'e2e-across', '3,4', '0', '5000']).exited;
      expect(second.code).toBe(0);
      expect(lastLine(second.stdout)).toEqual([9, 16]);
      expect(second.stdout).not.toContain('started');
      expect(await raw.call('GET', 'e2e-across:computed:3')).toBe('1');
    });

    test('eight workers sharing one Redis compute each key once, and all get the right outputs', async () => {
      const keys = [1, 2, 3, 4, 5, 6];
      const workers = Array.from({ length: 8 }, (_, i) => {
        // Each worker asks in its own order.
        const order = keys.map((_k, j) => keys[(i + j) % keys.length]!);
        return { order, worker: startWorker(dir, file, [server().url, 'e2e-eight', order.join(','), '300', '5000']) };
      });
      const results = await Promise.all(workers.map((w) => w.worker.exited));
      for (const [i, r] of results.entries()) {
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        expect(lastLine(r.stdout)).toEqual(workers[i]!.order.map((k) => k * k));
      }
      for (const k of keys) expect(await raw.call('GET', `e2e-eight:computed:${k}`)).toBe('1');
      const started = results.reduce((n, r) => n + (r.stdout.match(/started/g) ?? []).length, 0);
      expect(started).toBe(keys.length);
    });

    test('a worker killed while holding the lock: another takes over once the lock expires', async () => {
      const ttl = 1000;
      const holder = startWorker(dir, file, [server().url, 'e2e-killed', '7', '60000', String(ttl)]);
      await until('the holder has started computing', () => holder.stdout().includes('started 7'));
      const waiter = startWorker(dir, file, [server().url, 'e2e-killed', '7', '50', String(ttl)]);
      let waiterDone = false;
      void waiter.exited.then(() => (waiterDone = true));
      // The waiter waits while the holder is alive and renewing its lock, longer than one TTL.
      await new Promise((r) => setTimeout(r, 2 * ttl));
      expect(waiterDone).toBe(false);
      expect(waiter.stdout()).not.toContain('started');
      const killedAt = Date.now();
      holder.kill('SIGKILL');
      expect((await holder.exited).signal).toBe('SIGKILL');
      const result = await waiter.exited;
      expect(result.code).toBe(0);
      expect(lastLine(result.stdout)).toEqual([49]);
      expect(result.stdout).toContain('started 7');
      // Taken over after the lock's TTL, not after the holder's minute of work.
      expect(Date.now() - killedAt).toBeLessThan(15_000);
      expect(await raw.call('GET', 'e2e-killed:computed:7')).toBe('2');
      expect(await raw.keys('e2e-killed:*:lock')).toEqual([]);
    });
  });

  test('Redis stopped and restarted mid-run: calls still compute, one warning per cause, caching resumes', async () => {
    const store = storeFor('e2e-outage');
    let computed = 0;
    class Sweep {
      @memorious({ store })
      async step(n: number): Promise<number> {
        computed++;
        return n * 3;
      }
    }
    const sweep = new Sweep();
    expect(await sweep.step(1)).toBe(3);
    expect(await sweep.step(1)).toBe(3);
    expect(computed).toBe(1);

    await server().stop();
    const warnings = await warningsDuring(async () => {
      for (const n of [1, 2, 3, 2]) expect(await sweep.step(n)).toBe(n * 3);
    });
    // Every call computed: nothing could be read or written.
    expect(computed).toBe(5);
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    const codes = warnings.map((w) => w.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const w of warnings) expect(w.message).toMatch(/Sweep\.step/);

    await server().restart();
    await until('the client has reconnected', () => store.client.status === 'ready');
    const before = computed;
    expect(await sweep.step(4)).toBe(12);
    expect(computed).toBe(before + 1);
    const keys = (await store.client.call('KEYS', 'e2e-outage:Sweep.step:*')) as string[];
    expect(keys.filter((k) => /:[0-9a-f]+:[0-9a-f]+$/.test(k))).toHaveLength(1);
    expect(await sweep.step(4)).toBe(12);
    expect(computed).toBe(before + 1);
  });

  test('a missing ioredis is a FunesError that says what to install', () => {
    jest.isolateModules(() => {
      jest.doMock('ioredis', () => {
        throw Object.assign(new Error("Cannot find module 'ioredis' from 'src/store/redis-store.ts'"), { code: 'MODULE_NOT_FOUND' });
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const fresh = require('../src/store/redis-store') as typeof import('../src/store/redis-store');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const errors = require('../src/errors') as typeof import('../src/errors');
      let error: unknown;
      try {
        new fresh.RedisStore({ url: server().url });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(errors.FunesError);
      expect((error as InstanceType<typeof errors.FunesError>).code).toBe('FUNES_MISSING_DEPENDENCY');
      expect((error as Error).message).toContain('npm install ioredis');
      jest.dontMock('ioredis');
    });
  });
});
