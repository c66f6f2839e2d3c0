import { performance } from 'node:perf_hooks';

/** One operation to time. Async subjects are awaited call by call. */
export interface Subject {
  readonly label: string;
  readonly op: () => unknown;
  readonly async?: boolean;
}

/** Times in µs per operation, over the samples taken. */
export interface Stats {
  readonly median: number;
  readonly p10: number;
  readonly p90: number;
  readonly samples: number;
  /** Operations per sample. */
  readonly batch: number;
}

/** How hard to look. */
export interface Plan {
  /** Samples per subject, at most... */
  readonly maxSamples: number;
  /** ...and at least, whatever the time budget says. */
  readonly minSamples: number;
  /** Aim for a sample (one batch) of about this long. */
  readonly sampleMs: number;
  /** Run each subject this long before calibrating. */
  readonly warmupMs: number;
  /** Time to spend sampling one group of subjects, all of them together. */
  readonly budgetMs: number;
}

/** Results go here so that no operation can be optimised away. */
export let sink: unknown;

async function timeBatch(subject: Subject, n: number): Promise<number> {
  const { op } = subject;
  if (subject.async) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) sink = await op();
    return performance.now() - t0;
  }
  const t0 = performance.now();
  for (let i = 0; i < n; i++) sink = op();
  return performance.now() - t0;
}

/** Runs a subject for `ms` (at least twice), so that it is compiled and its files are in the page cache. */
async function warm(subject: Subject, ms: number): Promise<void> {
  const end = performance.now() + ms;
  let n = 1;
  for (let rounds = 0; rounds < 2 || performance.now() < end; rounds++) {
    const t = await timeBatch(subject, n);
    if (t < ms / 20) n *= 2;
  }
}

/** The batch size that makes a sample last about `sampleMs` (1 for operations longer than that). */
async function calibrate(subject: Subject, sampleMs: number): Promise<{ batch: number; ms: number }> {
  let n = 1;
  for (let round = 0; round < 30; round++) {
    const t = await timeBatch(subject, n);
    if (t >= sampleMs * 0.8) return { batch: n, ms: t };
    n = Math.max(n + 1, Math.min(n * 10, Math.ceil((n * sampleMs) / Math.max(t, 1e-3))));
  }
  return { batch: n, ms: sampleMs };
}

/**
 * Measures subjects side by side: each is warmed and calibrated, then samples are taken
 * round-robin (the order rotating every round), so that drift (thermal, page cache, GC
 * pressure, a directory growing) falls on all of them alike.
 */
export async function measure(subjects: readonly Subject[], plan: Plan): Promise<Stats[]> {
  const batches: number[] = [];
  let roundMs = 0;
  for (const s of subjects) {
    await warm(s, plan.warmupMs);
    const { batch, ms } = await calibrate(s, plan.sampleMs);
    batches.push(batch);
    roundMs += ms;
  }
  const samples = Math.max(plan.minSamples, Math.min(plan.maxSamples, Math.floor(plan.budgetMs / Math.max(roundMs, 1e-3))));
  const times: number[][] = subjects.map(() => []);
  for (let r = 0; r < samples; r++) {
    for (let k = 0; k < subjects.length; k++) {
      const i = (r + k) % subjects.length;
      const t = await timeBatch(subjects[i]!, batches[i]!);
      times[i]!.push((t * 1000) / batches[i]!);
    }
  }
  return times.map((t, i) => summarise(t, batches[i]!));
}

/** The median and spread of `times` (µs per operation), taken `batch` operations at a time. */
export function summarise(times: readonly number[], batch: number): Stats {
  const sorted = [...times].sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5), p10: quantile(sorted, 0.1), p90: quantile(sorted, 0.9), samples: times.length, batch };
}

function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/** Stats scaled by a factor: per record instead of per call, say. */
export function scaled(s: Stats, factor: number): Stats {
  return { ...s, median: s.median * factor, p10: s.p10 * factor, p90: s.p90 * factor };
}
