import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, utimesSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The built bin, as `npm install` would link it. */
export const BIN = resolve(__dirname, '..', '..', 'dist', 'cjs', 'cli', 'main.js');

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `funes --dir <dir> ...args` as a child process, its stdout and stderr piped. */
export function funes(dir: string | undefined, args: string[], env: Record<string, string | undefined> = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...(dir === undefined ? [] : ['--dir', dir]), ...args], {
    encoding: 'utf8',
    env: { ...process.env, FUNES_CACHE_DIR: undefined, ...env },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs funes and parses its stdout as JSON, failing with its stderr when it did not exit 0. */
export function funesJson<T = unknown>(dir: string, args: string[]): T {
  const r = funes(dir, [...args, '--json']);
  if (r.status !== 0) throw new Error(`funes ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** Record files under a cache directory (or one method's folder), as absolute paths. */
export function recordFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.bin') && !e.name.startsWith('.')) out.push(join(d, e.name));
    }
  };
  walk(dir);
  return out.sort();
}

/** Sets a file's modification (and access) time to `ms` milliseconds before now. */
export function age(path: string, ms: number): void {
  const t = new Date(Date.now() - ms);
  utimesSync(path, t, t);
}

export function size(path: string): number {
  return statSync(path).size;
}

export const DAY = 86_400_000;
