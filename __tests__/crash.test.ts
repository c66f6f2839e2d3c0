import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { deserialize } from 'node:v8';
import { Memorious } from '../src';
import { recordFigures } from './helpers/figures';
import { lastJson, projectDir, runScript, writeScript } from './helpers/child';

// Invariant 2: a writer killed with SIGKILL at any moment leaves whole records or none.
// Each kill is a fresh child that writes small records (new keys) and 50 MB records (a
// few keys rewritten again and again: maxAge 1 ms makes each call a miss that replaces
// the file), killed after a random delay. FUNES_LONG_TESTS=1 kills ten times as often.
const LONG = process.env.FUNES_LONG_TESTS === '1';
const ROUNDS = LONG ? 10 : 4;
const KILLS_PER_ROUND = 25;
const LANES = 2;
const BIG = 6_500_000;
const BIG_KEYS = 3;
/** Most kills land up to this long after a writer is ready, while its first writes are under way. */
const KILL_WINDOW_MS = 300;
const SEED = Number(process.env.FUNES_CRASH_SEED ?? 20240521);

const SCRIPT = `
import { appendFileSync, readFileSync } from 'node:fs';
import { memorious, Memorious } from 'funes';

const writing = process.argv[2] === 'write';
class Crash {
  @memorious
  small(i: number): { i: number; square: number; text: string } {
    if (!writing) appendFileSync('computed.log', 'small ' + i + '\\n');
    return { i, square: i * i, text: 'x'.repeat(i % 97) };
  }

  // Not part of the version: the writer rewrites its few keys on every call, the reader hits.
  @memorious({ maxAge: writing ? 1 : undefined })
  big(k: number): Float64Array {
    if (!writing) appendFileSync('computed.log', 'big ' + k + '\\n');
    return new Float64Array(${BIG}).fill(k + 0.5);
  }
}

const c = new Crash();
if (writing) {
  const run = Number(process.argv[3]);
  // Make both versions (reading and parsing this file) before the kill clock starts.
  Memorious.locate(c.small);
  Memorious.locate(c.big);
  console.log('ready');
  const t0 = Date.now();
  for (let j = 0; Date.now() - t0 < 20000; j++) {
    c.big((run + j) % ${BIG_KEYS});
    for (let s = 0; s < 200; s++) c.small(run * 100000 + j * 200 + s);
  }
} else if (process.argv[2] === 'read') {
  const { smalls, bigs } = JSON.parse(readFileSync(process.argv[3]!, 'utf8')) as { smalls: number[]; bigs: number[] };
  let wrong = 0;
  for (const i of smalls) {
    const o = c.small(i);
    if (o.i !== i || o.square !== i * i || o.text !== 'x'.repeat(i % 97)) wrong++;
  }
  for (const k of bigs) {
    const a = c.big(k);
    if (!(a instanceof Float64Array) || a.length !== ${BIG} || a.some((x) => x !== k + 0.5)) wrong++;
  }
  console.log(JSON.stringify({ wrong, records: Memorious.loadCachedResults(c.small).length }));
} else {
  const small = Memorious.clear(c.small, { allVersions: true });
  const big = Memorious.clear(c.big, { allVersions: true });
  console.log(JSON.stringify({ small, big }));
}
`;

/** A reproducible stream of numbers in [0, 1), so that a failing run can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Files {
  records: string[];
  temps: string[];
  other: string[];
}

function walk(root: string): Files {
  const out: Files = { records: [], temps: [], other: [] };
  const visit = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.name.startsWith('.tmp-')) out.temps.push(p);
      else if (e.name.endsWith('.bin')) out.records.push(p);
      else if (e.name !== 'meta.json' && e.name !== 'used' && e.name !== '.gitignore') out.other.push(relative(root, p));
    }
  };
  try {
    visit(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return out;
}

/** Starts a writer, kills it with SIGKILL `delay` ms after it is ready; resolves with how it ended. */
function killWriter(dir: string, script: string, run: number, delay: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, 'write', String(run)], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), delay));
    child.on('error', reject);
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve('killed') : reject(new Error(`writer ended ${code}: ${stderr}`))));
  });
}

describe('SIGKILL at random moments while writing small and 50 MB records', () => {
  const dir = projectDir();
  const script = writeScript(dir, 'crash', SCRIPT);
  const cache = join(dir, 'cache');
  const random = prng(SEED);
  const figures = {
    ...{ seed: SEED, kills: 0, recordsChecked: 0, bigRecordsChecked: 0, tempFilesLeft: 0, tempBytesLeft: 0 },
    ...{ readerKeys: 0, interruptedKeysRecomputed: 0, prunedTemps: 0, clearedRecords: 0 },
  };
  let run = 0;
  /** Distinct 50 MB records seen whole: one per completed write of a big key. */
  const bigWrites = new Set<string>();

  /** Every `.bin` is a whole, valid record, right for its input; returns the inputs it holds. */
  function checkRecords(): { smalls: number[]; bigs: number[]; next: number[] } {
    const { records, other } = walk(cache);
    expect(other).toEqual([]);
    const smalls: number[] = [];
    const bigs: number[] = [];
    for (const file of records) {
      const r = deserialize(readFileSync(file));
      expect(r).toMatchObject({ key: basename(file, '.bin'), version: basename(dirname(file)), async: false });
      expect(typeof r.format).toBe('number');
      expect(r.time).toBeGreaterThanOrEqual(0);
      if (r.method === 'Crash.small') {
        const i = r.input.i as number;
        expect(r.output).toEqual({ i, square: i * i, text: 'x'.repeat(i % 97) });
        smalls.push(i);
      } else {
        expect(r.method).toBe('Crash.big');
        const k = r.input.k as number;
        const a = r.output as Float64Array;
        // v8.deserialize builds it in the outer realm: jest's Float64Array is another class.
        expect(Object.prototype.toString.call(a)).toBe('[object Float64Array]');
        expect(a.length).toBe(BIG);
        expect(a.every((x) => x === k + 0.5)).toBe(true);
        bigs.push(k);
        bigWrites.add(`${k} ${r.created}`);
        figures.bigRecordsChecked++;
      }
      figures.recordsChecked++;
    }
    // The key each killed writer was likely writing when it died: one past its last record.
    const last = new Map<number, number>();
    for (const i of smalls) last.set(Math.floor(i / 100000), Math.max(i, last.get(Math.floor(i / 100000)) ?? -1));
    return { smalls, bigs, next: [...last.values()].map((i) => i + 1) };
  }

  /** A fresh process is served every stored record, right, and computes only the missing ones. */
  function readBack(stored: { smalls: number[]; bigs: number[]; next: number[] }): void {
    const keysFile = join(dir, 'keys.json');
    const missing = stored.next.filter((i) => !stored.smalls.includes(i));
    writeFileSync(keysFile, JSON.stringify({ smalls: [...stored.smalls, ...missing], bigs: stored.bigs }));
    writeFileSync(join(dir, 'computed.log'), '');
    const out = lastJson<{ wrong: number; records: number }>(runScript(dir, script, { args: ['read', keysFile] }));
    expect(out.wrong).toBe(0);
    const computed = readFileSync(join(dir, 'computed.log'), 'utf8').split('\n').filter(Boolean);
    expect(computed.sort()).toEqual(missing.map((i) => `small ${i}`).sort());
    figures.readerKeys += stored.smalls.length + missing.length + stored.bigs.length;
    figures.interruptedKeysRecomputed += missing.length;
  }

  async function killRound(): Promise<void> {
    const lanes = Array.from({ length: LANES }, async (_, lane) => {
      for (let n = lane; n < KILLS_PER_ROUND; n += LANES) {
        // Every fifth writer lives long enough to finish 50 MB writes even on a loaded machine.
        const delay = n % 5 === 4 ? 1000 + random() * 1500 : random() * KILL_WINDOW_MS;
        expect(await killWriter(dir, script, ++run, Math.floor(delay))).toBe('killed');
        figures.kills++;
      }
    });
    await Promise.all(lanes);
  }

  test.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))(
    `round %i of ${ROUNDS}: ${KILLS_PER_ROUND} kills, every record whole and right, temp files removed`,
    async (round) => {
      await killRound();
      const stored = checkRecords();
      // Some writers lived long enough to store a 50 MB record, and some of those to replace it.
      if (round === ROUNDS) expect(bigWrites.size).toBeGreaterThan(BIG_KEYS);
      readBack(stored);
      const { temps } = walk(cache);
      figures.tempFilesLeft += temps.length;
      for (const t of temps) figures.tempBytesLeft += readFileSync(t).length;
      if (round < ROUNDS) {
        // prune removes temp files older than a minute (younger ones may be a live write).
        const old = new Date(Date.now() - 120_000);
        for (const t of temps) utimesSync(t, old, old);
        const records = walk(cache).records.length;
        const pruned = Memorious.prune({ dir: cache });
        expect(pruned).toMatchObject({ tempFiles: temps.length, removed: 0, kept: records });
        figures.prunedTemps += pruned.tempFiles;
      } else {
        const cleared = lastJson<{ small: number; big: number }>(runScript(dir, script, { args: ['clear'] }));
        figures.clearedRecords = cleared.small + cleared.big;
        expect(walk(cache).records).toEqual([]);
      }
      expect(walk(cache).temps).toEqual([]);
    },
    120_000,
  );

  afterAll(() => {
    recordFigures('crash', 'sigkill', { ...figures, bigWritesSeen: bigWrites.size, rounds: ROUNDS, lanes: LANES, long: LONG });
  });
});
