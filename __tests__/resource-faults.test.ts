import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { deserialize } from 'node:v8';
import { memorious, Memorious } from '../src';
import { allFilesUnder, warningsDuring } from './helpers/cache';
import { recordFigures } from './helpers/figures';

// Invariant 1: the cache never fails a call. Root ignores file modes, so the faults are
// real ones: a 256 KiB tmpfs that fills up, a tmpfs mounted read-only, and a regular file
// where the cache directory should be. Each scenario has its own class, since warnings are
// once per method and code per process.
const base = mkdtempSync(join(tmpdir(), 'funes-faults-'));
const mounts: string[] = [];

/**
 * A tmpfs at `<base>/<name>`. Mounting needs root (CI runs as root); where it cannot be
 * done the file fails, unless FUNES_SKIP_MOUNTS=1 asks to skip: a silent skip would let a
 * green run hide these faults.
 */
function mount(name: string, options: string): string | undefined {
  const dir = join(base, name);
  mkdirSync(dir);
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status === 0) {
    mounts.push(dir);
    return dir;
  }
  if (process.env.FUNES_SKIP_MOUNTS === '1') return undefined;
  throw new Error(`cannot mount a tmpfs for the resource-fault tests (${r.stderr.trim() || r.error}); run as root, or set FUNES_SKIP_MOUNTS=1 to skip them`);
}

afterAll(() => {
  for (const dir of mounts) {
    if (spawnSync('umount', [dir]).status !== 0) spawnSync('umount', ['-l', dir]);
  }
  rmSync(base, { recursive: true, force: true });
});

const full = mount('full', 'size=256k');
const readOnly = mount('ro', 'size=1m');
const figures: Record<string, unknown> = {};
// Only with FUNES_SKIP_MOUNTS=1 can a mount be missing here.
const canMount = full !== undefined && readOnly !== undefined;

(canMount ? describe : describe.skip)('a full disk (a 256 KiB tmpfs)', () => {
  let runs = 0;
  class FullDisk {
    @memorious({ cacheDir: full })
    small(i: number): { i: number; double: number } {
      runs++;
      return { i, double: 2 * i };
    }

    @memorious({ cacheDir: full })
    big(k: number): Float64Array {
      runs++;
      return new Float64Array(131_072).fill(k); // 1 MiB: can never fit
    }
  }
  const lab = new FullDisk();

  test('records that fit are stored; a big output that does not is returned, warned about once, and leaves no temp file', async () => {
    for (let i = 0; i < 5; i++) expect(lab.small(i)).toEqual({ i, double: 2 * i });
    const outputs: Float64Array[] = [];
    const warnings = await warningsDuring(() => {
      for (let n = 0; n < 3; n++) outputs.push(lab.big(7));
    });
    for (const o of outputs) expect(Array.from(o.subarray(0, 3))).toEqual([7, 7, 7]);
    expect(runs).toBe(5 + 3);
    expect(warnings.map((w) => w.code)).toEqual(['FUNES_WRITE_FAILED']);
    expect(warnings[0]!.message).toContain('FullDisk.big');
    expect(warnings[0]!.message).toMatch(/ENOSPC/);
    const files = allFilesUnder(full!);
    expect(files.filter((f) => basename(f).startsWith('.tmp-'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('FullDisk.big/') && f.endsWith('.bin'))).toEqual([]);
    // The small ones were stored and are served: no computation.
    for (let i = 0; i < 5; i++) expect(lab.small(i)).toEqual({ i, double: 2 * i });
    expect(runs).toBe(8);
  });

  test('filling the disk with small records: every call right, one warning, every stored file a whole record', async () => {
    runs = 0;
    let n = 0;
    const warnings = await warningsDuring(() => {
      for (; n < 400; n++) expect(lab.small(1000 + n)).toEqual({ i: 1000 + n, double: 2 * (1000 + n) });
    });
    expect(warnings.map((w) => w.code)).toEqual(['FUNES_WRITE_FAILED']);
    const files = allFilesUnder(full!);
    expect(files.filter((f) => basename(f).startsWith('.tmp-'))).toEqual([]);
    const records = files.filter((f) => f.endsWith('.bin'));
    for (const f of records) {
      const r = deserialize(readFileSync(join(full!, f)));
      expect(r.output).toEqual({ i: r.input.i, double: 2 * r.input.i });
    }
    const stored = records.length;
    expect(stored).toBeGreaterThan(5);
    expect(stored).toBeLessThan(400);
    // Everything stored is served from disk; the rest is computed again, and right.
    runs = 0;
    for (let i = 0; i < 400; i++) expect(lab.small(1000 + i)).toEqual({ i: 1000 + i, double: 2 * (1000 + i) });
    expect(runs).toBe(400 + 5 - stored);
    Object.assign(figures, { fullDiskCalls: 400 + 3 + 400, fullDiskRecordsStored: stored, fullDiskTempFiles: 0 });
  });
});

(canMount ? describe : describe.skip)('a read-only cache directory (a tmpfs remounted read-only)', () => {
  let runs = 0;
  class ReadOnly {
    @memorious({ cacheDir: readOnly })
    square(x: number): number {
      runs++;
      return x * x;
    }

    @memorious({ cacheDir: readOnly })
    async cube(x: number): Promise<number> {
      runs++;
      return x * x * x;
    }

    // Async, which locks by default: waiting yields, so a regression fails by timeout, not by a hung worker.
    @memorious({ cacheDir: readOnly })
    async locked(x: number): Promise<number> {
      runs++;
      return -x;
    }
  }
  const lab = new ReadOnly();

  beforeAll(async () => {
    lab.square(2);
    await lab.cube(2);
    // A lock on locked(4) left by a sync holder on another host, which only age (a day) would break.
    await lab.locked(4);
    const dir = Memorious.locate(lab.locked);
    const record = readdirSync(dir).find((n) => n.endsWith('.bin'))!;
    rmSync(join(dir, record));
    writeFileSync(join(dir, record.replace(/\.bin$/, '.lock')), JSON.stringify({ pid: 4242, host: 'another-host', token: 'abc', beats: false }));
    expect(spawnSync('mount', ['-o', 'remount,ro', readOnly!]).status).toBe(0);
  });

  test('a call that finds another\'s lock where it could not make one computes at once instead of waiting', async () => {
    runs = 0;
    await warningsDuring(async () => {
      expect(await lab.locked(4)).toBe(-4);
    });
    expect(runs).toBe(1);
  });

  test('stored records are still served; new ones are computed, returned, warned about once, and leave nothing', async () => {
    const before = allFilesUnder(readOnly!);
    runs = 0;
    const outputs: number[] = [];
    const warnings = await warningsDuring(async () => {
      for (let n = 0; n < 3; n++) outputs.push(lab.square(2), lab.square(3), await lab.cube(2), await lab.cube(3));
    });
    figures.readOnlyWarnings = warnings.map((w) => w.code);
    expect(outputs).toEqual([4, 9, 8, 27, 4, 9, 8, 27, 4, 9, 8, 27]);
    expect(runs).toBe(6); // square(3) and cube(3), three times each; the stored ones hit
    expect(warnings.length).toBeGreaterThan(0);
    for (const w of warnings) expect(w.code).toMatch(/^FUNES_[A-Z_]+$/);
    // Once per method and code, and each names its method and the read-only file system.
    const ids = warnings.map((w) => `${w.code} ${w.message.split(':')[0]}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect(warnings.filter((w) => w.message.startsWith('ReadOnly.square'))).toHaveLength(1);
    // One fault, one warning: an async method must not warn again for its lock (FUNES_LOCK_FAILED).
    expect(warnings.filter((w) => w.message.startsWith('ReadOnly.cube'))).toHaveLength(1);
    for (const w of warnings) expect(w.message).toMatch(/EROFS|read-only/i);
    expect(allFilesUnder(readOnly!)).toEqual(before);
  });
});

describe('a regular file where the cache directory should be', () => {
  const dir = mkdtempSync(join(tmpdir(), 'funes-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'cache');
  writeFileSync(file, 'not a directory');
  let runs = 0;
  class FileInTheWay {
    @memorious({ cacheDir: file })
    half(x: number): number {
      runs++;
      return x / 2;
    }

    @memorious({ cacheDir: file })
    async third(x: number): Promise<number> {
      runs++;
      return x / 3;
    }
  }

  test('sync and async calls return their outputs, warn once each, and leave the file alone', async () => {
    const lab = new FileInTheWay();
    const outputs: number[] = [];
    const warnings = await warningsDuring(async () => {
      for (let n = 0; n < 3; n++) outputs.push(lab.half(6), await lab.third(6));
    });
    figures.fileInTheWayWarnings = warnings.map((w) => w.code);
    expect(outputs).toEqual([3, 2, 3, 2, 3, 2]);
    expect(runs).toBe(6);
    expect(warnings.filter((w) => w.message.startsWith('FileInTheWay.half'))).toHaveLength(1);
    // One fault, one warning: an async method must not warn again for its lock (FUNES_LOCK_FAILED).
    expect(warnings.filter((w) => w.message.startsWith('FileInTheWay.third'))).toHaveLength(1);
    for (const w of warnings) {
      expect(w.code).toMatch(/^FUNES_[A-Z_]+$/);
      expect(w.message).toMatch(/ENOTDIR|EEXIST|not a directory/i);
    }
    expect(readdirSync(dir)).toEqual(['cache']);
    expect(readFileSync(file, 'utf8')).toBe('not a directory');
  });
});

afterAll(() => recordFigures('resource-faults', 'faults', figures));
