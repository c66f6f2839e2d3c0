import { lastJson, projectDir, runScript, writeScript } from './helpers/child';

const script = (body: string): string => `
import { memorious, Memorious } from 'funes';

class Lab {
  @memorious({ maxAge: Number(process.env.MAX_AGE ?? 3600000) })
  double(x: number): number {
    return ${body};
  }
}

const lab = new Lab();
const out = [lab.double(1), lab.double(1), lab.double(2)];
if (process.env.PRUNE) Memorious.prune({ maxEntries: 0 });
console.log(JSON.stringify(out));
`;

describe('the debug log (DEBUG=funes)', () => {
  const dir = projectDir();
  const env = { DEBUG: 'funes', DEBUG_COLORS: '0' };

  test('is silent by default', () => {
    const result = runScript(dir, writeScript(dir, 'quiet', script('x * 2')), { env: { DEBUG: undefined } });
    expect(result.stderr).not.toContain('funes');
  });

  test('tells each miss, write, hit, expiry, eviction and version change', () => {
    const first = runScript(dir, writeScript(dir, 'v1', script('2 * x')), { env });
    expect(lastJson(first)).toEqual([2, 2, 4]);
    const lines = first.stderr.split('\n');
    expect(lines.filter((l) => / funes miss Lab\.double [0-9a-f]{64}/.test(l))).toHaveLength(2);
    expect(lines.filter((l) => / funes write Lab\.double [0-9a-f]{64}/.test(l))).toHaveLength(2);
    expect(lines.filter((l) => / funes hit Lab\.double [0-9a-f]{64}/.test(l))).toHaveLength(1);

    const expired = runScript(dir, writeScript(dir, 'v1', script('2 * x')), { env: { ...env, MAX_AGE: '1' } });
    expect(expired.stderr).toMatch(/funes expired Lab\.double [0-9a-f]{64}/);

    const edited = runScript(dir, writeScript(dir, 'v2', script('x + x')), { env });
    expect(edited.stderr).toMatch(/funes version Lab\.double [0-9a-f]{16} \(was [0-9a-f]{16}\)/);
    // The method's own text changed; the log names what changed since the version before.
    expect(edited.stderr).toMatch(/funes version Lab\.double: changed since [0-9a-f]{16}: Lab\.double/);
    expect(edited.stderr).toMatch(/funes version Lab\.double [0-9a-f]{16} from source \(v2\.js\)/);

    const pruned = runScript(dir, writeScript(dir, 'v2', script('x + x')), { env: { ...env, PRUNE: '1' } });
    expect(pruned.stderr).toMatch(/funes evict .*\.bin/);
  });
});
