import { inspect } from 'node:util';
import { formatBytes, formatDate, formatSeconds } from '../cli/format';
import { toPlain } from '../cli/plain';
import { versionTime, type VersionDir } from '../store/scan';
import { diffVersions } from '../version/diff';
import { versionCode } from '../cli/commands/diff';
import type { Catalog, CatalogMethod, VersionRecords } from './catalog';
import { cellText, wire } from './cells';
import { QueryError, VersionTable } from './query';

/** A request the page made wrongly, or for something that is not there: its HTTP status and a message to show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** At most this many rows in one page, and points in one plot (spread evenly over the rows when there are more). */
const MAX_PAGE = 500;
const MAX_POINTS = 20_000;
/** Plot points name their record by this many hex digits of its key: unique among a version's records (see rowOf). */
const KEY_PREFIX = 16;
/** A record panel's JSON above this many characters is shown in part, as `util.inspect` abridges it. */
const MAX_RECORD_TEXT = 200_000;

/**
 * The page's read-only questions, answered from a catalog. What was read is kept until the
 * catalog's fingerprint changes; a request names methods, versions and records only by ids
 * and hashes that must match what is stored, never by a path.
 *
 * While a sweep writes, the fingerprint changes at every look. Reading the cache again then
 * waits until four times as long as the last reading took has passed (at least a second),
 * so that a page over 100,000 records stays quick; the poll announces the change once it
 * is read.
 */
export class Api {
  private fingerprint = '';
  private checked = 0;
  private reloadedAt = 0;
  /** Milliseconds spent reading since the last reload: what the next one may cost. */
  private cost = 0;
  private listed: CatalogMethod[] | undefined;
  private readonly loaded = new Map<string, VersionRecords>();
  /** Kept across changes while the catalog gives back the same records: rebuilding 100,000 rows takes a while. */
  private readonly tables = new Map<string, { from: VersionRecords; table: VersionTable }>();

  constructor(
    private readonly catalog: Catalog,
    private readonly freshMs: number,
  ) {}

  /** The fingerprint now, read at most once per `freshMs`; a change drops what was held, once the last reading has paid off. */
  async revision(): Promise<string> {
    if (Date.now() - this.checked < this.freshMs) return this.fingerprint;
    const now = await this.catalog.fingerprint();
    this.checked = Date.now();
    if (now !== this.fingerprint && Date.now() - this.reloadedAt >= Math.max(1000, 4 * this.cost)) {
      this.fingerprint = now;
      this.reloadedAt = Date.now();
      this.cost = 0;
      this.listed = undefined;
      this.loaded.clear();
    }
    return this.fingerprint;
  }

  async overview(): Promise<unknown> {
    const methods = await this.methods();
    const out = [];
    for (const m of methods) {
      const versions = [];
      for (const v of m.dir.versions) {
        const loaded = await this.loadedOf(m, v);
        let time = 0;
        let first: number | null = null;
        let last: number | null = null;
        for (const { record } of loaded.records) {
          time += record.time;
          if (first === null || record.created < first) first = record.created;
          if (last === null || record.created > last) last = record.created;
        }
        versions.push({
          hash: v.hash,
          current: v.hash === m.dir.current,
          created: versionTime(v),
          records: loaded.records.length,
          invalid: loaded.invalid,
          bytes: loaded.bytes,
          time,
          first,
          last,
          // As `funes ls` writes them, so that the page and the command line read alike.
          shown: { bytes: formatBytes(loaded.bytes), time: formatSeconds(time), first: formatDate(first ?? undefined), last: formatDate(last ?? undefined) },
        });
      }
      out.push({ id: m.id, place: m.place, name: m.dir.name, folder: m.dir.segment, current: m.dir.current ?? null, versions });
    }
    return { places: this.catalog.places, methods: out };
  }

  async version(params: URLSearchParams): Promise<unknown> {
    const { method, version } = await this.pick(params);
    const t = await this.table(method, version);
    return {
      method: method.dir.name,
      id: method.id,
      place: method.place,
      places: this.catalog.places.length,
      version: version.hash,
      current: version.hash === method.dir.current,
      versions: method.dir.versions.map((v) => v.hash),
      params: version.meta?.params ?? null,
      columns: t.columns,
      records: t.rows.length,
      invalid: t.loaded.invalid,
    };
  }

  async records(params: URLSearchParams): Promise<unknown> {
    const { method, version } = await this.pick(params);
    const t = await this.table(method, version);
    const sortName = params.get('sort');
    const sort = sortName === null || sortName === '' ? undefined : column(t, sortName);
    const picked = select(t, params.get('q') ?? '', sort, params.get('desc') === '1');
    const offset = count(params, 'offset', 0, Number.MAX_SAFE_INTEGER);
    const limit = count(params, 'limit', 50, MAX_PAGE);
    return {
      total: t.rows.length,
      matched: picked.length,
      offset,
      rows: picked.slice(offset, offset + limit).map((i) => ({ key: t.keys[i], cells: t.rows[i]!.map(wire) })),
    };
  }

  async record(params: URLSearchParams): Promise<unknown> {
    const { method, version } = await this.pick(params);
    const t = await this.table(method, version);
    const key = required(params, 'key');
    if (!/^[0-9a-f]+$/.test(key) || key.length < KEY_PREFIX) throw new ApiError(400, `a record's key is ${KEY_PREFIX} or more hex digits`);
    const i = t.rowOf(key);
    if (i === undefined) throw new ApiError(404, `${method.dir.name} version ${version.hash} has no record ${key}`);
    if (i === 'ambiguous') throw new ApiError(409, `${key} starts more than one record's key; give the whole key`);
    const full = t.keys[i]!;
    const record = await this.catalog.record(method, version, full);
    if (!record) throw new ApiError(404, `record ${full} of ${method.dir.name} is gone (removed or replaced since the page listed it)`);
    const shown = { key: full, input: toPlain(record.input), output: toPlain(record.output), time: record.time, created: new Date(record.created).toISOString() };
    let text = JSON.stringify(shown, null, 2);
    let whole = true;
    if (text.length > MAX_RECORD_TEXT) {
      // A 100 MB output would stall the page: show it as inspect abridges it.
      text = inspect({ ...shown, input: record.input, output: record.output }, { depth: 4, maxArrayLength: 100, maxStringLength: 2000, breakLength: 100 });
      whole = false;
    }
    return { key: full, text, whole, bytes: t.loaded.records[i]!.file.size };
  }

  async plot(params: URLSearchParams): Promise<unknown> {
    const { method, version } = await this.pick(params);
    const t = await this.table(method, version);
    const x = column(t, required(params, 'x'));
    const y = column(t, required(params, 'y'));
    if (!t.columns[y]!.numeric) throw new ApiError(400, `${t.columns[y]!.name} is not numeric: pick a numeric column for y`);
    const colorName = params.get('color');
    const color = colorName ? column(t, colorName) : -1;
    const picked = select(t, params.get('q') ?? '', undefined, false);
    // A column of numbers is a numeric axis; one that mixes kinds is placed by each value's text, so no point falls off.
    const xNumeric = t.columns[x]!.numeric;
    const colorNumeric = color >= 0 && t.columns[color]!.numeric;
    // An empty cell, NaN or ±Infinity has no place on a numeric axis (the point is left out, and counted); on a text axis an empty one is "(empty)".
    const place = (cell: unknown, numeric: boolean): unknown => {
      if (numeric) {
        const n = cell === null || cell === undefined ? NaN : Number(cell);
        return Number.isFinite(n) ? n : null;
      }
      return cell === null || cell === undefined ? '(empty)' : cellText(cell);
    };
    const step = Math.max(1, picked.length / MAX_POINTS);
    const points = [];
    let noY = 0;
    let noX = 0;
    for (let j = 0; j < picked.length; j += step) {
      const i = picked[Math.floor(j)]!;
      const row = t.rows[i]!;
      const yv = typeof row[y] === 'bigint' ? Number(row[y]) : row[y];
      if (typeof yv !== 'number' || !Number.isFinite(yv)) {
        noY++;
        continue;
      }
      const xv = place(row[x], xNumeric);
      if (xv === null) {
        noX++;
        continue;
      }
      // Arrays, and a key's first 16 hex digits: 20,000 points stay under a megabyte.
      points.push([xv, yv, color < 0 ? null : place(row[color], colorNumeric), t.keys[i]!.slice(0, KEY_PREFIX)]);
    }
    return { matched: picked.length, sampled: step > 1, xNumeric, colorNumeric, noX, noY, points };
  }

  async diff(params: URLSearchParams): Promise<unknown> {
    const method = await this.method(params);
    const from = this.versionOf(method, required(params, 'from'));
    const to = this.versionOf(method, required(params, 'to'));
    return { ...diffVersions(method.dir.name, versionCode(from), versionCode(to)), place: method.place, places: this.catalog.places.length };
  }

  private async timed<T>(work: () => Promise<T>): Promise<T> {
    const start = Date.now();
    try {
      return await work();
    } finally {
      this.cost += Date.now() - start;
    }
  }

  private async methods(): Promise<CatalogMethod[]> {
    await this.revision();
    return (this.listed ??= await this.timed(() => this.catalog.methods()));
  }

  private async method(params: URLSearchParams): Promise<CatalogMethod> {
    const id = required(params, 'method');
    const found = (await this.methods()).find((m) => m.id === id);
    if (!found) throw new ApiError(404, `no stored method ${id}: it may have been cleared; go back to the overview`);
    return found;
  }

  private versionOf(method: CatalogMethod, hash: string): VersionDir {
    const found = method.dir.versions.find((v) => v.hash === hash);
    if (!found) throw new ApiError(404, `${method.dir.name} has no version ${hash}: it may have been cleared; go back to the overview`);
    return found;
  }

  private async pick(params: URLSearchParams): Promise<{ method: CatalogMethod; version: VersionDir }> {
    const method = await this.method(params);
    return { method, version: this.versionOf(method, required(params, 'version')) };
  }

  private async loadedOf(method: CatalogMethod, version: VersionDir): Promise<VersionRecords> {
    const id = `${method.id}/${version.hash}`;
    let loaded = this.loaded.get(id);
    if (!loaded) {
      loaded = await this.timed(() => this.catalog.records(method, version));
      this.loaded.set(id, loaded);
    }
    return loaded;
  }

  private async table(method: CatalogMethod, version: VersionDir): Promise<VersionTable> {
    const id = `${method.id}/${version.hash}`;
    const loaded = await this.loadedOf(method, version);
    const held = this.tables.get(id);
    if (held?.from === loaded) return held.table;
    const table = await this.timed(async () => new VersionTable(version, loaded));
    this.tables.set(id, { from: loaded, table });
    return table;
  }
}

function select(t: VersionTable, q: string, sort: number | undefined, descending: boolean): number[] {
  try {
    return t.select(q, sort, descending);
  } catch (error) {
    if (error instanceof QueryError) throw new ApiError(400, error.message);
    throw error;
  }
}

function column(t: VersionTable, name: string): number {
  const c = t.column(name);
  if (c < 0) throw new ApiError(400, `no column ${name}; the columns are ${t.columns.map((col) => col.name).join(', ')}`);
  return c;
}

function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (value === null || value === '') throw new ApiError(400, `missing ${name}`);
  return value;
}

function count(params: URLSearchParams, name: string, fallback: number, max: number): number {
  const text = params.get(name);
  if (text === null) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) throw new ApiError(400, `${name} must be a whole number`);
  return Math.min(n, max);
}
