import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { deserialize } from 'node:v8';
import { memorious, Memorious } from '../src';
import { tempCache } from './helpers/cache';

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
  const key = readdirSync(dir)
    .filter((n) => n.endsWith('.bin'))
    .find((n) => deserialize(readFileSync(`${dir}/${n}`)).input.x === 1)!
    .slice(0, -4);
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
