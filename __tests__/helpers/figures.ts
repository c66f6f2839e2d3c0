import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { mode } from './mode';

/**
 * Where a reliability test leaves the figures of its last run, for docs/reliability.md:
 * in the repository's ignored `build/` folder, not the temp directory, which tests leave clean.
 */
export function figuresFile(name: string): string {
  const dir = resolve(__dirname, '..', '..', 'build', 'reliability');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}-${mode}.json`);
}

/**
 * Records figures of one test file (kills, records checked, ...) under `key`, merged into
 * `build/reliability/<name>-<mode>.json`, and prints them.
 */
export function recordFigures(name: string, key: string, figures: Record<string, unknown>): void {
  const file = figuresFile(name);
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    // First figures of this run.
  }
  all[key] = { ...figures, at: new Date().toISOString() };
  writeFileSync(file, JSON.stringify(all, null, 2) + '\n');
}
