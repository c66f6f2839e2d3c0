import { createServer, type Server } from 'node:net';
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { memorious, Memorious, RedisStore, serveUi, type StoredRecord } from '../src';
import { tempCache, tempDir } from './helpers/cache';
import { funes } from './helpers/cli';
import { startUi } from './helpers/browser';
import { haveRedisServer, useRedisServer } from './helpers/redis';

/** `funes ui` and `serveUi` without a browser: starting, stopping, bad options, Redis. */

const cache = tempCache();
const elsewhere = tempDir();

class Grid {
  @memorious
  cell(x: number, y: number): { sum: number; label: string } {
    return { sum: x + y, label: `${x},${y}` };
  }
}

beforeAll(() => {
  const g = new Grid();
  for (let x = 0; x < 3; x++) for (let y = 0; y < 4; y++) g.cell(x, y);
});

test('serveUi serves the cache on 127.0.0.1 until closed', async () => {
  const ui = await serveUi({ dirs: [cache], port: 0 });
  let closed = false;
  try {
    expect(ui.url).toBe(`http://127.0.0.1:${ui.port}/`);
    const overview = (await (await fetch(`${ui.url}api/overview`)).json()) as { methods: { id: string; name: string; versions: { hash: string; records: number; current: boolean }[] }[] };
    expect(overview.methods.map((m) => m.name)).toEqual(['Grid.cell']);
    const [version] = overview.methods[0]!.versions;
    expect(version!.records).toBe(12);
    expect(version!.current).toBe(true);
    const page = (await (
      await fetch(`${ui.url}api/records?method=${encodeURIComponent(overview.methods[0]!.id)}&version=${version!.hash}&sort=output.sum&desc=1&limit=2`)
    ).json()) as { matched: number; rows: { cells: unknown[] }[] };
    expect(page).toMatchObject({ matched: 12 });
    expect(page.rows.map((r) => r.cells.slice(0, 3))).toEqual([
      [2, 3, 5],
      [1, 3, 4],
    ]);
    await ui.close();
    closed = true;
    await expect(fetch(`${ui.url}api/overview`)).rejects.toThrow();
  } finally {
    if (!closed) await ui.close();
  }
});

test('a record renamed in within the same file-time tick as the one before is still shown', async () => {
  const dir = join(elsewhere, 'ticks');
  Memorious.configure({ cacheDir: dir });
  const square = memorious({ name: 'square' })((n: number): number => n * n);
  square(1);
  const vdir = Memorious.locate(square);
  // File times move in coarse ticks; a time that has not yet settled stands for "a tick that may still take renames".
  const tick = new Date(Date.now() + 60_000);
  utimesSync(vdir, tick, tick);
  const ui = await serveUi({ dirs: [dir], port: 0, pollMs: 50 });
  try {
    const count = async (): Promise<number> => ((await (await fetch(`${ui.url}api/overview`)).json()) as { methods: { versions: { records: number }[] }[] }).methods[0]!.versions[0]!.records;
    expect(await count()).toBe(1);
    square(2);
    utimesSync(vdir, tick, tick);
    // While a sweep writes, the page reads again at most once a second.
    let seen = 1;
    for (let i = 0; i < 60 && seen !== 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      seen = await count();
    }
    expect(seen).toBe(2);
  } finally {
    await ui.close();
    Memorious.configure({ cacheDir: cache });
  }
});

test('serveUi refuses a port out of range', async () => {
  await expect(serveUi({ dirs: [cache], port: 70000 })).rejects.toMatchObject({ code: 'FUNES_BAD_OPTION' });
  await expect(serveUi({ dirs: [cache], port: 1.5 })).rejects.toMatchObject({ code: 'FUNES_BAD_OPTION' });
});

test('funes ui prints its URL and stops on Ctrl-C', async () => {
  const ui = await startUi(['--dir', cache]);
  const res = await fetch(`${ui.url}api/overview`);
  expect(res.status).toBe(200);
  await ui.stop();
  expect(ui.child.exitCode).toBe(0);
});

test('funes ui opens nothing by itself; --open hands the URL to the desktop opener', async () => {
  const bin = join(elsewhere, 'bin');
  mkdirSync(bin, { recursive: true });
  const opened = join(elsewhere, 'opened.txt');
  writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\necho "$@" >> ${opened}\n`, { mode: 0o755 });
  const env = { PATH: `${bin}:${process.env.PATH}` };
  const quiet = await startUi(['--dir', cache], env);
  await new Promise((r) => setTimeout(r, 300));
  await quiet.stop();
  expect(existsSync(opened)).toBe(false);
  const ui = await startUi(['--dir', cache, '--open'], env);
  for (let i = 0; i < 100 && !existsSync(opened); i++) await new Promise((r) => setTimeout(r, 50));
  await ui.stop();
  expect(readFileSync(opened, 'utf8').trim()).toBe(ui.url);
});

describe('funes ui: bad usage', () => {
  let taken: Server;
  let port = 0;
  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    port = (taken.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

  test('a taken port says so and exits 2', () => {
    const r = funes(cache, ['ui', '--port', String(port)]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`port ${port} on 127.0.0.1 is in use`);
  });

  test('a port that is not a number exits 2', () => {
    for (const bad of ['abc', '-1', '65536', '80.5']) {
      const r = funes(cache, ['ui', '--port', bad]);
      expect({ bad, status: r.status }).toEqual({ bad, status: 2 });
      expect(r.stderr).toContain('not a port number');
    }
  });

  test('a missing cache directory exits 1 and names it', () => {
    const missing = join(elsewhere, 'nothing-here');
    const r = funes(missing, ['ui', '--port', '0']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`no cache directory at ${missing}`);
  });

  test('a file given as a cache directory, or a Redis that does not answer, exits 1 and says so', () => {
    const file = join(elsewhere, 'not-a-dir');
    writeFileSync(file, 'x');
    const r = funes(file, ['ui', '--port', '0']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${file} is not a directory`);
    const down = funes(undefined, ['ui', '--redis', 'redis://127.0.0.1:1', '--port', '0']);
    expect(down.status).toBe(1);
    expect(down.stderr).toContain('Redis at redis://127.0.0.1:1');
    expect(down.stderr).toContain('check that Redis is running');
  });

  test('a missing directory among others is named on stderr, and the page shows the others', async () => {
    const missing = join(elsewhere, 'gone');
    const ui = await startUi(['--dir', missing, '--dir', cache]);
    try {
      expect(ui.printed).toContain(`showing ${cache} at`);
      expect(ui.printed).not.toContain(missing);
    } finally {
      await ui.stop();
    }
  });

  test('help lists ui and says it stays on this machine', () => {
    expect(funes(undefined, ['--help']).stdout).toMatch(/\bui\b.*local, read-only page/);
    expect(funes(undefined, ['ui', '--help']).stdout).toContain('127.0.0.1 only');
  });
});

const maybe = haveRedisServer() ? describe : describe.skip;

maybe('funes ui --redis', () => {
  const redis = useRedisServer();

  test('shows the methods and records of a RedisStore', async () => {
    const store = new RedisStore({ url: redis().url, prefix: 'uitest' });
    class Remote {
      @memorious({ store })
      async power(n: number): Promise<number> {
        return n ** 2;
      }
    }
    const r = new Remote();
    for (let n = 0; n < 5; n++) await r.power(n);
    await store.close();
    const ui = await startUi(['--redis', redis().url, '--prefix', 'uitest']);
    try {
      const overview = (await (await fetch(`${ui.url}api/overview`)).json()) as { methods: { id: string; name: string; versions: { hash: string; records: number }[] }[] };
      expect(overview.methods.map((m) => [m.name, m.versions[0]!.records])).toEqual([['Remote.power', 5]]);
      const m = overview.methods[0]!;
      const page = (await (await fetch(`${ui.url}api/records?method=${encodeURIComponent(m.id)}&version=${m.versions[0]!.hash}&sort=output`)).json()) as {
        rows: { cells: unknown[] }[];
      };
      expect(page.rows.map((row) => row.cells[1])).toEqual([0, 1, 4, 9, 16]);
      // A record rewritten with a value of the same size (a refresh elsewhere): Redis keeps no mtime, and the size is the same.
      const writer = new RedisStore({ url: redis().url, prefix: 'uitest' });
      const key = (await writer.sizes('Remote.power', m.versions[0]!.hash)).find(() => true)!.key;
      const loc = { method: 'Remote.power', version: m.versions[0]!.hash, key };
      const record = (await writer.read(loc)) as StoredRecord<number>;
      await writer.write(loc, { ...record, output: record.output === 7 ? 8 : 7 });
      await writer.close();
      let outputs: unknown[] = [];
      for (let i = 0; i < 50 && !outputs.some((o) => o === 7 || o === 8); i++) {
        await new Promise((r) => setTimeout(r, 200));
        const again = (await (await fetch(`${ui.url}api/records?method=${encodeURIComponent(m.id)}&version=${m.versions[0]!.hash}`)).json()) as { rows: { cells: unknown[] }[] };
        outputs = again.rows.map((row) => row.cells[1]);
      }
      expect(outputs.filter((o) => o === 7 || o === 8)).toHaveLength(1);
    } finally {
      await ui.stop();
    }
  });
});

afterAll(() => Memorious.configure({ cacheDir: undefined }));
