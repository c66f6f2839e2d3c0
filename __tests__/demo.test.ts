import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

// Runs in the stage-3 project only (jest.config.js): the demo compiles with its own tsconfig.
describe('npm run demo', () => {
  // The build stays in the repository, where node_modules is; the cache goes to a temp dir.
  const dir = mkdtempSync(join(tmpdir(), 'funes-demo-'));
  const build = join(ROOT, 'build', `demo-test-${process.pid}`);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(build, { recursive: true, force: true });
  });

  test('computes ten results, then serves all twenty from disk on a second run', () => {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'demo', 'tsconfig.json'), '--outDir', build]);
    const demo = join(build, 'demo', 'demo.js');
    const run = (): string => execFileSync(process.execPath, [demo], { cwd: dir, encoding: 'utf8', env: { ...process.env, FUNES_CACHE_DIR: '' } });
    const first = run();
    expect(first).toMatch(/10 hits, 10 misses; records in .*cache[\\/]Test\.double[\\/][0-9a-f]{16}/);
    expect(first.match(/ miss /g)).toHaveLength(10);
    const second = run();
    expect(second).toContain('20 hits, 0 misses');
    expect(second).not.toMatch(/ miss /);
    expect(second.match(/\(computed in 0\.5\d s\)/g)).toHaveLength(10);
  });
});
