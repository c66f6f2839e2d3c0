import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { memorious, Memorious } from '../src';
import { filesUnder, tempCache, warningsDuring } from './helpers/cache';
import { recordFigures } from './helpers/figures';
import { expectWarnings } from './helpers/quiet-warnings';
// Warnings this file provokes: it plants records of other formats on purpose.
expectWarnings('FUNES_INVALID_RECORD');

// Format evolution: a record carries its format number. One written by a newer funes
// (placed at a record path: a shared cache, a downgrade) is a clean miss that is
// recomputed and replaced; an older one is read or missed, never mis-read.
tempCache();
const figures: Record<string, unknown> = {};

type Rec = Record<string, unknown>;

/** A fresh method (warnings are once per method), called once so that its record exists. */
function setup(name: string, async = false) {
  const runs: number[] = [];
  class Fmt {
    @memorious
    power(x: number): { x: number; cube: number } | Promise<{ x: number; cube: number }> {
      runs.push(x);
      const out = { x, cube: x ** 3 };
      return async ? Promise.resolve(out) : out;
    }
  }
  Object.defineProperty(Fmt, 'name', { value: name });
  const lab = new Fmt();
  const file = (): string => {
    const dir = Memorious.locate(lab.power);
    return join(dir, filesUnder(dir)[0]!);
  };
  return { lab, runs, file };
}

async function callOnce(lab: { power(x: number): unknown }) {
  let output: unknown;
  const warnings = await warningsDuring(async () => {
    output = lab.power(3);
    output = await output;
  });
  return { output, warnings };
}

const rewrite = (file: string, change: (r: Rec) => Rec): void =>
  writeFileSync(file, serialize(change(deserialize(readFileSync(file)) as Rec)));

describe('a record written by a newer format', () => {
  const newer: [string, (r: Rec) => Rec][] = [
    ['the same shape, format + 1', (r) => ({ ...r, format: (r.format as number) + 1 })],
    ['format + 100, with a wrong output', (r) => ({ ...r, format: (r.format as number) + 100, output: 'not for this funes' })],
    ['a new shape: output renamed, fields added', (r) => ({ format: (r.format as number) + 1, input: r.input, result: r.output, extra: 1 })],
  ];

  test.each(newer)('%s: a miss, recomputed, the file replaced, one FUNES_INVALID_RECORD naming the file', async (what, change) => {
    const { lab, runs, file } = setup(`Newer_${what.replace(/\W+/g, '_')}`);
    await callOnce(lab);
    const path = file();
    const current = (deserialize(readFileSync(path)) as Rec).format as number;
    rewrite(path, change);

    const { output, warnings } = await callOnce(lab);
    expect(output).toEqual({ x: 3, cube: 27 });
    expect(runs).toEqual([3, 3]);
    expect(warnings.map((w) => w.code)).toEqual(['FUNES_INVALID_RECORD']);
    expect(warnings[0]!.message).toContain(path);
    expect(warnings[0]!.message).toMatch(/newer|format/);
    const replaced = deserialize(readFileSync(path)) as Rec;
    expect(replaced).toMatchObject({ format: current, output: { x: 3, cube: 27 } });
    // And it serves the next call.
    const again = await callOnce(lab);
    expect(again.output).toEqual({ x: 3, cube: 27 });
    expect(again.warnings).toEqual([]);
    expect(runs).toEqual([3, 3]);
    figures.newerFormatsMissedAndReplaced = ((figures.newerFormatsMissedAndReplaced as number | undefined) ?? 0) + 1;
  });
});

describe('a record written by an older format, or by none', () => {
  const older: [string, boolean, (r: Rec) => Rec][] = [
    ['the same shape, format - 1', false, (r) => ({ ...r, format: (r.format as number) - 1 })],
    ['format - 1, async method, no async flag', true, (r) => ({ ...r, format: (r.format as number) - 1, async: undefined })],
    ['format 0, only { input, output, time }', false, (r) => ({ format: 0, input: r.input, output: r.output, time: r.time })],
    ['no format at all (a bare { input, output, time })', false, (r) => ({ input: r.input, output: r.output, time: r.time })],
    ['a format that is a string', false, (r) => ({ ...r, format: String(r.format) })],
    ['a format that is NaN', false, (r) => ({ ...r, format: NaN })],
    ['a negative format, the output under another name', false, (r) => ({ ...r, format: -1, output: undefined, value: r.output })],
  ];

  test.each(older)('%s: the right output, in the right form, read or recomputed', async (what, async, change) => {
    const { lab, runs, file } = setup(`Older_${what.replace(/\W+/g, '_')}`, async);
    await callOnce(lab);
    const path = file();
    rewrite(path, change);

    const result = lab.power(3);
    // An async method's hit is a Promise too, whatever the stored record says.
    expect(result instanceof Promise).toBe(async);
    expect(await result).toEqual({ x: 3, cube: 27 });
    const read = runs.length === 1;
    figures.olderFormats = { ...(figures.olderFormats as Rec | undefined), [what]: read ? 'read' : 'missed' };
    if (!read) {
      // Missed: replaced by a current record, which then serves.
      expect(deserialize(readFileSync(path))).toMatchObject({ output: { x: 3, cube: 27 }, async });
      expect(await lab.power(3)).toEqual({ x: 3, cube: 27 });
      expect(runs).toEqual([3, 3]);
    }
  });
});

afterAll(() => recordFigures('format', 'format', figures));
