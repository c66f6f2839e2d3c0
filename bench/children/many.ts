/**
 * Case 12's child: one of several processes working one cache at once. As `funes`, it calls
 * a memorized function: hits of records every process shares, misses of keys its own,
 * and misses of keys every process wants at once (which the cache's lock computes once).
 * As `floor`, it does the same mix by hand: reads and deserializes the shared records, and
 * writes its own records to a temp file renamed into one folder. Starts at `startAt` (ms
 * since the epoch), times its calls from `timedFrom` until `until`, then prints what it
 * saw as JSON. The calls before `timedFrom` warm it under the same load, as every other
 * case warms its code before timing: what they cost is reported apart, as `cold`.
 *
 * As `funes-unlocked`, it calls the same function without its lock: what the lock costs.
 * Each run names its own and contended keys by `run`, so that no run finds another's.
 *
 * Usage: node many.js <funes|funes-unlocked|floor> <dir> <run> <worker> <shared> <startAt> <timedFrom> <until>
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { Memorious, memorious } from '../../src';

/**
 * Every computation, by key, so the parent can count duplicates: kept in memory and
 * written once at the end, so that the timed miss holds funes's file work and none of the
 * bench's own (the floor keeps no such log).
 */
const computations: string[] = [];
/** Whether the call being timed computed (a miss) or was served a record (a hit). */
let computed = false;

/** The memorized function every process calls; `lock` so that a shared miss is computed once (one name, one folder, either way). */
export const point = memorious({ name: 'manyPoint', lock: process.argv[2] !== 'funes-unlocked' })(function manyPoint(kind: string, i: number): { kind: string; i: number; sq: number } {
  computed = true;
  computations.push(`${kind}:${i}\n`);
  return { kind, i, sq: i * i };
});

export interface WorkerReport {
  readonly hits: number[];
  readonly misses: number[];
  /** Calls of a key another process was computing: served its record once the lock was free. */
  readonly waits: number[];
  readonly errors: string[];
  readonly wrong: number;
  /** Calls in the timed window. */
  readonly ops: number;
  readonly ms: number;
  /** Latencies of the warm-up's hits and misses, from the process's first call. */
  readonly cold: { readonly hits: number[]; readonly misses: number[] };
}

/** The mix: of every 10 operations, 6 hits of shared records, 2 misses of own keys, 2 of keys all processes want. */
function kindOf(n: number): 'hit' | 'own' | 'contended' {
  const k = n % 10;
  return k < 6 ? 'hit' : k < 8 ? 'own' : 'contended';
}

function main(): void {
  const [role, dir, run, workerText, sharedText, startText, timedText, untilText] = process.argv.slice(2);
  const funes = role !== 'floor';
  const startAt = Number(startText);
  const timedFrom = Number(timedText);
  const worker = Number(workerText);
  const shared = Number(sharedText);
  const until = Number(untilText);
  const cold = { hits: [] as number[], misses: [] as number[], waits: [] as number[] };
  const timed = { hits: [] as number[], misses: [] as number[], waits: [] as number[] };
  let seen = cold;
  const errors: string[] = [];
  let wrong = 0;
  let n = 0;
  let own = 0;
  let contended = 0;
  const floorDir = join(dir!, 'floor');
  const sharedFiles = !funes ? readFileSync(join(dir!, 'shared.txt'), 'utf8').split('\n').filter(Boolean) : [];
  if (funes) {
    Memorious.configure({ cacheDir: join(dir!, 'cache') });
  } else {
    mkdirSync(floorDir, { recursive: true });
  }
  // Start together, so that the processes overlap from the first operation.
  while (Date.now() < startAt) {
    // spin
  }
  let start = performance.now();
  let ops = 0;
  while (Date.now() < until) {
    if (seen === cold && Date.now() >= timedFrom) {
      seen = timed;
      start = performance.now();
    }
    if (seen === timed) ops++;
    const kind = kindOf(n++);
    let waited = false;
    const t0 = performance.now();
    try {
      if (funes) {
        const [k, i] = kind === 'hit' ? ['shared', (n * 7919) % shared] : kind === 'own' ? [`${run}-w${worker}`, own++] : [`${run}-contended`, contended++];
        computed = false;
        const out = point(k, i);
        if (kind === 'hit' && computed) errors.push(`shared record ${i} was computed again: it was lost`);
        // A key every process wants is a miss for the one that computes it; the others wait for its record.
        waited = kind === 'contended' && !computed;
        if (out.kind !== k || out.i !== i || out.sq !== i * i) wrong++;
      } else if (kind === 'hit') {
        const i = (n * 7919) % shared;
        const out = (deserialize(readFileSync(sharedFiles[i]!)) as { output: { i: number } }).output;
        if (out.i !== i) wrong++;
      } else {
        const i = kind === 'own' ? own++ : contended++;
        const name = kind === 'own' ? `${run}-w${worker}-${i}` : `${run}-c-${i}`;
        const key = createHash('sha256').update(`${name}`).digest('hex');
        const bytes = serialize({ input: { kind, i }, output: { kind, i, sq: i * i }, time: 0, key, created: Date.now() });
        // A miss looks first, then writes aside and renames into the one folder.
        try {
          readFileSync(join(floorDir, `${key}.bin`));
        } catch {
          // Not there: the usual case.
        }
        const tmp = join(floorDir, `.tmp-${process.pid}-${i}-${kind}`);
        writeFileSync(tmp, bytes);
        renameSync(tmp, join(floorDir, `${key}.bin`));
      }
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error));
    }
    const us = (performance.now() - t0) * 1000;
    (kind === 'hit' ? seen.hits : waited ? seen.waits : seen.misses).push(us);
  }
  const { hits, misses, waits } = timed;
  // The unlocked run computes shared keys more than once by design: its log is not counted.
  if (funes) writeFileSync(join(dir!, `${role === 'funes' ? 'computed' : 'unlocked'}-${run}-${worker}.log`), computations.join(''));
  const report: WorkerReport = { hits, misses, waits, errors, wrong, ops, ms: performance.now() - start, cold: { hits: cold.hits, misses: cold.misses } };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

if (require.main === module) main();
