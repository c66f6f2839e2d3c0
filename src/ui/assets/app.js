// The page of `funes ui`: plain DOM, every value written as text (never as HTML), every
// query answered by the server a page at a time. Views: #/ (overview),
// #/v/<method>/<version> (records, plot), #/diff/<method>/<from>/<to> (code side by side).
'use strict';

const main = document.getElementById('main');
const crumbs = document.getElementById('crumbs');
const live = document.getElementById('live');

/** An element with attributes and children; strings become text nodes, so a record can never become markup. */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'className') node.className = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

async function get(path, params) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== undefined && v !== null && v !== '') query.set(k, String(v));
  const res = await fetch(`${path}?${query}`, { headers: { Accept: 'application/json' } });
  const body = await res.json();
  if (!res.ok) throw new Error(body.error || `${res.status}`);
  return body;
}

const cellText = (v) => (v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));
const short = (hash) => hash.slice(0, 12);
const link = (href, text, attrs) => el('a', { href, ...attrs }, text);
const route = (...parts) => `#/${parts.map(encodeURIComponent).join('/')}`;

function setCrumbs(...items) {
  crumbs.replaceChildren(...items.flatMap((item, i) => (i === 0 ? [item] : [' / ', item])));
}

function showError(error) {
  main.replaceChildren(el('p', { className: 'error' }, error.message || String(error)), el('p', {}, link('#/', 'back to the overview')));
}

// ---- overview -------------------------------------------------------------

async function overview() {
  setCrumbs('overview');
  const data = await get('/api/overview');
  const body = [el('h1', {}, 'What the cache holds')];
  if (data.methods.length === 0) body.push(el('p', { className: 'note' }, `No methods stored in ${data.places.join(', ')} yet.`));
  for (const place of data.places) {
    const methods = data.methods.filter((m) => m.place === place);
    if (data.places.length > 1) body.push(el('h2', {}, place));
    if (methods.length === 0) continue;
    const rows = methods.flatMap((m) =>
      m.versions.map((v, i) =>
        el(
          'tr',
          { className: 'version-row', 'data-method': m.name, 'data-version': v.hash, onclick: () => (location.hash = route('v', m.id, v.hash)) },
          el('td', { className: 'method' }, i === 0 ? m.name : ''),
          el('td', { className: 'mono' }, link(route('v', m.id, v.hash), short(v.hash)), v.current ? el('span', { className: 'badge' }, 'current') : null),
          el('td', { className: 'num' }, String(v.records), v.invalid ? ` (+${v.invalid} invalid)` : ''),
          el('td', { className: 'num' }, v.shown.bytes),
          el('td', { className: 'num' }, v.shown.time),
          el('td', {}, v.shown.first),
          el('td', {}, v.shown.last),
          el('td', {}, i + 1 < m.versions.length ? link(route('diff', m.id, m.versions[i + 1].hash, v.hash), 'diff with older', { onclick: (e) => e.stopPropagation() }) : ''),
        ),
      ),
    );
    body.push(
      el(
        'table',
        { className: 'overview' },
        el('thead', {}, el('tr', {}, ...['method', 'version', 'records', 'size', 'compute time', 'first written', 'last written', ''].map((h) => el('th', {}, h)))),
        el('tbody', {}, rows),
      ),
    );
  }
  main.replaceChildren(...body);
}

// ---- a version: table and plot ------------------------------------------

/** What the version view shows, kept across live refreshes. */
const view = { id: '', version: '', q: '', sort: undefined, desc: false, offset: 0, limit: 50, x: '', y: '', color: '', mark: 'dot', scale: 'linear', picked: undefined, shape: '', refill: undefined };

async function versionView(id, version, refresh) {
  if (!refresh || view.id !== id || view.version !== version) Object.assign(view, { id, version, q: '', sort: undefined, desc: false, offset: 0, x: '', y: '', color: '', picked: undefined });
  const info = await get('/api/version', { method: id, version });
  // New records with the same columns: refill the table and plot in place, so a filter being typed keeps its focus.
  const shape = JSON.stringify([id, version, info.columns, info.versions, info.current, info.invalid]);
  if (refresh && view.shape === shape && view.refill) return view.refill();
  view.shape = shape;
  setCrumbs(link('#/', 'overview'), `${info.method} ${short(version)}`);
  const inputs = info.columns.filter((c) => c.role === 'input');
  const numeric = info.columns.filter((c) => c.numeric && c.role !== 'input');
  // Choices a live update took away (a column gone, a column no longer numeric) fall back, rather than fail the view.
  if (!info.columns.some((c) => c.name === view.x)) view.x = (inputs.find((c) => c.numeric) || inputs[0] || info.columns[0] || {}).name || '';
  if (!numeric.some((c) => c.name === view.y)) view.y = (numeric.find((c) => c.role === 'output') || numeric[0] || {}).name || '';
  if (!info.columns.some((c) => c.name === view.sort)) Object.assign(view, { sort: undefined, desc: false });
  if (!inputs.some((c) => c.name === view.color)) view.color = '';

  const search = el('input', { type: 'search', id: 'filter', value: view.q, placeholder: 'filter: words, or lr>0.01, optimizer=adam, name:text', 'aria-label': 'filter' });
  let typing;
  search.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      view.q = search.value;
      view.offset = 0;
      void fill();
    }, 200);
  });
  const versions = el(
    'select',
    { id: 'version', 'aria-label': 'version', onchange: (e) => (location.hash = route('v', id, e.target.value)) },
    info.versions.map((h) => el('option', { value: h, selected: h === version }, short(h))),
  );
  const older = info.versions[info.versions.indexOf(version) + 1];
  const head = el(
    'h1',
    {},
    `${info.method} `,
    el('span', { className: 'mono' }, short(version)),
    info.current ? el('span', { className: 'badge' }, 'current') : null,
    info.places > 1 ? el('span', { className: 'note place' }, ` in ${info.place}`) : null,
  );
  const tools = el(
    'div',
    { className: 'toolbar' },
    el('label', {}, 'version ', versions),
    older ? link(route('diff', id, older, version), 'diff with older version') : null,
    search,
    el('span', { id: 'count', className: 'note' }),
  );
  const tableBox = el('div', { id: 'records' });
  const pager = el('div', { className: 'pager' });
  const choose = (name, value, options, onchange) =>
    el('label', {}, `${name} `, el('select', { id: `plot-${name}`, onchange }, options.map(([v, text]) => el('option', { value: v, selected: v === value }, text))));
  const plotTools = el(
    'div',
    { className: 'toolbar' },
    choose('x', view.x, info.columns.map((c) => [c.name, c.name]), (e) => ((view.x = e.target.value), void drawPlot())),
    choose('y', view.y, numeric.map((c) => [c.name, c.name]), (e) => ((view.y = e.target.value), void drawPlot())),
    choose('color', view.color, [['', '(none)'], ...inputs.map((c) => [c.name, c.name])], (e) => ((view.color = e.target.value), void drawPlot())),
    choose('mark', view.mark, [['dot', 'scatter'], ['line', 'line']], (e) => ((view.mark = e.target.value), void drawPlot())),
    choose('scale', view.scale, [['linear', 'linear'], ['log-x', 'log x'], ['log-y', 'log y'], ['log-xy', 'log x and y']], (e) => ((view.scale = e.target.value), void drawPlot())),
  );
  const plotBox = el('div', { id: 'plot' });
  const detail = el('pre', { className: 'record', id: 'detail' }, 'Click a row or a point to see its record.');
  const focused = document.activeElement && document.activeElement.id === 'filter' ? document.activeElement : null;
  main.replaceChildren(
    head,
    info.invalid ? el('p', { className: 'note' }, `${info.invalid} stored entries are not valid records and are not shown; 'funes verify --fix' removes them.`) : '',
    tools,
    el('div', { className: 'split' }, el('div', {}, tableBox, pager), el('div', {}, plotTools, plotBox, el('h2', {}, 'Record'), detail)),
  );
  if (focused) {
    // Rebuilt while the user typed a filter (new columns, a new current version): keep typing where they were.
    search.value = focused.value;
    search.focus();
    search.setSelectionRange(focused.selectionStart, focused.selectionEnd);
  }

  async function showRecord(key) {
    view.picked = key;
    // A plot point names its record by the first digits of its key.
    for (const tr of tableBox.querySelectorAll('tr[data-key]')) tr.classList.toggle('picked', tr.dataset.key.startsWith(key));
    const r = await get('/api/record', { method: id, version, key }).catch((error) => ({ text: error.message, whole: true }));
    detail.textContent = r.whole ? r.text : `${r.text}\n\n(abridged: 'funes show --json' prints it whole)`;
  }

  // Answers can come back out of order (a filter typed while a sort loads): only the latest asked for is shown.
  let fills = 0;
  let plots = 0;

  async function fill() {
    const asked = ++fills;
    let page;
    try {
      page = await get('/api/records', { method: id, version, q: view.q, sort: view.sort, desc: view.desc ? 1 : undefined, offset: view.offset, limit: view.limit });
    } catch (error) {
      if (asked !== fills) return;
      // Never leave the last answer's rows up as if they answered this query.
      tableBox.replaceChildren(el('p', { className: 'error', id: 'table-error' }, error.message));
      document.getElementById('count').textContent = '';
      pager.replaceChildren();
      plotBox.replaceChildren();
      return;
    }
    if (asked !== fills) return;
    const header = el(
      'tr',
      {},
      info.columns.map((c) =>
        el(
          'th',
          {
            className: `sortable${view.sort === c.name ? (view.desc ? ' sorted-desc' : ' sorted-asc') : ''}`,
            'data-column': c.name,
            title: `sort by ${c.name}`,
            onclick: () => {
              if (view.sort !== c.name) Object.assign(view, { sort: c.name, desc: false });
              else if (!view.desc) view.desc = true;
              else Object.assign(view, { sort: undefined, desc: false });
              view.offset = 0;
              void fill();
            },
          },
          c.name,
        ),
      ),
    );
    const rows = page.rows.map((row) =>
      el(
        'tr',
        { 'data-key': row.key, className: view.picked && row.key.startsWith(view.picked) ? 'picked' : '', onclick: () => void showRecord(row.key) },
        row.cells.map((cell, i) => el('td', { className: info.columns[i].numeric ? 'num cell' : 'cell', title: cellText(cell) }, cellText(cell))),
      ),
    );
    tableBox.replaceChildren(el('table', { id: 'record-table' }, el('thead', {}, header), el('tbody', {}, rows)));
    const last = Math.min(page.offset + page.rows.length, page.matched);
    document.getElementById('count').textContent =
      page.total === 0 ? 'no records stored in this version' : page.matched === 0 ? `no records match (of ${page.total})` : `${page.offset + 1}–${last} of ${page.matched}${page.matched === page.total ? '' : ` matching (${page.total} in all)`}`;
    const pages = Math.max(1, Math.ceil(page.matched / view.limit));
    const at = Math.floor(page.offset / view.limit) + 1;
    pager.replaceChildren(
      el('button', { id: 'prev', disabled: at <= 1, onclick: () => ((view.offset = Math.max(0, view.offset - view.limit)), void fill()) }, '‹ previous'),
      `page ${at} of ${pages}`,
      el('button', { id: 'next', disabled: at >= pages, onclick: () => ((view.offset += view.limit), void fill()) }, 'next ›'),
      el(
        'select',
        { 'aria-label': 'rows per page', onchange: (e) => ((view.limit = Number(e.target.value)), (view.offset = 0), void fill()) },
        [50, 100, 500].map((n) => el('option', { value: n, selected: n === view.limit }, `${n} per page`)),
      ),
    );
    void drawPlot();
  }

  async function drawPlot() {
    if (!view.x || !view.y) {
      plotBox.replaceChildren(el('p', { className: 'note' }, 'No numeric output to plot: a plot needs an output (or output field) that is a number.'));
      return;
    }
    const asked = ++plots;
    let data;
    try {
      data = await get('/api/plot', { method: id, version, x: view.x, y: view.y, color: view.color, q: view.q });
    } catch (error) {
      if (asked !== plots) return;
      plotBox.replaceChildren(el('p', { className: 'error', id: 'plot-error' }, error.message));
      return;
    }
    if (asked !== plots) return;
    const color = view.color ? 'color' : undefined;
    const logX = view.scale.startsWith('log-x');
    const logY = view.scale === 'log-y' || view.scale === 'log-xy';
    const all = data.points.map(([x, y, c, key]) => ({ x, y, color: c, key }));
    // A log axis has no place for zero or less: leave those points out, and say so below.
    const points = all.filter((p) => (!logX || !data.xNumeric || p.x > 0) && (!logY || p.y > 0));
    const marks = [Plot.dot(points, { x: 'x', y: 'y', fill: color || 'currentColor', fillOpacity: 0.8, r: 3.5, tip: true, channels: { key: 'key' } })];
    if (view.mark === 'line') marks.unshift(Plot.line(points, { x: 'x', y: 'y', z: color, stroke: color || 'currentColor', sort: 'x' }));
    const chart = Plot.plot({
      width: Math.max(320, plotBox.clientWidth || 560),
      height: 360,
      grid: true,
      marginLeft: 56,
      x: { label: view.x, type: logX && data.xNumeric ? 'log' : data.xNumeric ? undefined : 'point' },
      y: { label: view.y, type: logY ? 'log' : undefined },
      color: color ? { legend: true, label: view.color, type: data.colorNumeric ? undefined : 'ordinal' } : undefined,
      marks,
    });
    chart.addEventListener('click', () => {
      if (chart.value && chart.value.key) void showRecord(chart.value.key);
    });
    const notes = [];
    if (data.sampled) notes.push(`${all.length} of ${data.matched} records drawn, spread evenly over them.`);
    if (data.noX > 0) notes.push(`${data.noX} record${data.noX === 1 ? ' has' : 's have'} no finite ${view.x} (NaN, ±Infinity or empty) and ${data.noX === 1 ? 'is' : 'are'} not drawn.`);
    if (data.noY > 0) notes.push(`${data.noY} record${data.noY === 1 ? ' has' : 's have'} no finite ${view.y} (NaN, ±Infinity or empty) and ${data.noY === 1 ? 'is' : 'are'} not drawn.`);
    if (points.length < all.length) notes.push(`${all.length - points.length} point${all.length - points.length === 1 ? ' is' : 's are'} zero or below on a log axis and not drawn.`);
    if (!data.xNumeric && all.some((p) => p.x !== null && !Number.isNaN(Number(p.x)))) notes.push(`${view.x} holds more than numbers, so x is placed by each value's text.`);
    plotBox.replaceChildren(chart, ...notes.map((n) => el('p', { className: 'note plot-note' }, n)));
  }

  view.refill = async () => {
    await fill();
    if (view.picked) await showRecord(view.picked).catch(() => (detail.textContent = 'That record is gone.'));
  };
  await view.refill();
}

// ---- two versions' code side by side ------------------------------------

/** A unified diff as two columns: removed lines on the left, added on the right, context on both. `bare`: lines with no headers or hunks. */
function sideBySide(title, patch, bare = false) {
  const left = [el('div', { className: 'head' }, 'before')];
  const right = [el('div', { className: 'head' }, 'after')];
  let dels = [];
  let adds = [];
  const flush = () => {
    for (let i = 0; i < Math.max(dels.length, adds.length); i++) {
      left.push(el('div', { className: i < dels.length ? 'line del' : 'line' }, i < dels.length ? dels[i] : ''));
      right.push(el('div', { className: i < adds.length ? 'line add' : 'line' }, i < adds.length ? adds[i] : ''));
    }
    dels = [];
    adds = [];
  };
  let inHunk = bare;
  for (const line of patch.split('\n')) {
    // File headers (--- a, +++ b) come before the first hunk; inside one, a removed `-- x` line reads `--- x`.
    if (!inHunk && !line.startsWith('@@')) continue;
    if (line === '' || line.startsWith('\\')) continue;
    if (line.startsWith('@@')) {
      inHunk = true;
      flush();
      left.push(el('div', { className: 'line gap' }, line));
      right.push(el('div', { className: 'line gap' }, line));
    } else if (line.startsWith('-')) dels.push(line.slice(1));
    else if (line.startsWith('+')) adds.push(line.slice(1));
    else {
      flush();
      left.push(el('div', { className: 'line' }, line.slice(1)));
      right.push(el('div', { className: 'line' }, line.slice(1)));
    }
  }
  flush();
  return [el('h2', {}, title), el('div', { className: 'diff' }, el('div', { className: 'side' }, left), el('div', { className: 'side' }, right))];
}

async function diffView(id, from, to) {
  const [d, info] = await Promise.all([get('/api/diff', { method: id, from, to }), get('/api/version', { method: id, version: to })]);
  setCrumbs(link('#/', 'overview'), link(route('v', id, to), `${d.method} ${short(to)}`), 'diff');
  const pick = (name, value, other) =>
    el(
      'select',
      { id: `diff-${name}`, 'aria-label': name, onchange: (e) => (location.hash = name === 'from' ? route('diff', id, e.target.value, other) : route('diff', id, other, e.target.value)) },
      info.versions.map((h) => el('option', { value: h, selected: h === value }, short(h))),
    );
  const body = [el('h1', {}, `${d.method}: what changed`, d.places > 1 ? el('span', { className: 'note place' }, ` in ${d.place}`) : null), el('div', { className: 'toolbar' }, el('label', {}, 'from ', pick('from', from, to)), el('label', {}, 'to ', pick('to', to, from)))];
  if (d.changed.length + d.added.length + d.removed.length === 0) {
    body.push(el('p', { className: 'note' }, 'No difference in the recorded code (the versions differ in options, format, or what older metadata did not record).'));
  }
  const where = (x) => `${x.kind} ${x.name}${x.file ? ` (${x.file})` : ''}`;
  for (const c of d.changed) body.push(...sideBySide(`changed ${where(c)}`, c.patch));
  for (const a of d.added) body.push(...sideBySide(`added ${where(a)}`, a.text.split('\n').map((l) => `+${l}`).join('\n'), true));
  for (const r of d.removed) body.push(...sideBySide(`removed ${where(r)}`, r.text.split('\n').map((l) => `-${l}`).join('\n'), true));
  main.replaceChildren(...body);
}

// ---- routing and live updates -------------------------------------------

let rendering = Promise.resolve();

function render(refresh) {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter((p) => p !== '').map(decodeURIComponent);
  const go = parts[0] === 'v' && parts.length === 3 ? () => versionView(parts[1], parts[2], refresh)
    : parts[0] === 'diff' && parts.length === 4 ? () => diffView(parts[1], parts[2], parts[3])
    : () => overview();
  rendering = rendering.then(go).catch(showError).then(() => document.body.setAttribute('data-rendered', String(Date.now())));
}

window.addEventListener('hashchange', () => render(false));
const events = new EventSource('/api/events');
events.addEventListener('open', () => live.classList.add('on'));
events.addEventListener('error', () => live.classList.remove('on'));
events.addEventListener('change', () => render(true));
render(false);
