import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readlinkSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { memorious, Memorious } from '../src';
import { removeFiles } from '../src/maintenance/remove';
import { lockIsDead } from '../src/store/file-lock';
import { recordNameFor, tempCache } from './helpers/cache';

tempCache();

/** The built lock, as another process runs it: take it, say so, hold it for `ms`, release. */
const LOCK_JS = join(__dirname, '..', 'dist', 'cjs', 'store', 'file-lock.js');
const HOLDER = `const { tryLock } = require(${JSON.stringify(LOCK_JS)});
const [path, dir, ms] = process.argv.slice(1);
const lock = tryLock(path, dir, false);
console.log(lock ? 'took' : 'refused');
const until = Date.now() + Number(ms);
while (Date.now() < until);
lock && lock.release();
`;

/** Starts a holder (under `prefix`, a command such as unshare) and resolves once it holds the lock. */
function holdLock(prefix: string[], path: string, dir: string, ms: number): Promise<{ done: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const [cmd, ...args] = [...prefix, process.execPath, '-e', HOLDER, path, dir, String(ms)];
    const child = spawn(cmd!, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    const done = new Promise<void>((r) => child.once('exit', () => r()));
    child.stdout.once('data', (chunk: Buffer) => (chunk.toString().startsWith('took') ? resolve({ done }) : reject(new Error(`holder: ${chunk}`))));
    child.once('error', reject);
  });
}

/**
 * An async method (which locks), and the name its record for `x` has (without `.bin`).
 * Async, so that a regression fails by timeout rather than by a worker blocked for ever.
 */
function lockedMethod(): { call: (x: number) => Promise<number>; runs: () => number; key: (x: number) => Promise<string>; dir: () => string } {
  let runs = 0;
  class Locked {
    @memorious
    async f(x: number): Promise<number> {
      runs++;
      return x + 100;
    }
  }
  const l = new Locked();
  return {
    call: (x) => l.f(x),
    runs: () => runs,
    dir: () => Memorious.locate(l.f),
    key: async (x) => {
      await l.f(x);
      const dir = Memorious.locate(l.f);
      const name = recordNameFor(dir, x);
      rmSync(join(dir, `${name}.bin`));
      return name;
    },
  };
}

test.each([
  ['a folder where the lock would be', 1, (dir: string, key: string) => mkdirSync(join(dir, `${key}.lock`))],
  ['a dangling symlink where the lock would be', 2, (dir: string, key: string) => symlinkSync('/nonexistent/funes-lock', join(dir, `${key}.lock`))],
  [
    'a folder where a dead holder\'s guard would be',
    3,
    (dir: string, key: string) => {
      writeFileSync(join(dir, `${key}.lock`), JSON.stringify({ pid: 2 ** 22 + 7, host: hostname(), token: 'dead', beats: false }));
      mkdirSync(join(dir, `${key}.lock.breaking`));
    },
  ],
])('%s: the call computes at once instead of waiting forever', async (_what, x, plant) => {
  const m = lockedMethod();
  const key = await m.key(x);
  plant(m.dir(), key);
  const before = m.runs();
  expect(await m.call(x)).toBe(x + 100);
  expect(m.runs()).toBe(before + 1);
});

test('a holder in another PID namespace under the same host name (a container with host networking) is not judged dead', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'funes-pidns-'));
  const path = join(dir, 'k.lock');
  try {
    // Its pid is 1 in its namespace: looked up among ours, it would be another process.
    const { done } = await holdLock(['unshare', '--pid', '--fork', '--mount-proc'], path, dir, 3000);
    const held = JSON.parse(readFileSync(path, 'utf8'));
    expect(held.host).toBe(hostname());
    expect(held.ns).not.toBe(readlinkSync('/proc/self/ns/pid'));
    expect(lockIsDead(path)).toBe(false);
    const taken = spawnSync(process.execPath, ['-e', HOLDER, path, dir, '0'], { encoding: 'utf8' });
    expect(taken.stdout.trim()).toBe('refused');
    await done;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a live holder whose start time this user cannot read (/proc mounted with hidepid) is not judged dead', () => {
  const dir = mkdtempSync(join(tmpdir(), 'funes-hidepid-'));
  chmodSync(dir, 0o777);
  // The other users cannot be assumed to reach this checkout (a clone in a private folder): the lock goes with them.
  const lockJs = join(dir, 'lock', 'file-lock.js');
  mkdirSync(join(dir, 'lock'));
  for (const f of ['file-lock.js', 'layout.js']) copyFileSync(join(LOCK_JS, '..', f), join(dir, 'lock', f));
  const script = join(dir, 'holder.js');
  writeFileSync(script, HOLDER.replace('process.argv.slice(1)', 'process.argv.slice(2)').replace(JSON.stringify(LOCK_JS), JSON.stringify(lockJs)));
  const probe = join(dir, 'probe.js');
  writeFileSync(
    probe,
    `const { lockIsDead, tryLock } = require(${JSON.stringify(lockJs)});
const [path, dir] = process.argv.slice(2);
const lock = tryLock(path, dir, false);
console.log(JSON.stringify({ dead: lockIsDead(path), took: !!lock }));
`,
  );
  const path = join(dir, 'k.lock');
  // In a mount namespace of its own, /proc hides other users' processes; the holder is
  // uid 1 and the waiter uid 65534, as with two users sharing one cache.
  const shell = `set -e
mount -t proc -o hidepid=2 proc /proc
setpriv --reuid=1 --regid=1 --clear-groups ${process.execPath} ${script} ${path} ${dir} 3000 > ${dir}/holder.out &
while [ ! -s ${dir}/holder.out ]; do sleep 0.05; done
setpriv --reuid=65534 --regid=65534 --clear-groups ${process.execPath} ${probe} ${path} ${dir}
wait`;
  try {
    const r = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', shell], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('');
    expect(readFileSync(join(dir, 'holder.out'), 'utf8').trim()).toBe('took');
    expect(JSON.parse(r.stdout.trim())).toEqual({ dead: false, took: false });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a lock a scan listed as a dead holder\'s is kept when, by the time it is removed, a live holder has it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'funes-relisted-'));
  const path = join(dir, 'k.lock');
  try {
    // What verify --fix or prune listed minutes ago: a lock whose holder was dead then.
    writeFileSync(path, JSON.stringify({ pid: 2 ** 22 + 7, host: hostname(), token: 'dead', beats: false }));
    expect(lockIsDead(path)).toBe(true);
    const listed = { path, size: statSync(path).size, mtimeMs: statSync(path).mtimeMs };
    // Since then a waiter broke it and took the key.
    rmSync(path);
    const { done } = await holdLock([], path, dir, 1500);
    expect(removeFiles([listed]).files).toBe(0);
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).not.toBe(2 ** 22 + 7);
    await done;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
