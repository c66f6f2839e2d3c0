import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize } from 'node:v8';
import { Memorious } from '../src';
import type { Plan, Subject } from './measure';

/** What every case is given. */
export interface Context {
  readonly quick: boolean;
  /** For cases of fast operations (µs to a few ms). */
  readonly plan: Plan;
  /** For operations of tens of ms and more. */
  readonly slowPlan: Plan;
  /** Where temporary cache directories are made. */
  readonly base: string;
  /** A Redis to measure case 8 against (`--redis URL`); else a private redis-server if installed. */
  readonly redis?: string;
  /** Progress, to stderr. */
  readonly log: (message: string) => void;
}

type AnyMethod = (...args: never[]) => unknown;

/** A fresh directory, removed after `body`, whatever happens. */
export async function withTempDir<T>(base: string, label: string, body: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(base || tmpdir(), `funes-bench-${label}-`));
  try {
    return await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A fresh cache directory made the process-wide default for the duration of `body`. */
export async function withTempCache<T>(base: string, label: string, body: (dir: string) => Promise<T>): Promise<T> {
  return withTempDir(base, label, async (dir) => {
    Memorious.configure({ cacheDir: dir });
    try {
      return await body(dir);
    } finally {
      Memorious.configure({ cacheDir: undefined });
    }
  });
}

/** The record files of a method's current version. */
export function recordFiles(method: AnyMethod): string[] {
  const dir = Memorious.locate(method);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.bin') && !name.startsWith('.'))
    .map((name) => join(dir, name));
}

/** The one record file of a method that has been called with one input. */
export function onlyRecord(method: AnyMethod): string {
  const files = recordFiles(method);
  if (files.length !== 1) throw new Error(`expected one record for ${method.name}, found ${files.length}`);
  return files[0]!;
}

/** The floor of a hit: read the record file and deserialize it, with no library. */
export function readFloor(file: string, label = 'readFileSync + v8.deserialize'): Subject {
  return { label, op: () => deserialize(readFileSync(file)) };
}

/** A Float64Array of `bytes` bytes, with varied content. */
export function float64s(bytes: number): Float64Array {
  const v = new Float64Array(bytes / 8);
  for (let i = 0; i < v.length; i++) v[i] = i * 0.37 + Math.sin(i);
  return v;
}

export const MiB = 1024 * 1024;
