import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, Socket } from 'node:net';
import { deserialize } from 'node:v8';
import { Redis } from 'ioredis';
import { memorious } from '../../src';
import { RedisStore } from '../../src/store/redis-store';
import type { Context } from '../fixtures';
import { measure, type Subject } from '../measure';
import type { Row } from '../report';

/**
 * Case 8: a small async hit on a RedisStore over loopback, against the floor of any
 * Redis cache: one ioredis GET of the same bytes and a v8.deserialize. Runs against
 * `--redis URL`, else a private redis-server when one is installed; skipped otherwise.
 */
export async function redisCases(ctx: Context): Promise<Row[]> {
  let server: { url: string; stop(): Promise<void> } | undefined;
  let url = ctx.redis;
  if (url === undefined) {
    if (spawnSync('redis-server', ['--version']).status !== 0) {
      ctx.log('case 8 skipped: no --redis URL and no redis-server installed');
      return [];
    }
    server = await startServer();
    url = server.url;
  }
  const prefix = `funes-bench-${process.pid}`;
  const store = new RedisStore({ url, prefix });
  const raw = new Redis(url);
  try {
    class Remote {
      @memorious({ store })
      async triple(a: number, b: string, c: boolean): Promise<{ a: number; b: string; c: boolean }> {
        return { a, b, c };
      }
    }
    const remote = new Remote();
    await remote.triple(1, 'a', true);
    const keys = (await store.client.call('KEYS', `${prefix}:Remote.triple:*`)) as string[];
    const recordKey = keys.find((k) => /:[0-9a-f]+:[0-9a-f]+$/.test(k));
    if (!recordKey) throw new Error('case 8: the record was not written to Redis');
    const funes: Subject = { label: 'funes', op: () => remote.triple(1, 'a', true), async: true };
    const floor: Subject = { label: 'ioredis GET + v8.deserialize', op: async () => deserialize((await raw.getBuffer(recordKey))!), async: true };
    const [f, r] = await measure([funes, floor], ctx.plan);
    return [{ id: '8', label: 'small hit, async, RedisStore on loopback', subject: f!, reference: r!, referenceLabel: floor.label, target: { max: 2 }, note: url }];
  } finally {
    await store.clear('Remote.triple');
    await store.close();
    await raw.quit();
    await server?.stop();
  }
}

async function startServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const kill = (): void => void child.kill('SIGKILL');
  process.once('exit', kill);
  for (let i = 0; !(await answers(port)); i++) {
    if (i > 200) throw new Error('case 8: redis-server did not start');
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      process.removeListener('exit', kill);
    },
  };
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.setTimeout(300, () => (s.destroy(), resolve(false)));
    s.on('error', () => resolve(false));
    s.on('data', (d) => (s.destroy(), resolve(d.toString().startsWith('+PONG'))));
    s.connect(port, '127.0.0.1', () => s.write('PING\r\n'));
  });
}
