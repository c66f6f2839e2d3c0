import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { memorious, Memorious, serveUi, type UiServer } from '../src';
import { tempCache } from './helpers/cache';

/**
 * What the page's server says of awkward values: huge arrays and text, numbers JSON cannot
 * write, BigInts, names with `/` and `..`, repeated column names, mixed kinds in a column,
 * invalid files. Every figure is checked against what was stored.
 */

const cache = tempCache();

const big = memorious({ name: 'big' })((i: number) => ({ loss: i / 10, curve: Array.from({ length: 200_000 }, (_, k) => k), note: 'x'.repeat(50_000) }));
const ODD = [NaN, Infinity, -Infinity, -0, 3, 2n ** 70n, 5] as const;
const odd = memorious({ name: 'odd' })((i: number): number | bigint => ODD[i]!);
const slashed = memorious({ name: 'sweep..v2' })((lr: number) => ({ 'val/loss': lr * 2 }));
const clash = memorious({ name: 'clash' })((input: { output: string }, output: number) => output + input.output.length);
const MIXED = [1, 'b', true, null, 2] as const;
const mixed = memorious({ name: 'mixed' })((x: unknown) => MIXED.indexOf(x as never));

let ui: UiServer;
let ids: Record<string, { id: string; version: string; bytes: number; records: number; invalid: number }>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON, read field by field
async function get(path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(ui.url + path.replace(/^\//, ''));
  return { status: res.status, body: await res.json() };
}

function q(name: string, extra = ''): string {
  return `method=${ids[name]!.id}&version=${ids[name]!.version}${extra}`;
}

beforeAll(async () => {
  for (let i = 0; i < 3; i++) big(i);
  for (let i = 0; i < ODD.length; i++) odd(i);
  for (const lr of [0.1, 0.2, 0.3]) slashed(lr);
  clash({ output: 'csv' }, 1);
  clash({ output: 'json' }, 2);
  for (const x of MIXED) mixed(x);
  // A file that is not a record, beside the mixed records.
  writeFileSync(join(Memorious.locate(mixed), `${'f'.repeat(64)}.bin`), 'not a record');
  ui = await serveUi({ dirs: [cache], port: 0 });
  const overview = (await get('/api/overview')).body as { methods: { id: string; name: string; versions: { hash: string; bytes: number; records: number; invalid: number }[] }[] };
  ids = Object.fromEntries(overview.methods.map((m) => [m.name, { id: m.id, version: m.versions[0]!.hash, ...m.versions[0]! }]));
}, 60_000);

afterAll(() => ui?.close());

test('huge values are summarised in cells and abridged in the record panel, never sent whole', async () => {
  const page = await get(`/api/records?${q('big')}`);
  expect(page.status).toBe(200);
  expect(page.body.rows).toHaveLength(3);
  for (const row of page.body.rows) for (const cell of row.cells) expect(JSON.stringify(cell).length).toBeLessThan(1100);
  const version = (await get(`/api/version?${q('big')}`)).body;
  expect(version.columns.map((c: { name: string }) => c.name)).toEqual(['i', 'output.loss', 'output.curve', 'output.note', 'time']);
  const loss = version.columns.find((c: { name: string }) => c.name === 'output.loss');
  expect(loss.numeric).toBe(true);
  const record = (await get(`/api/record?${q('big', `&key=${page.body.rows[0].key}`)}`)).body;
  expect(record.whole).toBe(false);
  expect(record.text.length).toBeLessThan(200_000);
  expect(record.text).toContain('more items');
});

test('NaN, ±Infinity, -0 and BigInt outputs are numbers: they sort, filter and plot as numbers', async () => {
  const version = (await get(`/api/version?${q('odd')}`)).body;
  expect(version.columns.find((c: { name: string }) => c.name === 'output').numeric).toBe(true);
  const output = async (extra: string) => (await get(`/api/records?${q('odd', extra)}`)).body.rows.map((r: { cells: unknown[] }) => r.cells[1]);
  const big70 = (2n ** 70n).toString();
  expect(await output('&sort=output')).toEqual(['-Infinity', '-0', 3, 5, big70, 'Infinity', 'NaN']);
  expect(await output('&sort=output&desc=1')).toEqual(['Infinity', big70, 5, 3, '-0', '-Infinity', 'NaN']);
  expect(await output(`&sort=output&q=${encodeURIComponent('output>4')}`)).toEqual([5, big70, 'Infinity']);
  const plot = (await get(`/api/plot?${q('odd', '&x=i&y=output')}`)).body;
  expect(plot.noY).toBe(3);
  expect(plot.points.map((p: unknown[]) => p[1]).sort((a: number, b: number) => a - b)).toEqual([0, 3, 5, 2 ** 70]);
  // On x, the same column stays a numeric axis: the non-finite ones are left out and counted, not turned into text.
  const across = (await get(`/api/plot?${q('odd', '&x=output&y=i')}`)).body;
  expect(across.xNumeric).toBe(true);
  expect(across.noX).toBe(3);
  expect(across.points.map((p: unknown[]) => p[0]).sort((a: number, b: number) => a - b)).toEqual([0, 3, 5, 2 ** 70]);
  // = compares numbers as numbers.
  expect(await output(`&q=${encodeURIComponent('output=5.0')}`)).toEqual([5]);
});

test('names with / and .. work: a method called sweep..v2, a column output.val/loss, a filter word with slashes', async () => {
  expect((await get(`/api/version?${q('sweep..v2')}`)).status).toBe(200);
  const sorted = await get(`/api/records?${q('sweep..v2', `&sort=${encodeURIComponent('output.val/loss')}&desc=1`)}`);
  expect(sorted.status).toBe(200);
  expect(sorted.body.rows.map((r: { cells: unknown[] }) => r.cells[1])).toEqual([0.6, 0.4, 0.2]);
  const plot = await get(`/api/plot?${q('sweep..v2', `&x=lr&y=${encodeURIComponent('output.val/loss')}`)}`);
  expect(plot.status).toBe(200);
  expect(plot.body.points).toHaveLength(3);
  const words = await get(`/api/records?${q('sweep..v2', `&q=${encodeURIComponent('http://x/y 1/2 ..')}`)}`);
  expect(words.status).toBe(200);
  expect(words.body.matched).toBe(0);
});

test('columns that would share a name are numbered, and each sorts by its own values', async () => {
  const version = (await get(`/api/version?${q('clash')}`)).body;
  const names = version.columns.map((c: { name: string }) => c.name);
  expect(new Set(names).size).toBe(names.length);
  expect(names).toEqual(['input.output', 'input.output (2)', 'output', 'time']);
  const rows = async (sort: string) => (await get(`/api/records?${q('clash', `&sort=${encodeURIComponent(sort)}&desc=1`)}`)).body.rows.map((r: { cells: unknown[] }) => r.cells.slice(0, 2));
  expect(await rows('input.output')).toEqual([
    ['json', 2],
    ['csv', 1],
  ]);
  expect(await rows('input.output (2)')).toEqual([
    ['json', 2],
    ['csv', 1],
  ]);
});

test('a column of mixed kinds plots every record by its text; empty cells sort last in both directions', async () => {
  const plot = (await get(`/api/plot?${q('mixed', '&x=x&y=output')}`)).body;
  expect(plot.xNumeric).toBe(false);
  expect(plot.points.map((p: unknown[]) => p[0]).sort()).toEqual(['(empty)', '1', '2', 'b', 'true']);
  for (const desc of ['', '&desc=1']) {
    const cells = (await get(`/api/records?${q('mixed', `&sort=x${desc}`)}`)).body.rows.map((r: { cells: unknown[] }) => r.cells[0]);
    expect(cells[cells.length - 1]).toBeNull();
  }
});

test('the overview counts every file of a version in its bytes, invalid ones too, as funes ls does', () => {
  const dir = Memorious.locate(mixed);
  const bytes = readdirSync(dir)
    .filter((f) => f.endsWith('.bin'))
    .reduce((n, f) => n + statSync(join(dir, f)).size, 0);
  expect(ids.mixed!.records).toBe(MIXED.length);
  expect(ids.mixed!.invalid).toBe(1);
  expect(ids.mixed!.bytes).toBe(bytes);
});
