import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeError, FunesError } from '../errors';
import { ApiError, Api } from './api';
import { asset } from './assets';
import { FileCatalog, RedisCatalog, type Catalog } from './catalog';
import { RedisStore } from '../store/redis-store';

/**
 * What `serveUi` shows and where it listens.
 * @example `{ dirs: ['cache'], port: 0 }`
 */
export interface UiOptions {
  /** Cache directories to show, as given; default: `$FUNES_CACHE_DIR`, else `./cache`. Ignored when `redis` is given. */
  readonly dirs?: readonly string[];
  /** A RedisStore to show instead of directories. */
  readonly redis?: {
    /** `redis://host:port[/db]`, as `RedisStore` takes it. */
    readonly url: string;
    /** The store's key prefix. @default 'funes' */
    readonly prefix?: string;
  };
  /** The port on 127.0.0.1; 0 picks a free one. @default 4747 */
  readonly port?: number;
  /** How often, in milliseconds, the server looks for new records while a page is open. @default 1000 */
  readonly pollMs?: number;
}

/** A running page: its address, and how to stop it. */
export interface UiServer {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  /** The port it listens on: the one asked for, or the one picked for port 0. */
  readonly port: number;
  /** Stops listening, ends open pages' live updates, and lets go of the cache. */
  close(): Promise<void>;
}

const API: Record<string, (api: Api, params: URLSearchParams) => Promise<unknown>> = {
  '/api/overview': (api) => api.overview(),
  '/api/version': (api, p) => api.version(p),
  '/api/records': (api, p) => api.records(p),
  '/api/record': (api, p) => api.record(p),
  '/api/plot': (api, p) => api.plot(p),
  '/api/diff': (api, p) => api.diff(p),
};

/** See `serveUi` in `./serve.ts`, the public entry, which loads this module only when called. */
export async function startServer(options: UiOptions = {}): Promise<UiServer> {
  const port = options.port ?? 4747;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new FunesError('FUNES_BAD_OPTION', `port ${port} is not a port number (0-65535; 0 picks a free one)`);
  const pollMs = options.pollMs ?? 1000;
  const catalog: Catalog = options.redis
    ? new RedisCatalog(new RedisStore({ url: options.redis.url, prefix: options.redis.prefix ?? 'funes', connectTimeoutMs: 3000 }), {
        url: options.redis.url,
        prefix: options.redis.prefix ?? 'funes',
      })
    : new FileCatalog(options.dirs && options.dirs.length > 0 ? options.dirs : [process.env.FUNES_CACHE_DIR || 'cache']);
  const hint = options.redis ? '; check that Redis is running and the URL is right' : '';
  if (options.redis) {
    // A Redis that cannot be reached is said at once, not on every page.
    try {
      await catalog.methods();
    } catch (error) {
      await catalog.close().catch(() => undefined);
      throw new Error(`Redis at ${options.redis.url}: ${describeError(error)}${hint}`, { cause: error });
    }
  }
  const api = new Api(catalog, Math.min(250, pollMs));
  const watchers = new Set<ServerResponse>();
  let host = '';

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => send(res, 500, { error: `cannot read ${catalog.places.join(', ')}: ${describeError(error)}${hint}` }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A page on another site can resolve its own name to 127.0.0.1 (DNS rebinding); its requests still carry its name.
    if (req.headers.host !== host) return send(res, 403, { error: `refused: this server answers only requests for ${host}; open http://${host}/` });
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(res, 405, { error: 'read-only: GET and HEAD only' });
    }
    const raw = req.url ?? '/';
    const path = raw.split('?')[0]!;
    if (!path.startsWith('/')) return send(res, 400, { error: 'refused: the request names a whole URL; ask for a path on this server' });
    if (/\.\.|%2e|%2f|%5c|\\|%00/i.test(path)) return send(res, 400, { error: 'refused: a path with .. or an encoded separator' });
    const params = new URL(raw, `http://${host}`).searchParams;
    // What names a stored thing is an id or a hash, never a path; column names and the filter are text matched in memory.
    for (const name of NAMING) {
      for (const value of params.getAll(name)) {
        if (/\.\.|[\\/\0]/.test(value)) return send(res, 400, { error: `refused: ${name} holds .. or a path separator` });
      }
    }
    if (path === '/api/events') return watch(res);
    const answer = API[path];
    if (answer) {
      try {
        return send(res, 200, await answer(api, params), req.method === 'HEAD');
      } catch (error) {
        if (error instanceof ApiError) return send(res, error.status, { error: error.message });
        throw error;
      }
    }
    const file = asset(path);
    if (!file) return send(res, 404, { error: `no such page: ${path}` });
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': file.type, 'Content-Length': file.bytes.length, 'Cache-Control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : file.bytes);
  }

  function watch(res: ServerResponse): void {
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write('retry: 2000\n\n');
    watchers.add(res);
    res.on('close', () => watchers.delete(res));
  }

  let last: string | undefined;
  let polling = false;
  const timer = setInterval(() => {
    if (watchers.size === 0 || polling) return;
    polling = true;
    api
      .revision()
      .then((now) => {
        if (last !== undefined && now !== last) for (const w of watchers) w.write(`event: change\ndata: {}\n\n`);
        last = now;
      })
      .catch(() => {
        // A cache that cannot be read now (removed, Redis down) is shown as such on the next request.
      })
      .finally(() => (polling = false));
  }, pollMs);
  timer.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      void catalog.close();
      reject(
        error.code === 'EADDRINUSE'
          ? new FunesError('FUNES_BAD_OPTION', `port ${port} on 127.0.0.1 is in use; pass another port (0 picks a free one)`)
          : error.code === 'EACCES'
            ? new FunesError('FUNES_BAD_OPTION', `port ${port} needs privileges on this machine; pass one above 1023 (0 picks a free one)`)
            : error,
      );
    });
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  host = `127.0.0.1:${actual}`;
  return {
    url: `http://${host}/`,
    port: actual,
    async close() {
      clearInterval(timer);
      for (const w of watchers) w.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await catalog.close();
    },
  };
}

/** The parameters that name a method, version or record. */
const NAMING = ['method', 'version', 'from', 'to', 'key'];

/** Scripts and styles from this server only; records are shown as text, and no page may frame this one. */
const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function send(res: ServerResponse, status: number, body: unknown, headOnly = false): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': bytes.length, 'Cache-Control': 'no-store' });
  res.end(headOnly ? undefined : bytes);
}
