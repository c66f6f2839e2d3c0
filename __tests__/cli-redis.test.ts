import { memorious } from '../src';
import { RedisStore } from '../src/store/redis-store';
import { funes } from './helpers/cli';
import { haveRedisServer, useRedisServer } from './helpers/redis';

/** The funes command line on a RedisStore: `--redis URL` instead of a directory. */
(haveRedisServer() ? describe : describe.skip)('funes --redis', () => {
  const server = useRedisServer();
  let store: RedisStore;
  const prefix = 'clitest';
  const cli = (args: string[]) => funes(undefined, [...args, '--redis', server().url, '--prefix', prefix]);

  beforeAll(async () => {
    store = new RedisStore({ url: server().url, prefix });
    class Lab {
      @memorious({ store })
      async fit(alpha: number, label: string): Promise<{ loss: number; label: string }> {
        return { loss: alpha / 2, label };
      }
    }
    const lab = new Lab();
    for (const a of [1, 2, 3]) await lab.fit(a, `run${a}`);
    // A record that is not v8, beside the good ones: verify reports it, show skips it.
    const [version] = await store.versions('Lab.fit');
    await store.client.call('SET', store.key('Lab.fit', version!, 'ff'.repeat(8)), 'garbage');
  });
  afterAll(async () => {
    await store.close();
  });

  test('ls lists the methods and versions stored in Redis', () => {
    const r = cli(['ls', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { redis: string; prefix: string; methods: { method: string; current: string; versions: { version: string; current: boolean; records: number; bytes: number }[] }[] };
    expect(out.redis).toBe(server().url);
    expect(out.methods).toHaveLength(1);
    const [m] = out.methods;
    expect(m!.method).toBe('Lab.fit');
    expect(m!.versions).toHaveLength(1);
    expect(m!.versions[0]!.current).toBe(true);
    expect(m!.versions[0]!.records).toBe(4);
    expect(m!.versions[0]!.bytes).toBeGreaterThan(0);
    const table = cli(['ls']);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/Lab\.fit/);
  });

  test('show prints the source, the parameters and every valid record', () => {
    const r = cli(['show', 'Lab.fit', '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { method: string; params: string[]; source: string; invalid: number; records: { input: unknown; output: unknown }[] };
    expect(out.method).toBe('Lab.fit');
    expect(out.params).toEqual(['alpha', 'label']);
    expect(out.source).toMatch(/alpha \/ 2/);
    expect(out.invalid).toBe(1);
    expect(out.records.map((x) => x.input)).toEqual([1, 2, 3].map((a) => ({ alpha: a, label: `run${a}` })));
    expect(out.records.map((x) => x.output)).toEqual([1, 2, 3].map((a) => ({ loss: a / 2, label: `run${a}` })));
    const text = cli(['show', 'Lab.fit']);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/params {3}alpha, label/);
    expect(cli(['show', 'Lab.nothing']).status).toBe(1);
  });

  test('export writes the records as rows', () => {
    const r = cli(['export', 'Lab.fit', '--format', 'csv']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split(/\r?\n/)).toEqual(['alpha,label,output.loss,output.label,time', ...[1, 2, 3].map((a) => expect.stringMatching(new RegExp(`^${a},run${a},${a / 2},run${a},`)))]);
  });

  test('verify reads every record, reports the broken one, and --fix removes it', () => {
    const r = cli(['verify']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/checked 4 records: 1 invalid/);
    expect(r.stdout).toMatch(/ffffffffffffffff: it does not deserialize/);
    expect(cli(['verify', '--fix']).status).toBe(0);
    expect(cli(['verify']).stdout).toMatch(/checked 3 records: 0 invalid; all good/);
  });

  test('prune explains that Redis keeps its own limits', () => {
    const r = cli(['prune', '--max-age', '30d']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/maxmemory/);
  });

  test('an unreachable Redis is one clear line', () => {
    const r = funes(undefined, ['ls', '--redis', 'redis://127.0.0.1:1']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^funes: Redis at redis:\/\/127\.0\.0\.1:1: .*check the URL and that Redis is running\n$/);
  });

  test('clear removes every version of a method', () => {
    const r = cli(['clear', 'Lab.fit', '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ method: 'Lab.fit', versions: 1, records: 3 });
    const ls = JSON.parse(cli(['ls', '--json']).stdout) as { methods: unknown[] };
    expect(ls.methods).toEqual([]);
  });
});
