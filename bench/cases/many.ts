import { availableParallelism } from 'node:os';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize } from 'node:v8';
import { Memorious } from '../../src';
import { point, type WorkerReport } from '../children/many';
import { withTempCache, type Context } from '../fixtures';
import type { Stats } from '../measure';
import type { Row } from '../report';

const CHILD = join(__dirname, '..', 'children', 'many.js');

/** diskcache's own published figures (its README's benchmark), for the note: not measured here. */
const DISKCACHE = 'diskcache publishes a 17.9 µs median get (45 µs p99) and, with 8 processes writing, a 36 ms p99 set';

interface RunResult {
  readonly hits: number[];
  readonly misses: number[];
  readonly waits: number[];
  readonly ops: number;
  readonly seconds: number;
  readonly errors: string[];
  readonly wrong: number;
  /** The warm-up's latencies, from each process's first call. */
  readonly cold: { readonly hits: number[]; readonly misses: number[] };
}

/**
 * Starts `procs` children of one role together, lets them warm up for `warm` seconds under
 * the same load, then times `seconds` of their calls, and gathers what they report.
 */
async function runAll(role: 'funes' | 'funes-unlocked' | 'floor', dir: string, procs: number, shared: number, warm: number, seconds: number): Promise<RunResult> {
  const run = String(runs++);
  // Node takes a few hundred ms to start on a busy machine: all begin at one instant after that.
  const startAt = Date.now() + 1500 + 150 * procs;
  const timedFrom = startAt + warm * 1000;
  const until = timedFrom + seconds * 1000;
  const reports = await Promise.all(
    Array.from({ length: procs }, (_, w) =>
      new Promise<WorkerReport>((resolve, reject) => {
        const child = spawn(process.execPath, [CHILD, role, dir, run, String(w), String(shared), String(startAt), String(timedFrom), String(until)], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.on('error', reject);
        child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as WorkerReport) : reject(new Error(`${role} worker ${w} exited ${code}`))));
      }),
    ),
  );
  return {
    hits: reports.flatMap((r) => r.hits),
    misses: reports.flatMap((r) => r.misses),
    waits: reports.flatMap((r) => r.waits),
    ops: reports.reduce((n, r) => n + r.ops, 0),
    seconds,
    errors: reports.flatMap((r) => r.errors),
    wrong: reports.reduce((n, r) => n + r.wrong, 0),
    cold: { hits: reports.flatMap((r) => r.cold.hits), misses: reports.flatMap((r) => r.cold.misses) },
  };
}

/** Which run this is: each names its keys by it, so that none finds another's records. */
let runs = 0;

/** Two runs of one role as one: their calls pooled, their times added. */
function merge(a: RunResult, b: RunResult): RunResult {
  return {
    hits: [...a.hits, ...b.hits],
    misses: [...a.misses, ...b.misses],
    waits: [...a.waits, ...b.waits],
    ops: a.ops + b.ops,
    seconds: a.seconds + b.seconds,
    errors: [...a.errors, ...b.errors],
    wrong: a.wrong + b.wrong,
    cold: { hits: [...a.cold.hits, ...b.cold.hits], misses: [...a.cold.misses, ...b.cold.misses] },
  };
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** A latency as a row's figure: the p99, with the median in the note (the table's spread column shows the p99 too). */
function p99(values: readonly number[]): Stats {
  const p = quantile(values, 0.99);
  return { median: p, p10: p, p90: p, samples: values.length, batch: 1 };
}

/** Wall time per call across all processes: the inverse of throughput, so that lower is better as elsewhere. */
function perCall(run: RunResult): Stats {
  const us = (run.seconds * 1e6) / run.ops;
  return { median: us, p10: us, p90: us, samples: 1, batch: run.ops };
}

/** The warm-up's p99s, from each process's first call, for the note. */
const coldP99 = (funes: readonly number[], floor: readonly number[]): string =>
  `in the warm-up, from each process's first call: p99 ${fmt(quantile(funes, 0.99))} µs (floor ${fmt(quantile(floor, 0.99))})`;

const perSecond = (run: RunResult): string => Math.round(run.ops / run.seconds).toLocaleString('en-US');
const fmt = (us: number): string => (us < 100 ? us.toFixed(1) : Math.round(us).toLocaleString('en-US'));

/**
 * Case 12: several processes on one cache at once, each doing hits of shared records, misses
 * of its own keys and misses of keys all of them want, beside a floor doing the same mix by
 * hand (readFileSync + v8.deserialize; write a temp file and rename it into one folder) under
 * the same load. Afterwards, what every process computed is checked: stored, whole, once.
 *
 * Each process first warms up under the same load for as long as it is then timed, as
 * every other case warms its code before timing it: eight processes on two cores give each
 * a quarter of a core, so untimed they would spend their first seconds compiling, and the
 * p99 would measure start-up (cases 9 and 11 measure that). The warm-up's p99s are in the notes.
 */
export async function manyCases(ctx: Context): Promise<Row[]> {
  const procs = 8;
  const shared = ctx.quick ? 200 : 1000;
  const seconds = ctx.quick ? 2 : 5;
  const warm = seconds;
  return withTempCache(ctx.base, 'many', async (dir) => {
    Memorious.configure({ cacheDir: join(dir, 'cache') });
    for (let i = 0; i < shared; i++) point('shared', i);
    const vdir = Memorious.locate(point);
    const byInput = new Map<number, string>();
    for (const name of readdirSync(vdir).filter((n) => n.endsWith('.bin'))) {
      const record = deserialize(readFileSync(join(vdir, name))) as { input: { i: number } };
      byInput.set(record.input.i, join(vdir, name));
    }
    writeFileSync(join(dir, 'shared.txt'), `${Array.from({ length: shared }, (_, i) => byInput.get(i)!).join('\n')}\n`);

    ctx.log(`  case 12: ${procs} processes x ${warm} s warm-up + ${seconds} s timed, funes, floor, floor, funes; then 1 process each, then one per core, then funes without its lock`);
    // Two rounds each, in the order funes, floor, floor, funes: this disk's write latency
    // drifts from minute to minute, and one round after the other would hand it to one side.
    const funesA = await runAll('funes', dir, procs, shared, warm, seconds);
    const floorA = await runAll('floor', dir, procs, shared, warm, seconds);
    const floor = merge(floorA, await runAll('floor', dir, procs, shared, warm, seconds));
    const funes = merge(funesA, await runAll('funes', dir, procs, shared, warm, seconds));
    const funes1 = await runAll('funes', dir, 1, shared, warm, seconds);
    const floor1 = await runAll('floor', dir, 1, shared, warm, seconds);
    // As many processes as cores: what the latencies are when no process waits for a core.
    const cores = availableParallelism();
    const funesN = await runAll('funes', dir, cores, shared, warm, seconds);
    const floorN = await runAll('floor', dir, cores, shared, warm, seconds);
    // What the lock costs a miss: the same mix without it, shared keys computed by several.
    const unlocked = await runAll('funes-unlocked', dir, procs, shared, warm, seconds);

    // What the processes computed: each key once, each stored, every record whole.
    const computed = new Map<string, number>();
    for (const name of readdirSync(dir).filter((n) => n.startsWith('computed-'))) {
      for (const line of readFileSync(join(dir, name), 'utf8').split('\n').filter(Boolean)) computed.set(line, (computed.get(line) ?? 0) + 1);
    }
    const duplicates = [...computed.values()].filter((n) => n > 1).length;
    let lost = 0;
    for (const key of computed.keys()) {
      const [kind, i] = key.split(':');
      if (Memorious.peek(point, kind!, Number(i)) === undefined) lost++;
    }
    let torn = 0;
    for (const name of readdirSync(vdir).filter((n) => n.endsWith('.bin'))) {
      try {
        deserialize(readFileSync(join(vdir, name)));
      } catch {
        torn++;
      }
    }
    const errors = funes.errors.length + funes1.errors.length + funesN.errors.length + unlocked.errors.length;
    const wrong = funes.wrong + funes1.wrong + funesN.wrong + unlocked.wrong;
    const problems = errors + wrong + duplicates + lost + torn;
    const checks = `${computed.size.toLocaleString('en-US')} computations: ${errors} errors, ${wrong} wrong answers, ${lost} lost writes, ${torn} torn records, ${duplicates} computed twice`;
    const one: Stats = { median: 1, p10: 1, p90: 1, samples: 1, batch: 1 };
    return [
      {
        id: '12',
        label: `${procs} processes: hit latency p99`,
        subject: p99(funes.hits),
        reference: p99(floor.hits),
        referenceLabel: `${procs} processes: readFileSync + v8.deserialize of a shared record`,
        target: { max: 1.5 },
        note: `median ${fmt(quantile(funes.hits, 0.5))} µs (floor ${fmt(quantile(floor.hits, 0.5))}); ${funes.hits.length.toLocaleString('en-US')} hits; ${coldP99(funes.cold.hits, floor.cold.hits)}; ${DISKCACHE}`,
      },
      {
        id: '12',
        label: `${procs} processes: miss latency p99`,
        subject: p99(funes.misses),
        reference: p99(floor.misses),
        referenceLabel: `${procs} processes: look, serialize, write temp + rename into one folder`,
        target: { max: 1.5 },
        note:
          `median ${fmt(quantile(funes.misses, 0.5))} µs (floor ${fmt(quantile(floor.misses, 0.5))}); ${funes.misses.length.toLocaleString('en-US')} misses; ` +
          `${funes.waits.length.toLocaleString('en-US')} calls found another process computing their key and waited for its record (median ${fmt(quantile(funes.waits, 0.5))} µs, p99 ${fmt(quantile(funes.waits, 0.99))}); ${coldP99(funes.cold.misses, floor.cold.misses)}`,
      },
      {
        id: '12',
        label: `${procs} processes, funes without its lock: miss latency p99`,
        subject: p99(unlocked.misses),
        reference: p99(floor.misses),
        referenceLabel: `${procs} processes: look, serialize, write temp + rename into one folder`,
        note:
          `median ${fmt(quantile(unlocked.misses, 0.5))} µs; ${unlocked.misses.length.toLocaleString('en-US')} misses; what the lock costs: ` +
          'a locked miss also makes its lock file and removes it (one more file created per miss); for information',
      },
      {
        id: '12',
        label: `${cores} processes, one per core: hit latency p99`,
        subject: p99(funesN.hits),
        reference: p99(floorN.hits),
        referenceLabel: `${cores} processes: readFileSync + v8.deserialize of a shared record`,
        note: `median ${fmt(quantile(funesN.hits, 0.5))} µs (floor ${fmt(quantile(floorN.hits, 0.5))}); ${funesN.hits.length.toLocaleString('en-US')} hits`,
      },
      {
        id: '12',
        label: `${cores} processes, one per core: miss latency p99`,
        subject: p99(funesN.misses),
        reference: p99(floorN.misses),
        referenceLabel: `${cores} processes: look, serialize, write temp + rename into one folder`,
        note: `median ${fmt(quantile(funesN.misses, 0.5))} µs (floor ${fmt(quantile(floorN.misses, 0.5))}); ${funesN.misses.length.toLocaleString('en-US')} misses`,
      },
      {
        id: '12',
        label: `${procs} processes: wall time per call (inverse throughput)`,
        subject: perCall(funes),
        reference: perCall(floor),
        referenceLabel: `${procs} processes doing the floor's mix`,
        target: { max: 1.25 },
        note: `funes ${perSecond(funes)} calls/s, floor ${perSecond(floor)}/s; one process alone: funes ${perSecond(funes1)}/s, floor ${perSecond(floor1)}/s`,
      },
      {
        id: '12',
        label: `${procs} processes: integrity (problems + 1)`,
        subject: { ...one, median: problems + 1 },
        reference: one,
        referenceLabel: 'none',
        target: { max: 1 },
        note: checks,
      },
    ];
  });
}
