import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mode } from './mode';

/** Where a reliability test leaves the figures of its last run, for docs/reliability.md. */
export function figuresFile(name: string): string {
  return join(tmpdir(), `funes-reliability-${name}-${mode}.json`);
}

/**
 * Records figures of one test file (kills, records checked, ...) under `key`, merged into
 * `<tmpdir>/funes-reliability-<name>-<mode>.json`, and prints them.
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
