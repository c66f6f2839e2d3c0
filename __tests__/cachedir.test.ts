import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Memorious, memorious } from '../src';
import { filesUnder, tempCache, tempDir } from './helpers/cache';
import { lastJson, projectDir, runScript, writeScript } from './helpers/child';

// In-process: the option beats Memorious.configure, and configure may come late.
describe('cacheDir in one process', () => {
  const configured = tempCache();
  const own = tempDir();
  const later = tempDir();

  test('the cacheDir option wins over Memorious.configure', () => {
    let runs = 0;
    class Own {
      @memorious({ cacheDir: own })
      f(x: number): number {
        runs++;
        return x;
      }
    }
    class Shared {
      @memorious
      g(x: number): number {
        return x;
      }
    }
    new Own().f(1);
    new Shared().g(1);
    expect(filesUnder(own)).toEqual([expect.stringMatching(/^Own\.f\/[0-9a-f]+\/[0-9a-f]+\.bin$/)]);
    expect(filesUnder(configured)).toEqual([expect.stringMatching(/^Shared\.g\/[0-9a-f]+\/[0-9a-f]+\.bin$/)]);
    new Own().f(1);
    expect(runs).toBe(1);
  });

  test('Memorious.configure is read at each call, not at decoration', () => {
    class Late {
      @memorious
      h(x: number): number {
        return x;
      }
    }
    Memorious.configure({ cacheDir: later });
    try {
      new Late().h(1);
      expect(Memorious.locate(Late.prototype.h).startsWith(join(later, 'Late.h'))).toBe(true);
    } finally {
      Memorious.configure({ cacheDir: configured });
    }
    expect(filesUnder(later)).toEqual([expect.stringMatching(/^Late\.h\//)]);
    expect(filesUnder(configured).filter((f) => f.startsWith('Late.'))).toEqual([]);
  });

  test('Memorious.configure rejects a bad setting', () => {
    expect(() => Memorious.configure({ cacheDir: '' })).toThrow(expect.objectContaining({ code: 'FUNES_BAD_OPTION' }));
    expect(() => Memorious.configure({ cachedir: 'x' } as object)).toThrow(expect.objectContaining({ code: 'FUNES_BAD_OPTION' }));
  });
});

// Across processes: argv[2] is a directory for Memorious.configure ('-' for none),
// argv[3] one for the method's own cacheDir option ('-' for none).
const SCRIPT = `
import { memorious, Memorious } from 'funes';

const [configured, option] = process.argv.slice(2).map((a) => (a === '-' ? undefined : a));
if (configured) Memorious.configure({ cacheDir: configured });

class Where {
  @memorious({ cacheDir: option })
  twice(x: number): number {
    return 2 * x;
  }
}

const w = new Where();
const out = [w.twice(21), w.twice(21)];
console.log(JSON.stringify({ out, dir: Memorious.locate(w.twice), records: Memorious.loadCachedResults(w.twice).length }));
`;

describe('cacheDir resolution order across processes', () => {
  const env = tempDir();
  const conf = tempDir();
  const opt = tempDir();
  const dir = projectDir();
  const script = writeScript(dir, 'where', SCRIPT);
  const run = (args: string[], vars: Record<string, string | undefined>): { out: number[]; dir: string; records: number } =>
    lastJson(runScript(dir, script, { args, env: vars }));
  const records = (root: string): string[] => filesUnder(root).filter((f) => f.startsWith('Where.twice/'));

  test('with nothing set, records go to ./cache in the working directory', () => {
    const cwd = join(dir, 'plain');
    mkdirSync(cwd);
    const result = lastJson<{ out: number[]; dir: string }>(
      runScript(cwd, join('..', 'where.js'), { args: ['-', '-'], env: { FUNES_CACHE_DIR: undefined } }),
    );
    expect(result.out).toEqual([42, 42]);
    expect(result.dir.startsWith(join(cwd, 'cache', 'Where.twice'))).toBe(true);
    expect(records(join(cwd, 'cache'))).toHaveLength(1);
  });

  test('an empty FUNES_CACHE_DIR counts as unset', () => {
    const cwd = join(dir, 'empty-env');
    mkdirSync(cwd);
    runScript(cwd, join('..', 'where.js'), { args: ['-', '-'], env: { FUNES_CACHE_DIR: '' } });
    expect(records(join(cwd, 'cache'))).toHaveLength(1);
  });

  test('FUNES_CACHE_DIR beats the default', () => {
    const result = run(['-', '-'], { FUNES_CACHE_DIR: env });
    expect(result.dir.startsWith(join(env, 'Where.twice'))).toBe(true);
    expect(records(env)).toHaveLength(1);
    expect(records(join(dir, 'cache'))).toEqual([]);
  });

  test('a second process with the same FUNES_CACHE_DIR finds the record there', () => {
    expect(run(['-', '-'], { FUNES_CACHE_DIR: env }).records).toBe(1);
  });

  test('Memorious.configure beats FUNES_CACHE_DIR', () => {
    const result = run([conf, '-'], { FUNES_CACHE_DIR: env });
    expect(result.dir.startsWith(join(conf, 'Where.twice'))).toBe(true);
    expect(result.records).toBe(1);
    expect(records(conf)).toHaveLength(1);
  });

  test('the cacheDir option beats Memorious.configure and FUNES_CACHE_DIR', () => {
    const result = run([conf, opt], { FUNES_CACHE_DIR: env });
    expect(result.dir.startsWith(join(opt, 'Where.twice'))).toBe(true);
    expect(records(opt)).toHaveLength(1);
    expect(records(conf)).toHaveLength(1);
    expect(records(env)).toHaveLength(1);
  });

  test('relative directories are taken from the working directory', () => {
    run(['rel-conf', '-'], { FUNES_CACHE_DIR: 'rel-env' });
    expect(records(join(dir, 'rel-conf'))).toHaveLength(1);
    run(['-', '-'], { FUNES_CACHE_DIR: 'rel-env' });
    expect(records(join(dir, 'rel-env'))).toHaveLength(1);
    run(['-', 'results/cache'], { FUNES_CACHE_DIR: 'rel-env' });
    expect(records(join(dir, 'results', 'cache'))).toHaveLength(1);
    expect(records(join(dir, 'cache'))).toEqual([]);
  });
});
