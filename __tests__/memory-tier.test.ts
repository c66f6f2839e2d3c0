import * as fs from 'node:fs';
import { join } from 'node:path';
import { types } from 'node:util';
import { serialize, deserialize } from 'node:v8';
import { FunesError, memorious, Memorious } from '../src';
import { tempCache } from './helpers/cache';
import { lastJson, projectDir, runScript } from './helpers/child';
import { expectWarnings } from './helpers/quiet-warnings';
// Warnings this file provokes: its memorized code reads test-local counters, which no version can see.
expectWarnings('FUNES_HIDDEN_DEPENDENCY');

tempCache();
afterEach(() => Memorious.configure({ memoryBytes: undefined }));

let runs = 0;
class Tiered {
  @memorious
  point(x: number): { x: number; list: number[] } {
    runs++;
    return { x, list: [x, x] };
  }

  @memorious
  blob(n: number): { data: Buffer; when: Date } {
    runs++;
    return { data: Buffer.from([n, n]), when: new Date(n) };
  }

  @memorious
  flat(x: number): { x: number; name: string } {
    runs++;
    return { x, name: `p${x}` };
  }

  @memorious
  tagged(x: number): number[] {
    runs++;
    return Object.assign([x, x], { tag: 'kept' });
  }

  @memorious
  async later(x: number): Promise<number[]> {
    runs++;
    return [x];
  }
}
const t = new Tiered();

/** The record file of `t.point(x)`. */
function fileOf(x: number): string {
  const dir = Memorious.locate(t.point);
  const name = fs.readdirSync(dir).find((n) => n.endsWith('.bin') && (deserialize(fs.readFileSync(join(dir, n))) as { input: { x: number } }).input.x === x);
  return join(dir, name!);
}

/** How many times the record files were opened for reading while `fn` ran. */
function opensDuring(fn: () => unknown): number {
  let opens = 0;
  // The module object itself (what funes calls through), not this file's namespace copy of it.
  const core = jest.requireActual<typeof fs>('node:fs');
  const open = core.openSync;
  const spy = jest.spyOn(core, 'openSync').mockImplementation(((path: fs.PathLike, flags?: fs.OpenMode, mode?: fs.Mode) => {
    if (String(path).endsWith('.bin') && (flags === 'r' || flags === undefined)) opens++;
    return open(path, flags ?? "r", mode);
  }) as typeof fs.openSync);
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return opens;
}

describe('the memory tier', () => {
  test('repeated hits are served without reading the file; with a budget of 0 every hit reads it', () => {
    t.point(1);
    // The first hit after the write reads the file, and holds it.
    expect(opensDuring(() => t.point(1))).toBe(1);
    expect(opensDuring(() => {
      for (let i = 0; i < 5; i++) expect(t.point(1)).toEqual({ x: 1, list: [1, 1] });
    })).toBe(0);
    Memorious.configure({ memoryBytes: 0 });
    expect(opensDuring(() => {
      for (let i = 0; i < 5; i++) t.point(1);
    })).toBe(5);
  });

  test('a record read from disk once is then held: the first hit reads, the next do not', () => {
    t.point(2);
    Memorious.configure({ memoryBytes: 0 });
    Memorious.configure({ memoryBytes: '1M' });
    expect(opensDuring(() => t.point(2))).toBe(1);
    expect(opensDuring(() => t.point(2))).toBe(0);
  });

  test('each hit returns a fresh value: mutating an output changes nothing for the next hit', async () => {
    t.point(3);
    const first = t.point(3);
    first.list.push(99);
    first.x = -1;
    expect(t.point(3)).toEqual({ x: 3, list: [3, 3] });
    expect(t.point(3)).not.toBe(t.point(3));
    await t.later(4);
    const out = await t.later(4);
    out.push(5);
    expect(await t.later(4)).toEqual([4]);
  });

  test('a flat record is copied too: mutating one hit changes nothing for the next; an array keeps its named properties', () => {
    t.flat(1);
    const first = t.flat(1);
    first.x = 99;
    first.name = 'changed';
    expect(t.flat(1)).toEqual({ x: 1, name: 'p1' });
    t.tagged(2);
    for (let i = 0; i < 3; i++) {
      const hit = t.tagged(2);
      expect([...hit]).toEqual([2, 2]);
      expect((hit as number[] & { tag?: string }).tag).toBe('kept');
      hit.push(3);
    }
  });

  test('a hit from memory gives what a hit from disk gives: a Buffer stays a Buffer, a Date a Date, each fresh', () => {
    t.blob(7);
    for (let i = 0; i < 3; i++) {
      const hit = t.blob(7);
      expect(Buffer.isBuffer(hit.data)).toBe(true);
      expect(types.isDate(hit.when)).toBe(true);
      expect([...hit.data]).toEqual([7, 7]);
      hit.data[0] = 0;
    }
    Memorious.configure({ memoryBytes: 0 });
    const fromDisk = t.blob(7);
    Memorious.configure({ memoryBytes: undefined });
    t.blob(7);
    expect(t.blob(7)).toEqual(fromDisk);
  });

  test('a record removed behind its back is a miss; one replaced is served as replaced, even in place with its mtime restored', () => {
    t.point(5);
    t.point(5);
    const file = fileOf(5);
    fs.rmSync(file);
    const before = runs;
    t.point(5);
    expect(runs - before).toBe(1);
    t.point(5);

    // Same size, same modification time, other content: only the change time tells.
    const record = deserialize(fs.readFileSync(file)) as { output: { x: number; list: number[] } };
    const when = new Date(Math.floor(Date.now() / 1000) * 1000);
    fs.writeFileSync(file, serialize(record));
    fs.utimesSync(file, when, when);
    expect(t.point(5)).toEqual({ x: 5, list: [5, 5] });
    const held = fs.statSync(file);
    // Changed in place: a new array literal could be serialized in another (longer) form.
    record.output.list.fill(7);
    const bytes = serialize(record);
    expect(bytes.length).toBe(held.size);
    fs.writeFileSync(file, bytes);
    fs.utimesSync(file, when, when);
    expect(fs.statSync(file)).toEqual(expect.objectContaining({ ino: held.ino, size: held.size, mtimeMs: held.mtimeMs }));
    expect(t.point(5)).toEqual({ x: 5, list: [7, 7] });
    expect(runs - before).toBe(1);
  });

  test('the least recently used records go first when the budget is full', () => {
    const xs = Array.from({ length: 17 }, (_, i) => 100 + i);
    for (const x of xs) t.point(x);
    const size = fs.statSync(fileOf(100)).size;
    // Room for sixteen records of this size: the least recently used of seventeen goes.
    Memorious.configure({ memoryBytes: size * 16 });
    for (const x of xs) t.point(x);
    expect(opensDuring(() => t.point(116))).toBe(0);
    expect(opensDuring(() => t.point(101))).toBe(0);
    expect(opensDuring(() => t.point(100))).toBe(1);
  });

  test('a record larger than a sixteenth of the budget is read from disk each time', () => {
    const size = fs.statSync((t.point(20), fileOf(20))).size;
    Memorious.configure({ memoryBytes: size * 16 - 1 });
    t.point(20);
    expect(opensDuring(() => t.point(20))).toBe(1);
    Memorious.configure({ memoryBytes: size * 16 });
    t.point(20);
    expect(opensDuring(() => t.point(20))).toBe(0);
  });

  test('clear forgets what it removed', () => {
    t.point(30);
    t.point(30);
    Memorious.clear(t.point);
    const before = runs;
    t.point(30);
    expect(runs - before).toBe(1);
  });

  test('a bad budget is an error', () => {
    expect(() => Memorious.configure({ memoryBytes: -1 })).toThrow(FunesError);
    expect(() => Memorious.configure({ memoryBytes: 'lots' })).toThrow(/memoryBytes/);
  });
});

describe('the memory tier across processes', () => {
  const dir = projectDir();
  const env = { FUNES_CACHE_DIR: join(dir, 'cache') };
  // One process holds a record in memory while others replace or remove it.
  const script = join(dir, 'main.js');
  fs.writeFileSync(
    script,
    `const { memorious, Memorious } = require('funes');
const { execFileSync } = require('node:child_process');
const offset = Number(process.env.OFFSET || 0);
const f = memorious(function f(x) { return x + offset; });
if (process.argv[2] === 'refresh') { f(1); process.exit(0); }
if (process.argv[2] === 'remove') { require('node:fs').rmSync(Memorious.locate(f), { recursive: true }); process.exit(0); }
const seen = [f(1), f(1)];
const other = (what, env) => execFileSync(process.execPath, [__filename, what], { env: { ...process.env, ...env } });
other('refresh', { FUNES_MODE: 'refresh', OFFSET: '100' });
seen.push(f(1), f(1));
other('remove', {});
seen.push(f(1), f(1));
console.log(JSON.stringify(seen));
`,
  );

  test('a record another process replaced or removed is not served from memory', () => {
    const result = runScript(dir, script, { env });
    expect(lastJson(result)).toEqual([1, 1, 101, 101, 1, 1]);
  });
});
