import { spawnSync } from 'node:child_process';
import { existsSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { memorious, Memorious } from '../src';
import { tempCache } from './helpers/cache';

const cache = tempCache();

test('prune removes the leftovers of crashed lock holders, never a live lock', () => {
  class Locked {
    @memorious({ lock: true })
    f(x: number): number {
      return x;
    }
  }
  new Locked().f(1);
  const dir = Memorious.locate(Locked.prototype.f);
  const deadPid = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
  const holder = (pid: number): string => JSON.stringify({ pid, host: hostname(), token: `t${pid}`, beats: false });
  const dead = join(dir, `${'a'.repeat(64)}.lock`);
  const live = join(dir, `${'b'.repeat(64)}.lock`);
  const guard = join(dir, `${'c'.repeat(64)}.lock.breaking`);
  const draft = join(dir, `${'d'.repeat(64)}.lock.0123456789abcdef.draft`);
  writeFileSync(dead, holder(Number(deadPid)));
  writeFileSync(live, holder(process.pid));
  writeFileSync(guard, '');
  writeFileSync(draft, holder(Number(deadPid)));
  const past = Date.now() / 1000 - 120;
  for (const f of [dead, live, guard, draft]) utimesSync(f, past, past);

  const summary = Memorious.prune({ dir: cache, maxEntries: 1000 });
  expect(summary.tempFiles).toBe(3);
  expect(existsSync(dead)).toBe(false);
  expect(existsSync(guard)).toBe(false);
  expect(existsSync(draft)).toBe(false);
  expect(existsSync(live)).toBe(true);
  expect(new Locked().f(1)).toBe(1);
});
