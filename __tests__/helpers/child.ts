import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { mode } from './mode';

const ROOT = resolve(__dirname, '..', '..');

/**
 * A directory where `require('funes')` and `import 'funes'` reach the built package,
 * as they would for a user who installed it.
 */
export function projectDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'funes-child-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'funes'), 'dir');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Compiles TypeScript `source` the way this jest project compiles tests (legacy or
 * stage-3 decorators) and writes it to `<dir>/<name>.js`. `target` lets a test see
 * down-levelled output (ES2015 turns async methods into `__awaiter` generators).
 */
export function writeScript(dir: string, name: string, source: string, target = ts.ScriptTarget.ES2022): string {
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: {
      target,
      module: ts.ModuleKind.CommonJS,
      esModuleInterop: true,
      experimentalDecorators: mode === 'legacy',
    },
  });
  const file = join(dir, `${name}.js`);
  if (!existsSync(file) || readFileSync(file, 'utf8') !== outputText) writeFileSync(file, outputText);
  return file;
}

/** Runs a script with node, in `dir`, and returns its output; fails the test on a non-zero exit. */
export function runScript(
  dir: string,
  file: string,
  options: { env?: Record<string, string | undefined>; args?: string[]; allowFailure?: boolean } = {},
): SpawnSyncReturns<string> {
  const result = spawnSync(process.execPath, [file, ...(options.args ?? [])], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, FUNES_CACHE_DIR: undefined, ...options.env },
    timeout: 60_000,
  });
  if (!options.allowFailure && result.status !== 0) {
    throw new Error(`${file} exited with ${result.status ?? result.signal}:\n${result.stderr}\n${result.stdout}`);
  }
  return result;
}

/** The last line of a script's stdout, parsed as JSON. */
export function lastJson<T = unknown>(result: SpawnSyncReturns<string>): T {
  const lines = result.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as T;
}
