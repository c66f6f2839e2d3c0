import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, opendirSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { deserialize, serialize } from 'node:v8';
import { memorious, Memorious, type StoredRecord } from '../../src';
import { withTempDir, type Context } from '../fixtures';
import { summarise, type Stats } from '../measure';
import type { Row } from '../report';

/**
 * Case 14: one version holding 1,000,000 small records (20,000 with --quick). `funes ls`,
 * `funes verify` (the built CLI, as child processes), `Memorious.cachedResults` over all of
 * them and `Memorious.prune` to half, each beside a floor that does the same essential work
 * with nothing but node:fs and node:v8, measured in the same run on the same files.
 *
 * A few records are written through funes; the rest are made from one of them, each with a
 * key of its own that is also its file name, so that every one validates as a call would
 * check it (format, version, key, fields); they are not hits for real calls, which nothing
 * here makes.
 */

/** The repository: this file runs from build/bench/bench/cases. */
const ROOT = resolve(__dirname, '..', '..', '..', '..');
/** Records written by calling the memorized function. */
const SEEDED = 16;
/** Heap is sampled every this many records (every 1,000 below 100,000 records). */
const SAMPLE_EVERY = 10_000;

/** The floor of `funes ls` and `funes verify`, run as a child like them: list, stat each, read and deserialize each. */
const FLOOR_SCRIPT = `'use strict';
const { readdirSync, statSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { deserialize } = require('node:v8');
const dir = process.argv[2];
let records = 0, bytes = 0, time = 0;
for (const d of readdirSync(dir, { withFileTypes: true })) {
  if (!d.isFile() || !d.name.endsWith('.bin') || d.name.startsWith('.')) continue;
  const file = join(dir, d.name);
  bytes += statSync(file).size;
  time += deserialize(readFileSync(file)).time;
  records++;
}
process.stdout.write(JSON.stringify({ records, bytes, time }) + '\\n');
`;

function cliPath(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  const bin = join(ROOT, pkg.bin.funes!);
  if (!existsSync(bin)) throw new Error(`case 14: no ${bin}; run npm run build first`);
  return bin;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** The 64-hex key (and file name) of record `i`. */
function keyOf(i: number): string {
  return createHash('sha256').update(`million:${i}`).digest('hex');
}

interface Filled {
  readonly method: (x: number) => number;
  readonly cacheDir: string;
  readonly versionDir: string;
  /** Writes record `i` (a key of its own, x = i) into the version folder. */
  readonly write: (i: number) => void;
  /** The records funes wrote itself: file name to bytes. */
  readonly seeded: ReadonlyMap<string, Buffer>;
}

/** The memorized function, called SEEDED times, then the version folder filled up to `size` records. */
function fill(cacheDir: string, size: number, log: (m: string) => void): Filled {
  const method = memorious({ cacheDir })(function million(x: number): number {
    return 2 * x;
  });
  for (let i = 0; i < SEEDED; i++) method(i);
  const versionDir = Memorious.locate(method);
  const written = readdirSync(versionDir).filter((n) => n.endsWith('.bin') && !n.startsWith('.'));
  if (written.length !== SEEDED) throw new Error(`case 14: expected ${SEEDED} records in ${versionDir}, found ${written.length}`);
  const seeded = new Map(written.map((name) => [name, readFileSync(join(versionDir, name))]));
  const template = deserialize(seeded.get(written[0]!)!) as StoredRecord;
  if (!/^[0-9a-f]{64}$/.test(template.key) || `${template.key}.bin` !== written[0]) throw new Error(`case 14: unexpected record ${written[0]}`);
  const write = (i: number): void => {
    const key = keyOf(i);
    const record: StoredRecord = { ...template, input: { x: i }, output: 2 * i, key, time: 1e-6 * (i % 1000), created: Date.now() };
    writeFileSync(join(versionDir, `${key}.bin`), serialize(record));
  };
  const t0 = performance.now();
  for (let i = SEEDED; i < size; i++) {
    write(i);
    if (i % 100_000 === 0 && i > 0) log(`  case 14: ${count(i)} / ${count(size)} records written`);
  }
  log(`  case 14: ${count(size)} records written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { method, cacheDir, versionDir, write, seeded };
}

/** Writes back every record (seeded or made) whose file is missing; returns how many. */
function restore(f: Filled, size: number): number {
  const present = new Set(readdirSync(f.versionDir));
  let n = 0;
  for (const [name, bytes] of f.seeded) {
    if (!present.has(name)) {
      writeFileSync(join(f.versionDir, name), bytes);
      n++;
    }
  }
  for (let i = SEEDED; i < size; i++) {
    if (!present.has(`${keyOf(i)}.bin`)) {
      f.write(i);
      n++;
    }
  }
  return n;
}

/**
 * Flushes dirty pages (`sync`, where there is one) so that the writeback of files just
 * written does not fall on whatever is timed next. Unlinking is mostly journal work.
 */
function settle(): void {
  spawnSync('sync', { stdio: 'ignore' });
}

/** Milliseconds of a child node process, end to end; throws unless it exits 0. */
function timeChild(args: readonly string[], check: (stdout: string) => void): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`case 14: node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  check(r.stdout);
  return ms;
}

interface Pass {
  readonly ms: number;
  readonly records: number;
  /** Peak heapUsed above the heap before the pass, sampled every `every` records. */
  readonly heapGrowth: number;
  /** heapUsed after the pass above before it. */
  readonly heapAfter: number;
  readonly rssGrowth: number;
}

/** Runs `body`, which calls `tick` once per record, timing it and sampling the heap every `every` records. */
function pass(body: (tick: () => void) => void, every: number): Pass {
  const before = process.memoryUsage();
  let peakHeap = before.heapUsed;
  let peakRss = before.rss;
  let records = 0;
  const tick = (): void => {
    if (++records % every === 0) {
      const m = process.memoryUsage();
      if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
      if (m.rss > peakRss) peakRss = m.rss;
    }
  };
  const t0 = performance.now();
  body(tick);
  const ms = performance.now() - t0;
  const after = process.memoryUsage();
  return {
    ms,
    records,
    heapGrowth: Math.max(peakHeap, after.heapUsed) - before.heapUsed,
    heapAfter: after.heapUsed - before.heapUsed,
    rssGrowth: Math.max(peakRss, after.rss) - before.rss,
  };
}

/** The floor of cachedResults: stream the folder's names, read and deserialize each file. */
function rawStream(dir: string, tick: () => void): number {
  let time = 0;
  const handle = opendirSync(dir);
  try {
    for (let e = handle.readSync(); e; e = handle.readSync()) {
      if (!e.name.endsWith('.bin') || e.name.startsWith('.')) continue;
      time += (deserialize(readFileSync(join(dir, e.name))) as StoredRecord).time;
      tick();
    }
  } finally {
    handle.closeSync();
  }
  return time;
}

/** The floor of prune to half: list, stat each, oldest first (then by path, as prune), unlink the older half. */
function rawPrune(dir: string, keep: number): number {
  const files: { path: string; size: number; mtimeMs: number }[] = [];
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    if (!d.isFile() || !d.name.endsWith('.bin') || d.name.startsWith('.')) continue;
    const path = join(dir, d.name);
    const s = statSync(path);
    files.push({ path, size: s.size, mtimeMs: s.mtimeMs });
  }
  files.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.path < b.path ? -1 : 1));
  const going = files.length - keep;
  for (let i = 0; i < going; i++) unlinkSync(files[i]!.path);
  return going;
}

/** Stats of whole passes over `records` records, in µs per record. */
function perRecord(ms: readonly number[], records: number): Stats {
  return summarise(
    ms.map((t) => (t * 1000) / records),
    1,
  );
}

function perSecond(s: Stats): string {
  return count(Math.round(1e6 / s.median));
}

function mb(bytes: number): string {
  return `${bytes < 0 ? '−' : '+'}${(Math.abs(bytes) / 1024 / 1024).toFixed(1)} MB`;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export async function millionCases(ctx: Context): Promise<Row[]> {
  const size = ctx.quick ? 20_000 : 1_000_000;
  // A pass over 1,000,000 files takes 30 to 100 s here: once each at full size.
  const runs = ctx.quick ? 5 : 1;
  const pruneRuns = ctx.quick ? 3 : 1;
  const half = Math.floor(size / 2);
  const cli = cliPath();
  const n = count(size);
  return withTempDir(ctx.base, 'million', async (base) => {
    const f = fill(join(base, 'cache'), size, ctx.log);
    const floorScript = join(base, 'floor.js');
    writeFileSync(floorScript, FLOOR_SCRIPT);

    const checkFloor = (out: string): void => {
      const got = (JSON.parse(out) as { records: number }).records;
      if (got !== size) throw new Error(`case 14: the floor read ${got} records, not ${size}`);
    };
    const checkLs = (out: string): void => {
      const json = JSON.parse(out) as { methods: { versions: { records: number }[] }[] };
      const got = json.methods.flatMap((m) => m.versions).reduce((k, v) => k + v.records, 0);
      if (got !== size) throw new Error(`case 14: funes ls counted ${got} records, not ${size}`);
    };
    const checkVerify = (out: string): void => {
      const json = JSON.parse(out) as { checked: number; invalid: number };
      if (json.checked !== size || json.invalid !== 0) throw new Error(`case 14: funes verify checked ${json.checked}, ${json.invalid} invalid`);
    };
    const subjects: { label: string; run: () => number; ms: number[]; memory: Pass[] }[] = [
      { label: 'ls', run: () => timeChild([cli, 'ls', '--json', '--dir', f.cacheDir], checkLs), ms: [], memory: [] },
      { label: 'verify', run: () => timeChild([cli, 'verify', '--json', '--dir', f.cacheDir], checkVerify), ms: [], memory: [] },
      { label: 'child floor', run: () => timeChild([floorScript, f.versionDir], checkFloor), ms: [], memory: [] },
    ];
    const inProcess = (label: string, body: (tick: () => void) => void): (typeof subjects)[number] => {
      const s: (typeof subjects)[number] = {
        label,
        run: () => {
          const p = pass(body, size >= 100_000 ? SAMPLE_EVERY : 1_000);
          if (p.records !== size) throw new Error(`case 14: ${label} gave ${p.records} records, not ${size}`);
          s.memory.push(p);
          return p.ms;
        },
        ms: [],
        memory: [],
      };
      return s;
    };
    subjects.push(
      inProcess('cachedResults', (tick) => {
        let time = 0;
        for (const r of Memorious.cachedResults(f.method)) {
          time += r.time;
          tick();
        }
        return time;
      }),
      inProcess('stream floor', (tick) => rawStream(f.versionDir, tick)),
    );

    settle();
    // No warm-up pass: the files were all just written, so their inodes and pages are in
    // memory for every subject alike; the order of the subjects rotates round by round.
    for (let r = 0; r < runs; r++) {
      for (let k = 0; k < subjects.length; k++) {
        const s = subjects[(r + k) % subjects.length]!;
        s.ms.push(s.run());
      }
      ctx.log(`  case 14: round ${r + 1}/${runs}: ${subjects.map((s) => `${s.label} ${(s.ms.at(-1)! / 1000).toFixed(1)} s`).join(', ')}`);
    }
    const [ls, verify, childFloor, cached, streamFloor] = subjects.map((s) => perRecord(s.ms, size));

    // Prune: the floor unlinks the older half, that half is written back (now the newer
    // one), then funes prunes the other, older, half, which is written back in turn.
    const pruneMs: number[] = [];
    const floorPruneMs: number[] = [];
    for (let r = 0; r < pruneRuns; r++) {
      settle();
      let t0 = performance.now();
      const gone = rawPrune(f.versionDir, size - half);
      floorPruneMs.push(performance.now() - t0);
      if (gone !== half) throw new Error(`case 14: the prune floor removed ${gone}, not ${half}`);
      if (restore(f, size) !== half) throw new Error('case 14: restoring after the prune floor went wrong');
      settle();
      t0 = performance.now();
      const summary = Memorious.prune({ dir: f.cacheDir, maxEntries: size - half });
      pruneMs.push(performance.now() - t0);
      if (summary.removed !== half || summary.kept !== size - half) throw new Error(`case 14: prune removed ${summary.removed}, kept ${summary.kept}`);
      ctx.log(`  case 14: prune round ${r + 1}/${pruneRuns}: floor ${(floorPruneMs.at(-1)! / 1000).toFixed(1)} s, funes ${(pruneMs.at(-1)! / 1000).toFixed(1)} s`);
      if (r + 1 < pruneRuns && restore(f, size) !== half) throw new Error('case 14: restoring after prune went wrong');
    }
    const prune = perRecord(pruneMs, size);
    const floorPrune = perRecord(floorPruneMs, size);

    const cachedMem = subjects[3]!.memory;
    const floorMem = subjects[4]!.memory;
    const heap = (ps: readonly Pass[]): string =>
      `peak heap ${mb(median(ps.map((p) => p.heapGrowth)))}, after ${mb(median(ps.map((p) => p.heapAfter)))}, peak RSS ${mb(median(ps.map((p) => p.rssGrowth)))}`;
    const childLabel = 'node child: readdirSync + statSync + readFileSync + v8.deserialize each';
    const rate = (s: Stats, floor: Stats): string => `${perSecond(s)} records/s vs floor ${perSecond(floor)} records/s`;
    // The two commands are measured against one floor, the same way.
    const command = (name: string, subject: Stats): Row => ({
      id: '14',
      label: `funes ${name}, ${n} records (µs per record)`,
      subject,
      reference: childFloor!,
      referenceLabel: childLabel,
      note: `${rate(subject, childFloor!)}; wall clock of the built CLI, process start-up included in both`,
    });
    return [
      command('ls', ls!),
      command('verify', verify!),
      {
        id: '14',
        label: `Memorious.cachedResults over ${n} records (µs per record)`,
        subject: cached!,
        reference: streamFloor!,
        referenceLabel: 'opendirSync + readFileSync + v8.deserialize each',
        note: `${rate(cached!, streamFloor!)}; funes ${heap(cachedMem)}; floor ${heap(floorMem)}`,
      },
      {
        id: '14',
        label: `Memorious.prune to half of ${n} records (µs per record listed)`,
        subject: prune,
        reference: floorPrune,
        referenceLabel: 'readdirSync + statSync each + sort by mtime + unlinkSync the older half',
        note:
          `${rate(prune, floorPrune)} (records in the cache per second); ${pruneRuns} run${pruneRuns > 1 ? 's' : ''} each, on the same folder: ` +
          'the floor removes the older half, which is then written back, and prune removes the other half, equally many files; ' +
          'sync before each, so that no writeback of the files just written falls on either',
      },
    ];
  });
}
