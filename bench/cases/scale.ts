import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize } from 'node:v8';
import { memorious, Memorious } from '../../src';
import { withTempDir, type Context } from '../fixtures';
import { measure, scaled, type Subject } from '../measure';
import type { Row } from '../report';

/** Hits cycle over this many keys, whose record files are learnt while the cache is small. */
const HOT = 64;

/** One class per cache size, each with its own cacheDir, so that all sizes can be timed side by side. */
function scaleClass(cacheDir: string) {
  class Scale {
    @memorious({ cacheDir })
    rec(i: number): number {
      return i;
    }
  }
  return Scale;
}

interface Filled {
  readonly size: number;
  readonly hit: Subject;
  readonly floor: Subject;
  readonly load: Subject;
  readonly raw: Subject;
}

/** Writes `size` records by calling the method, noting the files of the first HOT of them. */
function fill(dir: string, size: number, log: (m: string) => void): Filled {
  const obj = new (scaleClass(dir))();
  const files: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < HOT; i++) {
    obj.rec(i);
    const vdir = Memorious.locate(obj.rec);
    const name = readdirSync(vdir).find((n) => n.endsWith('.bin') && !seen.has(n))!;
    seen.add(name);
    files.push(join(vdir, name));
  }
  const t0 = Date.now();
  for (let i = HOT; i < size; i++) {
    obj.rec(i);
    if (i % 20_000 === 0) log(`  case 6: ${i.toLocaleString('en-US')} / ${size.toLocaleString('en-US')} records`);
  }
  log(`  case 6: ${size.toLocaleString('en-US')} records written in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const vdir = Memorious.locate(obj.rec);
  let j = 0;
  let k = 0;
  return {
    size,
    hit: { label: `hit @${size}`, op: () => obj.rec(j++ % HOT) },
    floor: { label: `floor @${size}`, op: () => deserialize(readFileSync(files[k++ % HOT]!)) },
    load: { label: 'loadCachedResults', op: () => Memorious.loadCachedResults(obj.rec) },
    raw: {
      label: 'readdirSync + readFileSync + v8.deserialize each',
      op: () => readdirSync(vdir).map((n) => (n.endsWith('.bin') && !n.startsWith('.') ? deserialize(readFileSync(join(vdir, n))) : undefined)),
    },
  };
}

export async function scaleCases(ctx: Context): Promise<Row[]> {
  const sizes = ctx.quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
  const rows: Row[] = [];
  await withTempDir(ctx.base, 'scale', async (base) => {
    const filled = sizes.map((size) => fill(join(base, String(size)), size, ctx.log));
    const subjects = filled.flatMap((f) => [f.hit, f.floor]);
    const stats = await measure(subjects, ctx.plan);
    filled.forEach((f, i) => {
      rows.push({
        id: '6',
        label: `hit, ${f.size.toLocaleString('en-US')} records in the cache`,
        subject: stats[2 * i]!,
        reference: stats[2 * i + 1]!,
        referenceLabel: `readFileSync + v8.deserialize (same ${HOT} files)`,
      });
    });
    const last = filled.length - 1;
    rows.push({
      id: '6',
      label: `hit at ${sizes[last]!.toLocaleString('en-US')} vs hit at 1,000 records`,
      subject: stats[2 * last]!,
      reference: stats[0]!,
      referenceLabel: 'funes hit at 1,000 records',
      target: { max: 1.3 },
    });
    const listed = filled[1] ?? filled[0]!;
    const [load, raw] = await measure([listed.load, listed.raw], ctx.slowPlan);
    rows.push({
      id: '6',
      label: `loadCachedResults per record (${listed.size.toLocaleString('en-US')} records)`,
      subject: scaled(load!, 1 / listed.size),
      reference: scaled(raw!, 1 / listed.size),
      referenceLabel: listed.raw.label,
      target: { max: 1.5 },
    });
  });
  return rows;
}
