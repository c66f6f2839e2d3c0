import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withTempCache, withTempDir, type Context } from '../fixtures';
import { measure, type Plan, type Stats } from '../measure';
import { us, type Row } from '../report';
import { smallHit } from './hit';
import { missFloor, smallMiss } from './miss';

/**
 * Case 13: funes against Python's disk memoizers, `joblib.Memory` and diskcache's
 * `Cache.memoize()`, on case 1's small hit and case 5's small miss. Each side is timed
 * inside its own process the same way (warm, calibrate a batch to `plan.sampleMs`, then
 * samples to the budget; median and p10–p90 of µs per call): funes here, the peers in a
 * Python child running the driver below. Skipped when no python3 can import both.
 */
export async function pythonPeerCases(ctx: Context): Promise<Row[]> {
  const python = findPython();
  if (python === undefined) {
    ctx.log('case 13 skipped: python3 with joblib and diskcache not found (apt-get install python3-joblib python3-diskcache)');
    return [];
  }
  const peers = await withTempDir(ctx.base, 'python-peers', async (dir) => runDriver(python, dir, ctx.plan));
  const hit = await withTempCache(ctx.base, 'python-peers-hit', async () => (await measure([smallHit().funes], ctx.plan))[0]!);
  // Case 5's floor, in the same rounds as funes's miss: the least a miss that writes one file per record can cost.
  const [miss, floor] = await withTempCache(ctx.base, 'python-peers-miss', async (dir) => measure([smallMiss(), missFloor(join(dir, 'floor'))], ctx.plan));
  const versions = `Python ${peers.python}, joblib ${peers.joblib}, diskcache ${peers.diskcache}; each side in its own process`;
  const missNote = `${versions}; funes's miss floor (sha256 + v8.serialize + write temp + rename) ${us(floor!.median)} µs`;
  const row = (id: string, label: string, peer: string, subject: Stats, reference: Stats, note = versions): Row => ({
    id,
    label,
    peer: `${peer}, ${label}`,
    subject,
    reference,
    referenceLabel: 'funes, same run',
    target: { min: 1 },
    note,
  });
  const rows = [
    row('13 (1)', 'small hit', 'joblib.Memory', peers.hit.joblib, hit),
    row('13 (1)', 'small hit', 'diskcache memoize', peers.hit.diskcache, hit),
    row('13 (5)', 'small miss', 'joblib.Memory', peers.miss.joblib, miss!, missNote),
    row('13 (5)', 'small miss', 'diskcache memoize', peers.miss.diskcache, miss!, missNote),
  ];
  // The same misses with both caches in memory (tmpfs), for information: what is left when
  // making a file costs what the kernel's own work costs, so the software is compared alone.
  if (ctx.base !== SHM && isWritableDir(SHM)) {
    const inMemory = await withTempDir(SHM, 'python-peers', async (dir) => runDriver(python, dir, ctx.plan));
    const [shmMiss, shmFloor] = await withTempCache(SHM, 'python-peers-miss', async (dir) => measure([smallMiss(), missFloor(join(dir, 'floor'))], ctx.plan));
    const note = `${versions}; both caches in ${SHM} (tmpfs); funes's miss floor there ${us(shmFloor!.median)} µs; for information`;
    rows.push(
      { ...row('13 (5m)', 'small miss in memory', 'joblib.Memory', inMemory.miss.joblib, shmMiss!, note), target: undefined },
      { ...row('13 (5m)', 'small miss in memory', 'diskcache memoize', inMemory.miss.diskcache, shmMiss!, note), target: undefined },
    );
  }
  return rows;
}

const SHM = '/dev/shm';

function isWritableDir(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** The first python3 that imports joblib and diskcache: $FUNES_BENCH_PYTHON, /usr/bin/python3 (Debian's packages), python3 on PATH. */
function findPython(): string | undefined {
  const candidates = [process.env.FUNES_BENCH_PYTHON, '/usr/bin/python3', 'python3'].filter((p): p is string => !!p);
  return candidates.find((p) => spawnSync(p, ['-c', 'import joblib, diskcache'], { stdio: 'ignore', timeout: 30_000 }).status === 0);
}

interface PeerStats {
  readonly joblib: Stats;
  readonly diskcache: Stats;
}

interface DriverOutput {
  readonly python: string;
  readonly joblib: string;
  readonly diskcache: string;
  readonly hit: PeerStats;
  readonly miss: PeerStats;
}

function runDriver(python: string, dir: string, plan: Plan): DriverOutput {
  const script = join(dir, 'peers.py');
  writeFileSync(script, DRIVER);
  const out = execFileSync(python, [script, JSON.stringify(plan), dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000 });
  return JSON.parse(out) as DriverOutput;
}

/** The Python side: bench/measure.ts's warm, calibrate and round-robin sampling, transcribed. */
const DRIVER = String.raw`
import itertools, json, math, os, platform, sys, time

import diskcache
import joblib
from diskcache import Cache
from joblib import Memory

plan = json.loads(sys.argv[1])
base = sys.argv[2]
now = time.perf_counter_ns


def triple(a, b, c):
    return {'a': a, 'b': b, 'c': c}


def touch(n):
    return n


def time_batch(op, n):
    t0 = now()
    for _ in range(n):
        op()
    return (now() - t0) / 1e6


def warm(op, ms):
    end = now() + ms * 1e6
    n = 1
    rounds = 0
    while rounds < 2 or now() < end:
        if time_batch(op, n) < ms / 20:
            n *= 2
        rounds += 1


def calibrate(op, sample_ms):
    n = 1
    for _ in range(30):
        t = time_batch(op, n)
        if t >= sample_ms * 0.8:
            return n, t
        n = max(n + 1, min(n * 10, math.ceil(n * sample_ms / max(t, 1e-3))))
    return n, sample_ms


def quantile(s, q):
    at = (len(s) - 1) * q
    lo, hi = math.floor(at), math.ceil(at)
    return s[lo] + (s[hi] - s[lo]) * (at - lo)


def measure(ops):
    batches = []
    round_ms = 0.0
    for op in ops:
        warm(op, plan['warmupMs'])
        batch, ms = calibrate(op, plan['sampleMs'])
        batches.append(batch)
        round_ms += ms
    samples = max(plan['minSamples'], min(plan['maxSamples'], math.floor(plan['budgetMs'] / max(round_ms, 1e-3))))
    times = [[] for _ in ops]
    for r in range(samples):
        for k in range(len(ops)):
            i = (r + k) % len(ops)
            times[i].append(time_batch(ops[i], batches[i]) * 1000 / batches[i])
    out = []
    for t, batch in zip(times, batches):
        s = sorted(t)
        out.append({'median': quantile(s, 0.5), 'p10': quantile(s, 0.1), 'p90': quantile(s, 0.9), 'samples': len(s), 'batch': batch})
    return out


caches = []


def peers(kind, fn):
    location = os.path.join(base, kind)
    jl = Memory(os.path.join(location, 'joblib'), verbose=0).cache(fn)
    cache = Cache(os.path.join(location, 'diskcache'))
    caches.append(cache)
    return jl, cache.memoize()(fn)


jl, dc = peers('hit', triple)
jl(1, 'a', True)
dc(1, 'a', True)
hit = measure([lambda: jl(1, 'a', True), lambda: dc(1, 'a', True)])

jl, dc = peers('miss', touch)
fresh_jl = itertools.count(10 ** 9)
fresh_dc = itertools.count(10 ** 9)
miss = measure([lambda: jl(next(fresh_jl)), lambda: dc(next(fresh_dc))])

for cache in caches:
    cache.close()
json.dump({
    'python': platform.python_version(),
    'joblib': joblib.__version__,
    'diskcache': diskcache.__version__,
    'hit': {'joblib': hit[0], 'diskcache': hit[1]},
    'miss': {'joblib': miss[0], 'diskcache': miss[1]},
}, sys.stdout)
`;
