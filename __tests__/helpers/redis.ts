import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, Socket } from 'node:net';
import { Redis } from 'ioredis';

/** A private redis-server on a loopback port, with no persistence; tests start and stop it. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Stops the server (SIGTERM, then SIGKILL) and waits until the port refuses connections. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty (no persistence), and waits until it answers PING. */
  restart(): Promise<void>;
}

/** Whether `redis-server` can be run here (`.ci/run` installs it); without it, throws unless FUNES_SKIP_REDIS=1. */
export function haveRedisServer(): boolean {
  if (spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0) return true;
  // A silent skip would let a green run hide the Redis suite: skipping must be asked for.
  if (process.env.FUNES_SKIP_REDIS === '1') return false;
  throw new Error(
    'redis-server is not installed, and the Redis tests need it: apt-get install redis-server ' +
      '(.ci/run does), or set FUNES_SKIP_REDIS=1 to skip them',
  );
}

/** A free loopback port: bind port 0, read what the kernel gave, let it go. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Sends PING and resolves whether +PONG came back. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let answer = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('data', (d) => {
      answer += d.toString();
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`redis test server: timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Starts a redis-server for this test file, on a free loopback port, and stops it in
 * afterAll. Call at the top level of a test file (or in a describe).
 */
export function useRedisServer(): () => RedisServer {
  let server: RedisServer | undefined;
  beforeAll(async () => {
    server = await startRedisServer();
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error('the redis test server is not started (use it inside a test)');
    return server;
  };
}

/** Starts a private redis-server; the caller stops it. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  let log = '';
  const start = async (): Promise<void> => {
    log = '';
    const proc = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no', '--loglevel', 'warning', '--dir', '/tmp'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    proc.stdout!.on('data', (d) => (log += d.toString()));
    proc.stderr!.on('data', (d) => (log += d.toString()));
    child = proc;
    // A test run that dies leaves no server behind.
    const reap = (): void => void proc.kill('SIGKILL');
    process.once('exit', reap);
    proc.once('exit', () => process.removeListener('exit', reap));
    let exited = false;
    proc.once('exit', () => (exited = true));
    try {
      await until('it answers PING', async () => {
        if (exited) throw new Error(`redis-server exited at start:\n${log}`);
        return ping(port);
      });
    } catch (error) {
      proc.kill('SIGKILL');
      throw error;
    }
  };
  const stop = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
    await until('the port is closed', async () => !(await ping(port)));
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    restart: async () => {
      await stop();
      await start();
    },
  };
}

/** A plain ioredis client for looking at what a store wrote (it queues commands until connected); the caller quits it. */
export function rawClient(url: string): Redis {
  return new Redis(url);
}
