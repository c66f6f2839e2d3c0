import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, watch, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { memorious, Memorious } from '../src';
import { recordNameFor, tempCache } from './helpers/cache';

tempCache();

test('a lock whose pid now names another process (a reused pid) is taken over, not waited on', () => {
  let runs = 0;
  class Reused {
    @memorious({ lock: true })
    f(x: number): number {
      runs++;
      return x * 2;
    }
  }
  const r = new Reused();
  r.f(0); // makes the version directory and learns where records go
  const dir = Memorious.locate(r.f);
  // Which record file f(1) will have: make it, note its name, remove it.
  r.f(1);
  const key = recordNameFor(dir, 1);
  Memorious.clear(r.f);
  mkdirSync(dir, { recursive: true });
  // A live pid (ours) with a start time that is not ours: the holder that wrote it is gone.
  writeFileSync(`${dir}/${key}.lock`, JSON.stringify({ pid: process.pid, start: '1', host: hostname(), token: 'old', beats: false }));
  const before = runs;
  expect(r.f(1)).toBe(2);
  expect(runs).toBe(before + 1);
});

test('loadCachedResults leaves out records past maxAge', () => {
  class Short {
    @memorious({ maxAge: 50 })
    f(x: number): number {
      return x;
    }
  }
  const s = new Short();
  s.f(1);
  expect(Memorious.loadCachedResults(s.f)).toHaveLength(1);
  const until = Date.now() + 80;
  while (Date.now() < until);
  expect(Memorious.loadCachedResults(s.f)).toHaveLength(0);
});

test('a waiter polling a live holder\'s lock changes nothing in the folder; it takes the lock once the holder dies', async () => {
  let runs = 0;
  class Waiting {
    @memorious
    async f(x: number): Promise<number> {
      runs++;
      return x * 2;
    }
  }
  const w = new Waiting();
  await w.f(0);
  const dir = Memorious.locate(w.f);
  await w.f(1);
  const key = recordNameFor(dir, 1);
  Memorious.clear(w.f);
  mkdirSync(dir, { recursive: true });
  // Another live process holds f(1)'s lock: a sleeper, killed after the waiter has polled a while.
  const holder = spawn('sleep', ['30'], { stdio: 'ignore' });
  writeFileSync(`${dir}/${key}.lock`, JSON.stringify({ pid: holder.pid, host: hostname(), token: 'other', beats: false }));
  const made: string[] = [];
  const watcher = watch(dir, (event, name) => {
    made.push(`${event} ${name}`);
  });
  try {
    const before = runs;
    const call = w.f(1);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(runs).toBe(before);
    const changes = [...made];
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
    expect(await call).toBe(2);
    expect(runs).toBe(before + 1);
    // Six or so polls in 600 ms: none of them changed the folder while the holder lived (each made a draft before).
    expect(changes).toEqual([]);
    expect(readdirSync(dir).filter((n) => n.endsWith('.draft') || n.endsWith('.lock'))).toEqual([]);
  } finally {
    watcher.close();
    holder.kill('SIGKILL');
  }
});

test('three processes taking and releasing one lock as fast as they can are never two holders at once', async () => {
  // The store's lock itself, from the built package: a released lock judged by a waiter
  // must not be removed under the guard after another waiter has made its own.
  const dir = mkdtempSync(join(tmpdir(), 'funes-lock-race-'));
  const script = join(dir, 'hammer.js');
  writeFileSync(
    script,
    `const fs = require('fs');
const { tryLock } = require(${JSON.stringify(join(__dirname, '..', 'dist', 'cjs', 'store', 'file-lock.js'))});
const [dir, ms] = process.argv.slice(2);
const end = Date.now() + Number(ms);
let held = 0, both = 0;
while (Date.now() < end) {
  const lock = tryLock(dir + '/k.lock', dir, false);
  if (!lock) continue;
  held++;
  try { fs.closeSync(fs.openSync(dir + '/marker', 'wx')); } catch { both++; lock.release(); continue; }
  for (let i = 0; i < 200; i++);
  fs.unlinkSync(dir + '/marker');
  lock.release();
}
console.log(JSON.stringify({ held, both }));
`,
  );
  try {
    const runs = await Promise.all(
      [0, 1, 2].map(
        () =>
          new Promise<{ held: number; both: number }>((resolve, reject) => {
            execFile(process.execPath, [script, dir, '2500'], { encoding: 'utf8' }, (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout))));
          }),
      ),
    );
    // Each took it many times; none ever found another holder's marker (41 to 227 per 5 s before).
    for (const r of runs) expect(r.held).toBeGreaterThan(10);
    expect(runs.map((r) => r.both)).toEqual([0, 0, 0]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
