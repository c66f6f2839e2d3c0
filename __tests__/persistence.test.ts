import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize } from 'node:v8';
import { filesUnder } from './helpers/cache';
import { lastJson, projectDir, runScript, writeScript } from './helpers/child';

// A sweep script: each real computation appends a line to runs.log, so a run that
// was served from disk leaves no line.
const SWEEP = `
import { appendFileSync } from 'node:fs';
import { memorious, Memorious } from 'funes';

class Lab {
  @memorious
  square(x: number): number {
    appendFileSync('runs.log', 'square ' + x + '\\n');
    return x * x;
  }

  @memorious
  async fit(params: { lr: number }, epochs = 10): Promise<{ loss: number }> {
    appendFileSync('runs.log', 'fit ' + params.lr + '\\n');
    await new Promise((r) => setTimeout(r, 5));
    return { loss: params.lr * epochs };
  }
}

async function main(): Promise<void> {
  const lab = new Lab();
  const n = Number(process.argv[2] ?? 3);
  const squares = [];
  for (let i = 0; i < n; i++) squares.push(lab.square(i));
  const fits = [await lab.fit({ lr: 0.1 }), await lab.fit({ lr: 0.1 }, 10)];
  const records = Memorious.loadCachedResults(lab.square).length;
  console.log(JSON.stringify({ squares, fits, records, location: Memorious.locate(lab.square) }));
}
void main();
`;

describe('results persist across processes', () => {
  const dir = projectDir();
  const script = writeScript(dir, 'sweep', SWEEP);
  const runs = (): string[] => readFileSync(join(dir, 'runs.log'), 'utf8').trim().split('\n');

  test('a second process is served every result from disk; a literal default is the same input as its value', () => {
    const first = lastJson(runScript(dir, script));
    expect(runs()).toEqual(['square 0', 'square 1', 'square 2', 'fit 0.1']);
    const second = lastJson(runScript(dir, script));
    expect(second).toEqual(first);
    expect(runs()).toHaveLength(4);
  });

  test('extending the sweep computes only the new points', () => {
    const out = lastJson<{ squares: number[]; records: number }>(runScript(dir, script, { args: ['5'] }));
    expect(out.squares).toEqual([0, 1, 4, 9, 16]);
    expect(out.records).toBe(5);
    expect(runs().slice(4)).toEqual(['square 3', 'square 4']);
  });

  test('records lie at cache/<Class.method>/<version>/<key>.bin and need no library to read', () => {
    const files = filesUnder(join(dir, 'cache'));
    expect(files.length).toBe(6);
    for (const f of files) expect(f).toMatch(/^Lab\.(square|fit)\/[0-9a-f]{16}\/[0-9a-f]{64}\.bin$/);
    const fit = files.filter((f) => f.startsWith('Lab.fit/'));
    expect(fit).toHaveLength(1);
    const record = deserialize(readFileSync(join(dir, 'cache', fit[0]!)));
    expect(record).toMatchObject({ input: { params: { lr: 0.1 }, epochs: 10 }, output: { loss: 1 } });
    expect(typeof record.time).toBe('number');
    expect(record.time).toBeGreaterThan(0);
  });
});
