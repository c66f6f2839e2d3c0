import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { deserialize } from 'node:v8';
import { memorious, Memorious, serveUi } from '../../src';
import { withTempCache, type Context } from '../fixtures';
import { summarise } from '../measure';
import type { Row } from '../report';

/**
 * Case 15: `funes ui` over one version of 100,000 small records (10,000 with --quick). A
 * fresh server's first overview and first page of the version read every record once:
 * that is timed per record against reading and deserializing the same files once each
 * (list, stat, read). Then what a user waits for on a page of that version, warm: the
 * first sort by a column, a filter, the next page, the plot of 20,000 points.
 */
export async function uiCases(ctx: Context): Promise<Row[]> {
  const count = ctx.quick ? 10_000 : 100_000;
  const rounds = ctx.quick ? 2 : 3;
  return withTempCache(ctx.base, 'ui', async (dir) => {
    const grid = memorious({ name: 'grid' })(function grid(params: { a: number; b: number; tag: string }): { loss: number; ok: boolean } {
      return { loss: Math.sin(params.a) + params.b / 1000, ok: params.a % 2 === 0 };
    });
    for (let i = 0; i < count; i++) grid({ a: i % 317, b: i, tag: `run${i % 13}` });
    const vdir = Memorious.locate(grid);

    const floor = (): number => {
      const start = performance.now();
      let n = 0;
      for (const name of readdirSync(vdir)) {
        if (!name.endsWith('.bin')) continue;
        const file = join(vdir, name);
        statSync(file);
        deserialize(readFileSync(file));
        n++;
      }
      if (n !== count) throw new Error(`case 15: ${n} records, expected ${count}`);
      return ((performance.now() - start) * 1000) / n;
    };
    const warm: Record<string, number[]> = { sort: [], filter: [], next: [], plot: [] };
    const cold = async (): Promise<number> => {
      const ui = await serveUi({ dirs: [dir], port: 0 });
      try {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON, read field by field
        const get = async (path: string): Promise<{ ms: number; body: any }> => {
          const start = performance.now();
          const res = await fetch(ui.url + path);
          const body = await res.json();
          if (!res.ok) throw new Error(`case 15: ${path}: ${JSON.stringify(body)}`);
          return { ms: performance.now() - start, body };
        };
        const overview = await get('api/overview');
        const m = overview.body.methods[0];
        const q = `method=${encodeURIComponent(m.id)}&version=${m.versions[0].hash}`;
        const page = await get(`api/records?${q}`);
        if (page.body.matched !== count) throw new Error(`case 15: the page says ${page.body.matched} records`);
        const perRecord = ((overview.ms + page.ms) * 1000) / count;
        warm.sort!.push((await get(`api/records?${q}&sort=output.loss&desc=1`)).ms);
        warm.filter!.push((await get(`api/records?${q}&q=${encodeURIComponent('params.tag=run7 params.a>100')}`)).ms);
        warm.next!.push((await get(`api/records?${q}&sort=output.loss&desc=1&offset=50`)).ms);
        warm.plot!.push((await get(`api/plot?${q}&x=params.a&y=output.loss&color=params.tag`)).ms);
        return perRecord;
      } finally {
        await ui.close();
      }
    };

    const funes: number[] = [];
    const floors: number[] = [];
    for (let r = 0; r < rounds; r++) {
      // Alternating which goes first, so that neither always follows the other's page-cache work.
      if (r % 2 === 0) {
        funes.push(await cold());
        floors.push(floor());
      } else {
        floors.push(floor());
        funes.push(await cold());
      }
    }
    const median = (xs: number[]): string => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(0);
    return [
      {
        id: '15',
        label: `funes ui, ${count.toLocaleString('en-US')} records: a fresh server's overview and first page (µs per record)`,
        subject: summarise(funes, count),
        reference: summarise(floors, count),
        referenceLabel: 'readdirSync + statSync + readFileSync + v8.deserialize of each record once',
        target: { max: 2 },
        note:
          `${rounds} fresh servers; then, warm, in ms: first sort by output.loss ${median(warm.sort!)}, ` +
          `a two-word filter ${median(warm.filter!)}, the next page ${median(warm.next!)}, the plot of 20,000 points ${median(warm.plot!)}`,
      },
    ];
  });
}
