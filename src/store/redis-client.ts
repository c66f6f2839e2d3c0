import { FunesError } from '../errors';

/**
 * The part of an ioredis client that `RedisStore` uses. Declared here rather than
 * imported, so that the types of funes do not need ioredis installed; any ioredis
 * `Redis` instance fits it.
 *
 * @example
 * ```ts
 * import Redis from 'ioredis';
 * const client: RedisClient = new Redis('redis://cache:6379');
 * ```
 */
export interface RedisClient {
  /** `ready` once connected; `connecting`, `reconnecting`, `end` and others meanwhile. */
  readonly status: string;
  /** Where it connects, for messages. */
  readonly options: RedisClientOptions;
  /** `GET` as bytes. */
  getBuffer(key: string): Promise<Uint8Array | null>;
  /** Any command. */
  call(command: string, ...args: (string | Uint8Array | number)[]): Promise<unknown>;
  /** Event listeners, as on any EventEmitter. */
  once(event: string, listener: (...args: unknown[]) => void): unknown;
  /** Event listeners, as on any EventEmitter. */
  removeListener(event: string, listener: (...args: unknown[]) => void): unknown;
  /** Event listeners, as on any EventEmitter. */
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  /** Closes the connection politely. */
  quit(): Promise<unknown>;
  /** Closes the connection at once. */
  disconnect(): void;
}

/**
 * Where an ioredis client connects.
 * @example `store.client.options.port // 6379`
 */
export interface RedisClientOptions {
  /** The server's host. */
  readonly host?: string;
  /** The server's port. */
  readonly port?: number;
  /** A Unix socket, instead of host and port. */
  readonly path?: string | null;
  /** The database number. */
  readonly db?: number;
}

/**
 * A client for `url` that suits a cache: while Redis is down, each command fails at once
 * (funes then computes and warns) rather than queueing until it returns, and the client
 * keeps reconnecting, so that caching resumes by itself.
 */
export function connect(url: string | undefined): RedisClient {
  const Redis = loadIoredis();
  const settings = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (times: number) => Math.min(times * 200, 2000),
  };
  const client = (url === undefined ? new Redis(settings) : new Redis(url, settings)) as RedisClient;
  // Without a listener ioredis prints every failed reconnection; funes warns through the calls instead.
  client.on('error', () => undefined);
  return client;
}

/**
 * Settles when the client first connects, fails to, or `timeoutMs` passes; undefined if it
 * is past connecting. Only the first connection is waited for: with the offline queue off,
 * commands sent before it would fail, while later outages should fail fast.
 */
export function firstConnection(client: RedisClient, timeoutMs: number): Promise<void> | undefined {
  const status = client.status;
  if (status === 'ready' || status === 'end' || status === 'close') return undefined;
  return new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      client.removeListener('ready', done);
      client.removeListener('error', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    timer.unref();
    client.once('ready', done);
    // A refused first connection fails the commands now rather than after the timeout.
    client.once('error', done);
  });
}

/** Where the client connects, as a URL, for messages. */
export function serverOf(client: RedisClient): string {
  const o = client.options;
  if (o.path) return `redis+unix://${o.path}`;
  return `redis://${o.host ?? '127.0.0.1'}:${o.port ?? 6379}${o.db ? `/${o.db}` : ''}`;
}

/** Loads ioredis on first use: it is an optional peer dependency that file-store users never install. */
function loadIoredis(): new (...args: unknown[]) => unknown {
  let mod: { default?: unknown; Redis?: unknown };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require('ioredis') as typeof mod;
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'MODULE_NOT_FOUND' && /ioredis/.test(e.message)) {
      throw new FunesError('FUNES_MISSING_DEPENDENCY', 'RedisStore needs the ioredis package: npm install ioredis', { cause: error });
    }
    throw error;
  }
  const Redis = (mod.Redis ?? mod.default ?? mod) as new (...args: unknown[]) => unknown;
  return Redis;
}
