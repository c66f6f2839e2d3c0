import { existsSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Memorious, memorious } from '../src';
import { markCurrent, tempCache, tempDir, unmarkCurrent } from './helpers/cache';
import { funes, funesJson } from './helpers/cli';
import { expectWarnings } from './helpers/quiet-warnings';
// Warnings this file provokes: its memorized code reads test-local counters, which no version can see.
expectWarnings('FUNES_HIDDEN_DEPENDENCY');
// One method in several versions is made by declaring its class more than once.
expectWarnings('FUNES_NAME_CLASH');

const cache = tempCache();
// Caches of their own, for the tests that need another directory.
const [tuneDir, otherDir, longDir, thirdDir] = [tempDir(), tempDir(), tempDir(), tempDir()];

class Lab {
  @memorious
  double(x: number, label = 'plain'): { y: number; label: string } {
    return { y: 2 * x, label };
  }

  @memorious
  async spread(values: number[]): Promise<number[]> {
    return values.map((v) => v - 1);
  }
}

// Two classes named Shape whose `area` differ: one `Shape.area` folder, two versions.
const OldShape = (() => {
  class Shape {
    @memorious
    area(w: number): number {
      return w * w;
    }
  }
  return Shape;
})();
const NewShape = (() => {
  class Shape {
    @memorious
    area(w: number): number {
      return w * w * 1;
    }
  }
  return Shape;
})();

const lab = new Lab();
const [oldShape, newShape] = [new OldShape(), new NewShape()];
let oldVersion: string;
let newVersion: string;
const shapeDir = (): string => join(cache, 'Shape.area');

/** Meta as the library writes it, so that these tests do not depend on its presence. */
function writeMeta(versionDir: string, method: string, params: string[], created: number): void {
  const meta = { format: 2, method, source: `${method.split('.')[1]}(${params.join(', ')}) { ... }`, params, created };
  writeFileSync(join(versionDir, 'meta.json'), JSON.stringify(meta));
}

beforeAll(async () => {
  lab.double(1, 'a,b');
  lab.double(2, 'say "hi"');
  lab.double(3, 'two\nlines');
  await lab.spread([1, 2]);
  oldShape.area(2);
  oldShape.area(3);
  newShape.area(4);
  oldVersion = basename(Memorious.locate(oldShape.area));
  newVersion = basename(Memorious.locate(newShape.area));
  writeMeta(Memorious.locate(oldShape.area), 'Shape.area', ['w'], Date.now() - 60_000);
  writeMeta(Memorious.locate(newShape.area), 'Shape.area', ['w'], Date.now());
  writeMeta(Memorious.locate(lab.double), 'Lab.double', ['x', 'label'], Date.now());
});

interface LsJson {
  dir: string;
  methods: { method: string; folder: string; current: string | null; versions: { version: string; current: boolean; records: number; bytes: number; time: number }[] }[];
}

describe('funes ls', () => {
  test('lists every method and version, newest first, with records, bytes and compute time', () => {
    markCurrent(shapeDir(), newVersion);
    const ls = funesJson<LsJson>(cache, ['ls']);
    expect(ls.methods.map((m) => m.method)).toEqual(['Lab.double', 'Lab.spread', 'Shape.area']);
    const shape = ls.methods.find((m) => m.method === 'Shape.area')!;
    expect(shape.versions.map((v) => [v.version, v.current, v.records])).toEqual([
      [newVersion, true, 1],
      [oldVersion, false, 2],
    ]);
    const double = ls.methods.find((m) => m.method === 'Lab.double')!;
    expect(double.versions[0]!.records).toBe(3);
    expect(double.versions[0]!.bytes).toBeGreaterThan(0);
    expect(double.versions[0]!.time).toBeGreaterThanOrEqual(0);
  });

  test('prints a table, marking the current version', () => {
    markCurrent(shapeDir(), newVersion);
    const r = funes(cache, ['ls']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Lab.double');
    expect(r.stdout).toContain(`${newVersion} (current)`);
    expect(r.stdout).not.toContain(`${oldVersion} (current)`);
  });

  test('takes the cache directory from FUNES_CACHE_DIR', () => {
    const r = funes(undefined, ['ls', '--json'], { FUNES_CACHE_DIR: cache });
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as LsJson).methods).toHaveLength(3);
  });

  test('a missing cache directory is a failure that says what to do', () => {
    const r = funes(join(cache, 'nowhere'), ['ls']);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--dir|FUNES_CACHE_DIR/);
  });
});

interface ShowJson {
  method: string;
  version: string;
  current: boolean;
  source: string | null;
  params: string[] | null;
  invalid: number;
  records: { key: string; input: Record<string, unknown>; output: unknown; time: number }[];
}

describe('several cache directories', () => {
  test('--dir given more than once: ls lists every directory, show and export find a method in any', () => {
    const other = otherDir;
    const solo = memorious({ cacheDir: other })(function solo(x: number): number {
      return x + 1;
    });
    solo(1);
    const ls = funesJson<{ dirs: string[]; methods: { method: string; dir: string }[] }>(cache, ['ls', '--dir', other]);
    expect(ls.dirs).toEqual([cache, other]);
    expect(ls.methods.map((m) => [m.method, m.dir])).toEqual(expect.arrayContaining([['Lab.double', cache], ['solo', other]]));
    const table = funes(cache, ['ls', '--dir', other]).stdout;
    expect(table).toContain('solo');
    expect(table).toContain('Lab.double');
    expect(funes(cache, ['show', 'solo', '--dir', other]).stdout).toContain('method   solo');
    expect(parseCsv(funes(cache, ['export', 'solo', '--format', 'csv', '--dir', other]).stdout)[1]!.slice(0, 2)).toEqual(['1', '2']);
    expect(funes(cache, ['show', 'Lab.double', '--dir', other]).status).toBe(0);
    const prune = funes(cache, ['prune', '--max-entries', '5', '--dir', other]);
    expect(prune.status).toBe(2);
    expect(prune.stderr).toContain('one cache directory');

    // One method in two directories, in other versions: --version finds the directory that has it.
    const third = thirdDir;
    const twin = memorious({ cacheDir: third, version: 2 })(function solo(x: number): number {
      return x + 2;
    });
    twin(1);
    const inOther = funesJson<{ methods: { method: string; versions: { version: string }[] }[] }>(other, ['ls']).methods.find((m) => m.method === 'solo')!.versions[0]!.version;
    expect(funes(third, ['show', 'solo', '--version', inOther]).status).toBe(1);
    const shown = funes(third, ['show', 'solo', '--version', inOther, '--dir', other]);
    expect(shown.stderr).toBe('');
    expect(shown.status).toBe(0);
    // A method in none of them: the error names every directory looked in.
    const nowhere = funes(cache, ['show', 'nope', '--dir', other]);
    expect(nowhere.status).toBe(1);
    expect(nowhere.stderr).toContain(`no method nope in any of ${cache}, ${other}`);
    // A missing directory among good ones: the good ones are listed, the missing one named, exit 1.
    const missing = join(otherDir, 'not-there');
    const partial = funes(cache, ['ls', '--dir', missing]);
    expect(partial.status).toBe(1);
    expect(partial.stdout).toContain('Lab.double');
    expect(partial.stderr).toContain(`no cache directory at ${missing}; listing the others`);
  });
});

describe('funes show', () => {
  test('--wide prints outputs whole, where the table cuts them to fit a cell', () => {
    const dir = longDir;
    const long = memorious({ cacheDir: dir })(function long(n: number): string[] {
      return Array.from({ length: n }, (_, i) => `item number ${i}`);
    });
    long(12);
    const narrow = funes(dir, ['show', 'long']).stdout;
    const wide = funes(dir, ['show', 'long', '--wide']).stdout;
    expect(narrow).not.toContain('item number 11');
    expect(narrow).toContain('…');
    expect(wide).toContain("'item number 11'");
  });

  test('--json gives the source, the parameter names and every record', () => {
    const s = funesJson<ShowJson>(cache, ['show', 'Lab.double']);
    expect(s.method).toBe('Lab.double');
    expect(s.params).toEqual(['x', 'label']);
    expect(s.source).toContain('double(x, label)');
    expect(s.records.map((r) => r.input).sort((a, b) => Number(a.x) - Number(b.x))).toEqual([
      { x: 1, label: 'a,b' },
      { x: 2, label: 'say "hi"' },
      { x: 3, label: 'two\nlines' },
    ]);
    expect(s.records.find((r) => r.input.x === 3)!.output).toEqual({ y: 6, label: 'two\nlines' });
  });

  test('shows the current version by default, even when it is not the newest', () => {
    markCurrent(shapeDir(), oldVersion);
    const s = funesJson<ShowJson>(cache, ['show', 'Shape.area']);
    expect([s.version, s.current, s.records.length]).toEqual([oldVersion, true, 2]);
  });

  test('without a current marker, shows the newest version', () => {
    unmarkCurrent(shapeDir());
    const s = funesJson<ShowJson>(cache, ['show', 'Shape.area']);
    expect([s.version, s.current]).toEqual([newVersion, false]);
  });

  test('without meta, picks the newest folder and still shows the records', () => {
    const oldDir = join(shapeDir(), oldVersion);
    const newDir = join(shapeDir(), newVersion);
    const saved = [readFileSync(join(oldDir, 'meta.json')), readFileSync(join(newDir, 'meta.json'))] as const;
    try {
      unmarkCurrent(shapeDir());
      rmSync(join(oldDir, 'meta.json'));
      rmSync(join(newDir, 'meta.json'));
      utimesSync(newDir, new Date(Date.now() - 5 * 60_000), new Date(Date.now() - 5 * 60_000));
      utimesSync(oldDir, new Date(), new Date());
      const s = funesJson<ShowJson>(cache, ['show', 'Shape.area']);
      expect([s.version, s.source, s.params, s.records.length]).toEqual([oldVersion, null, null, 2]);
      const table = funes(cache, ['show', 'Shape.area']);
      expect(table.status).toBe(0);
      expect(table.stdout).toContain('no meta.json');
    } finally {
      writeFileSync(join(oldDir, 'meta.json'), saved[0]);
      writeFileSync(join(newDir, 'meta.json'), saved[1]);
    }
  });

  test('--version takes a hash or a unique prefix', () => {
    expect(funesJson<ShowJson>(cache, ['show', 'Shape.area', '--version', newVersion]).version).toBe(newVersion);
    expect(funesJson<ShowJson>(cache, ['show', 'Shape.area', '--version', oldVersion.slice(0, 6)]).version).toBe(oldVersion);
    const r = funes(cache, ['show', 'Shape.area', '--version', 'ffff']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(oldVersion);
  });

  test('prints the records as a table, inputs as columns', () => {
    const r = funes(cache, ['show', 'Lab.double']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/│ x +│ label +│ output +│ time +│/);
    expect(r.stdout).toContain('double(x, label)');
  });

  test('an unknown method fails with one line naming funes ls', () => {
    const r = funes(cache, ['show', 'Lab.nothing']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('funes ls');
  });
});

/** A small RFC 4180 reader: enough to prove the writer right. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe('funes export', () => {
  test('csv: one column per input, a flat output spread into columns, time; quoting per RFC 4180', () => {
    const r = funes(cache, ['export', 'Lab.double', '--format', 'csv']);
    expect(r.status).toBe(0);
    expect(r.stdout.endsWith('\r\n')).toBe(true);
    const [head, ...rows] = parseCsv(r.stdout);
    expect(head).toEqual(['x', 'label', 'output.y', 'output.label', 'time']);
    const byX = rows.sort((a, b) => Number(a[0]) - Number(b[0]));
    expect(byX.map((row) => row.slice(0, 4))).toEqual([
      ['1', 'a,b', '2', 'a,b'],
      ['2', 'say "hi"', '4', 'say "hi"'],
      ['3', 'two\nlines', '6', 'two\nlines'],
    ]);
    for (const row of byX) expect(Number(row[4])).toBeGreaterThanOrEqual(0);
    expect(r.stdout).toContain('"say ""hi"""');
  });

  test('json and ndjson give the same rows', () => {
    const json = funes(cache, ['export', 'Lab.double', '--format', 'json']);
    const ndjson = funes(cache, ['export', 'Lab.double', '--format', 'ndjson']);
    expect([json.status, ndjson.status]).toEqual([0, 0]);
    const rows = JSON.parse(json.stdout) as Record<string, unknown>[];
    const lines = ndjson.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual(rows);
    expect(rows.find((row) => row.x === 2)).toEqual({ x: 2, label: 'say "hi"', 'output.y': 4, 'output.label': 'say "hi"', time: expect.any(Number) });
  });

  test('an output that is not a flat object stays one column', () => {
    const csv = parseCsv(funes(cache, ['export', 'Lab.spread', '--format', 'csv']).stdout);
    expect(csv[0]).toEqual(['values', 'output', 'time']);
    expect(csv[1]!.slice(0, 2)).toEqual(['[1,2]', '[0,1]']);
    const rows = JSON.parse(funes(cache, ['export', 'Lab.spread', '--format', 'json']).stdout) as unknown[];
    expect(rows).toEqual([{ values: [1, 2], output: [0, 1], time: expect.any(Number) }]);
  });

  test('plain-object inputs spread into columns as outputs do; times to the microsecond', () => {
    const dir = tuneDir;
    const tune = memorious({ cacheDir: dir })(function tune(params: { lr: number; epochs: number }, output = 'x'): { loss: number } {
      return { loss: params.lr * params.epochs + output.length - 1 };
    });
    tune({ lr: 0.1, epochs: 10 });
    tune({ lr: 0.2, epochs: 5 });
    const [head, ...rows] = parseCsv(funes(dir, ['export', 'tune', '--format', 'csv']).stdout);
    // An input named output is told apart from the output's columns.
    expect(head).toEqual(['params.lr', 'params.epochs', 'input.output', 'output.loss', 'time']);
    expect(rows.map((r) => r.slice(0, 4)).sort()).toEqual([
      ['0.1', '10', 'x', '1'],
      ['0.2', '5', 'x', '1'],
    ]);
    for (const row of rows) expect(row[4]).toMatch(/^\d+(\.\d{1,6})?(e-\d+)?$/);
  });

  test('--version picks the version exported', () => {
    const rows = JSON.parse(funes(cache, ['export', 'Shape.area', '--format', 'json', '--version', oldVersion]).stdout) as { w: number }[];
    expect(rows.map((r) => r.w).sort()).toEqual([2, 3]);
  });
});

describe('usage', () => {
  const usage = (args: string[]): void => {
    const r = funes(cache, args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--help');
  };

  test('bad usage exits 2 with one line pointing to --help', () => {
    usage(['frobnicate']);
    usage(['ls', '--bogus']);
    usage(['show']);
    usage(['export', 'Lab.double']);
    usage(['export', 'Lab.double', '--format', 'xml']);
    usage(['prune', '--max-age', '30']);
    usage(['prune', '--max-bytes', 'lots']);
    usage(['prune', '--max-entries', '-1']);
    usage(['prune']);
    usage(['clear']);
  });

  test('--help lists every command and exits 0; each command has its own help', () => {
    const r = funes(undefined, ['--help']);
    expect(r.status).toBe(0);
    for (const c of ['ls', 'show', 'export', 'prune', 'clear', 'verify', '--dir']) expect(r.stdout).toContain(c);
    // A repeatable option's internal empty list is no default a user can act on.
    expect(r.stdout).not.toContain('(default: [])');
    for (const [c, option] of [['show', '--version'], ['export', '--format'], ['prune', '--max-bytes'], ['clear', '--stale'], ['verify', '--fix']] as const) {
      const h = funes(undefined, [c, '--help']);
      expect(h.status).toBe(0);
      expect(h.stdout).toContain(option);
      expect(h.stdout).not.toContain('(default: [])');
    }
    expect(existsSync(dirname(cache))).toBe(true);
  });
});
