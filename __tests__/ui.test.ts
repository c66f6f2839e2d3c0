import { request } from 'node:http';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { projectDir, runScript, writeScript } from './helpers/child';
import { tempDir } from './helpers/cache';
import { SCREENSHOTS, startUi, useBrowser, type UiProcess } from './helpers/browser';

/**
 * `funes ui` end to end: a cache built by real child processes (two versions of a method
 * from a real edit), the built CLI serving it, and a headless Chromium using the page.
 */

/** A sweep whose loss scale is a module constant: editing it makes a new version. */
const sweep = (scale: number) => `
import { memorious, Memorious } from 'funes';
const SCALE = ${scale};
// A line that starts with -- (an SQL comment), edited along with SCALE: a diff must show it as changed, not lose it.
const QUERY = \`select loss from runs
-- ${scale === 1000 ? 'only recent rows' : 'only the newest rows'}
\`;
class Sweep {
  @memorious
  fit(params: { lr: number; depth: number }, seed: number): { loss: number; acc: number } {
    return { loss: (params.lr - 0.01) ** 2 * SCALE + params.depth * 0.1 + seed * 0.001 + QUERY.length * 0, acc: 1 - params.lr };
  }
  @memorious
  square(i: number): { value: number } {
    return { value: i * i };
  }
  @memorious
  label(text: string): string {
    return '<script>window.__pwned = 1</script>' + text;
  }
}
const [dir, grid, squares] = process.argv.slice(2);
Memorious.configure({ cacheDir: dir });
const s = new Sweep();
for (const [lr, depth] of JSON.parse(grid!) as [number, number][]) s.fit({ lr, depth }, 1);
s.label('<img src=x onerror="window.__pwned = 2">');
for (let i = 0; i < Number(squares ?? 0); i++) s.square(i);
`;

const LRS = [0.001, 0.003, 0.01, 0.03, 0.1];
const DEPTHS = [2, 4, 8];
const GRID = LRS.flatMap((lr) => DEPTHS.map((depth) => [lr, depth]));

const project = projectDir();
const cache = join(tempDir(), 'cache');
const browser = useBrowser();
let ui: UiProcess;
let v1 = '';
let v2 = '';
let fitId = '';

function run(scale: number, grid: number[][], squares = 0): void {
  runScript(project, writeScript(project, 'sweep', sweep(scale)), { args: [cache, JSON.stringify(grid), String(squares)] });
}

const SQUARES = 1200;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON, read field by field in the tests
async function json(path: string): Promise<any> {
  const res = await fetch(ui.url + path.replace(/^\//, ''));
  return res.json();
}

beforeAll(async () => {
  run(1000, GRID, SQUARES);
  run(2000, GRID.slice(0, 6));
  ui = await startUi(['--dir', cache]);
  const fit = (await json('/api/overview')).methods.find((m: { name: string }) => m.name === 'Sweep.fit');
  // Newest first: the edited code's version, then the original.
  [v2, v1] = fit.versions.map((v: { hash: string }) => v.hash);
  fitId = fit.id;
}, 120_000);

afterAll(async () => {
  await ui?.stop();
});

async function open(hash: string): Promise<Page> {
  const page = await browser().newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(ui.url + hash);
  (page as unknown as { errors: string[] }).errors = errors;
  return page;
}

/** The page of a method's newest version, and the method as the overview gives it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON, read field by field in the tests
async function openNewest(name: string): Promise<{ page: Page; method: any }> {
  const method = (await json('/api/overview')).methods.find((m: { name: string }) => m.name === name);
  return { page: await open(`#/v/${encodeURIComponent(method.id)}/${method.versions[0].hash}`), method };
}

function pageErrors(page: Page): string[] {
  return (page as unknown as { errors: string[] }).errors;
}

async function column(page: Page, name: string): Promise<string[]> {
  const index = await page.$$eval('#record-table thead th', (ths, n) => ths.findIndex((th) => th.getAttribute('data-column') === n), name);
  return page.$$eval(`#record-table tbody tr td:nth-child(${index + 1})`, (tds) => tds.map((td) => td.textContent ?? ''));
}

const ROWS = '#record-table tbody tr';
const DOTS = '#plot svg g[aria-label="dot"] circle';

/** The page's document, typed just enough: the tests compile without the DOM's types. */
interface Doc {
  querySelectorAll(selector: string): { length: number };
  getElementById(id: string): { textContent: string | null } | null;
}

/** Waits until `selector` matches `n` elements. */
async function waitCount(page: Page, selector: string, n: number, timeout = 10_000): Promise<void> {
  await page.waitForFunction(
    ([sel, count]) => (globalThis as unknown as { document: Doc }).document.querySelectorAll(sel as string).length === count,
    [selector, n] as const,
    { timeout },
  );
}

/** Waits until the text of the element with `id` includes, or starts with, `text`. */
async function waitText(page: Page, id: string, how: 'includes' | 'startsWith', text: string): Promise<void> {
  await page.waitForFunction(
    ([where, mode, want]) => {
      const got = (globalThis as unknown as { document: Doc }).document.getElementById(where)?.textContent ?? '';
      return mode === 'includes' ? got.includes(want) : got.startsWith(want);
    },
    [id, how, text] as const,
  );
}

async function rowCount(page: Page): Promise<number> {
  return page.locator('#record-table tbody tr').count();
}

describe('funes ui in a browser', () => {
  test('the overview lists every method and version, the current one marked, with counts and times', async () => {
    const page = await open('');
    await page.waitForSelector('tr.version-row');
    const rows = await page.$$eval('tr.version-row', (trs) =>
      trs.map((tr) => ({ method: tr.getAttribute('data-method'), version: tr.getAttribute('data-version'), text: tr.textContent ?? '' })),
    );
    expect(rows.map((r) => r.method)).toEqual(['Sweep.fit', 'Sweep.fit', 'Sweep.label', 'Sweep.square']);
    expect(rows[0]!.version).toBe(v2);
    expect(rows[1]!.version).toBe(v1);
    expect(rows[0]!.text).toContain('current');
    expect(rows[1]!.text).not.toContain('current');
    const cells = await page.$$eval('tr.version-row', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(cells[0]![2]).toBe('6');
    expect(cells[1]![2]).toBe('15');
    // First and last written: two timestamps in each row.
    expect(cells[1]![5]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(cells[1]![6]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    await page.screenshot({ path: join(SCREENSHOTS, 'overview.png') });
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  test('sorting by a column and filtering by a query change the rows; the plot draws one mark per record', async () => {
    const page = await open(`#/v/${fitId}/${v1}`);
    await page.waitForSelector('#record-table tbody tr');
    expect(await rowCount(page)).toBe(15);
    await page.waitForSelector('#plot svg');
    expect(await page.locator('#plot svg g[aria-label="dot"] circle').count()).toBe(15);

    await page.click('th[data-column="output.loss"]');
    await page.waitForSelector('th.sorted-asc[data-column="output.loss"]');
    const ascending = (await column(page, 'output.loss')).map(Number);
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    await page.click('th[data-column="output.loss"]');
    await page.waitForSelector('th.sorted-desc[data-column="output.loss"]');
    const descending = (await column(page, 'output.loss')).map(Number);
    expect(descending).toEqual([...ascending].reverse());

    await page.fill('#filter', 'params.depth=4');
    await waitCount(page, ROWS, 5);
    expect(new Set(await column(page, 'params.depth'))).toEqual(new Set(['4']));
    await waitCount(page, DOTS, 5);

    // A query the server cannot answer says why, and leaves no rows up that did not answer it.
    await page.fill('#filter', 'params.lr>abc');
    await page.waitForSelector('#table-error');
    expect(await page.textContent('#table-error')).toContain('compares with a number');
    expect(await rowCount(page)).toBe(0);
    // The browser logs the refused request itself: that one is expected, and only that one.
    expect(pageErrors(page)).toEqual([expect.stringContaining('status of 400')]);
    pageErrors(page).length = 0;

    await page.fill('#filter', 'params.lr>0.02 params.depth<5');
    await waitCount(page, ROWS, 4);
    expect((await column(page, 'params.lr')).map(Number).every((lr) => lr > 0.02)).toBe(true);
    expect(await page.textContent('#count')).toContain('of 4 matching (15 in all)');

    // Colour by an input, then pick a point: its record is shown.
    await page.fill('#filter', '');
    await waitCount(page, ROWS, 15);
    await page.selectOption('#plot-color', 'params.depth');
    // The coloured plot, with its legend: not the one drawn for the cleared filter just before.
    await page.waitForSelector('#plot figure');
    await waitCount(page, DOTS, 15);
    const circle = page.locator('#plot svg g[aria-label="dot"] circle').first();
    const box = (await circle.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForSelector('#plot svg g[aria-label="tip"] text');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await waitText(page, 'detail', 'includes', '"key"');
    const detail = JSON.parse((await page.textContent('#detail'))!);
    expect(detail.input.params).toHaveProperty('lr');
    expect(typeof detail.output.loss).toBe('number');
    await page.screenshot({ path: join(SCREENSHOTS, 'version.png') });
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  test('the server pages: the page holds one page of rows, and next and previous move through them', async () => {
    const { page, method: square } = await openNewest('Sweep.square');
    await page.waitForSelector('#record-table tbody tr');
    expect(await rowCount(page)).toBe(50);
    expect(await page.textContent('#count')).toBe(`1–50 of ${SQUARES}`);
    await page.click('th[data-column="i"]');
    await page.waitForSelector('th.sorted-asc[data-column="i"]');
    expect((await column(page, 'i')).slice(0, 3)).toEqual(['0', '1', '2']);
    await page.click('#next');
    await waitText(page, 'count', 'startsWith', '51–100');
    expect(await column(page, 'i')).toEqual(Array.from({ length: 50 }, (_, k) => String(50 + k)));
    expect(await rowCount(page)).toBe(50);
    await page.click('#prev');
    await waitText(page, 'count', 'startsWith', '1–50');
    // The plot takes every point (up to its limit), the table only its page.
    await waitCount(page, DOTS, SQUARES);
    expect(await rowCount(page)).toBe(50);
    // The API never sends more than a page, however many are asked for.
    const all = await json(`/api/records?method=${encodeURIComponent(square.id)}&version=${square.versions[0].hash}&limit=100000`);
    expect(all.matched).toBe(SQUARES);
    expect(all.rows.length).toBe(500);
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  test('the diff view shows the changed line side by side', async () => {
    const page = await open(`#/diff/${fitId}/${v1}/${v2}`);
    await page.waitForSelector('.diff');
    const removed = await page.$$eval('.diff .line.del', (ls) => ls.map((l) => l.textContent));
    const added = await page.$$eval('.diff .line.add', (ls) => ls.map((l) => l.textContent));
    expect(removed.join('\n')).toContain('SCALE = 1000');
    expect(added.join('\n')).toContain('SCALE = 2000');
    expect(removed.join('\n')).not.toContain('2000');
    // Inside a hunk, the removed line "-- only recent rows" reads "--- only recent rows": it is a line, not a file header.
    expect(removed).toContain('-- only recent rows');
    expect(added).toContain('-- only the newest rows');
    await page.screenshot({ path: join(SCREENSHOTS, 'diff.png') });
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  test('a record written while the page is open appears without a reload', async () => {
    const page = await open(`#/v/${fitId}/${v1}`);
    await page.waitForSelector('#live.on');
    await waitCount(page, ROWS, 15);
    await page.focus('#filter');
    run(1000, [[0.5, 16]]);
    await waitCount(page, ROWS, 16, 15_000);
    // Refilled in place: a filter being typed keeps its focus.
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id)).toBe('filter');
    expect(await column(page, 'params.lr')).toContain('0.5');
    await waitCount(page, DOTS, 16);
    await page.screenshot({ path: join(SCREENSHOTS, 'live.png') });
    expect(pageErrors(page)).toEqual([]);
    await page.close();
  });

  test('a record holding HTML and script is shown as text, never run', async () => {
    const { page } = await openNewest('Sweep.label');
    await page.waitForSelector('#record-table tbody tr');
    const cells = await page.$$eval('#record-table tbody td', (tds) => tds.map((td) => td.textContent));
    expect(cells).toContain('<img src=x onerror="window.__pwned = 2">');
    expect(cells).toContain('<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">');
    await page.click('#record-table tbody tr');
    await waitText(page, 'detail', 'includes', '__pwned');
    expect(await page.locator('main img, main script').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.close();
  });
});

/** A raw request, its path sent exactly as given (no normalising of `..`). */
function raw(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: ui.port, path, method, headers: { Host: `127.0.0.1:${ui.port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('funes ui refuses what is not its own', () => {
  test('a request for another host name is refused (DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${ui.port}`, `localhost:${ui.port}`, '127.0.0.1', `127.0.0.1:${ui.port + 1}`]) {
      const r = await raw('/api/overview', { Host: host });
      expect({ host, status: r.status }).toEqual({ host, status: 403 });
      expect(r.body).not.toContain('Sweep');
    }
    expect((await raw('/api/overview')).status).toBe(200);
  });

  test('.. and its encoded forms, in a path or in any name, are refused', async () => {
    const paths = [
      '/../package.json',
      '/assets/../../package.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/assets/%2E%2E%2Fpackage.json',
      '/assets/..%2fapp.js',
      '/assets/..%5c..%5cpackage.json',
      '/assets\\..\\package.json',
      '/assets/app.js%00.png',
      `/api/records?method=${encodeURIComponent('0:../../etc')}&version=${v1}`,
      `/api/records?method=${fitId}&version=${encodeURIComponent('../' + v1)}`,
      `/api/record?method=${fitId}&version=${v1}&key=${encodeURIComponent('../../meta.json')}`,
      `/api/diff?method=${fitId}&from=${encodeURIComponent('..%2f..')}&to=${v2}`,
      `/api/plot?method=${fitId}&version=${v1}&x=${encodeURIComponent('a/../b')}&y=output.loss`,
    ];
    for (const path of paths) {
      const r = await raw(path);
      expect({ path, status: r.status }).toEqual({ path, status: 400 });
    }
    // Names that are not stored are not found, whatever they say.
    expect((await raw('/api/records?method=0:etc&version=abc')).status).toBe(404);
    expect((await raw(`/api/records?method=${fitId}&version=${'0'.repeat(16)}`)).status).toBe(404);
    expect((await raw(`/api/record?method=${fitId}&version=${v1}&key=meta`)).status).toBe(400);
    expect((await raw(`/api/record?method=${fitId}&version=${v1}&key=${"0".repeat(64)}`)).status).toBe(404);
    expect((await raw('/package.json')).status).toBe(404);
    expect((await raw('/assets/catalog.js')).status).toBe(404);
  });

  test('it is read-only and says what scripts may run', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) expect((await raw('/api/overview', {}, method)).status).toBe(405);
    const page = await raw('/');
    expect(page.status).toBe(200);
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    // Every script and style the page loads is served by it: none from a CDN.
    const sources = [...page.body.matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)="([^"]+)"/g)].map((m) => m[1]!).filter((s) => !s.startsWith('data:'));
    expect(sources.length).toBeGreaterThanOrEqual(4);
    for (const s of sources) {
      expect(s.startsWith('/')).toBe(true);
      expect((await raw(s)).status).toBe(200);
    }
  });

  test('a bad query is a 400 that says why', async () => {
    const r = await raw(`/api/records?method=${fitId}&version=${v1}&q=${encodeURIComponent('params.lr>abc')}`);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error).toContain('compares with a number');
    const s = await raw(`/api/records?method=${fitId}&version=${v1}&sort=nope`);
    expect(s.status).toBe(400);
    expect(JSON.parse(s.body).error).toContain('no column nope');
  });
});
