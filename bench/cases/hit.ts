import { memorious, Memorious } from '../../src';
import { float64s, MiB, onlyRecord, readFloor, withTempCache, type Context } from '../fixtures';
import { measure, type Subject } from '../measure';
import type { Row } from '../report';

/** Small arguments, small output, sync and async; a large binary output. */
export class Hits {
  @memorious
  triple(a: number, b: string, c: boolean): { a: number; b: string; c: boolean } {
    return { a, b, c };
  }

  @memorious
  async tripleAsync(a: number, b: string, c: boolean): Promise<{ a: number; b: string; c: boolean }> {
    return { a, b, c };
  }

  @memorious
  vector(bytes: number): Float64Array {
    return float64s(bytes);
  }
}

/** Case 1's pair, for the peers too: a warm small sync hit and its floor. Call inside a cache dir. */
export function smallHit(): { funes: Subject; floor: Subject } {
  const hits = new Hits();
  hits.triple(1, 'a', true);
  return { funes: { label: 'funes', op: () => hits.triple(1, 'a', true) }, floor: readFloor(onlyRecord(hits.triple)) };
}

/** Case 3's pair: a hit returning `bytes` of Float64Array, and its floor. Call inside a cache dir. */
export function bigHit(bytes: number): { funes: Subject; floor: Subject } {
  const hits = new Hits();
  hits.vector(bytes);
  return { funes: { label: 'funes', op: () => hits.vector(bytes) }, floor: readFloor(onlyRecord(hits.vector)) };
}

export async function hitCases(ctx: Context): Promise<Row[]> {
  const rows: Row[] = [];
  await withTempCache(ctx.base, 'hit-sync', async () => {
    const { funes, floor } = smallHit();
    const [f, r] = await measure([funes, floor], ctx.plan);
    rows.push({ id: '1', label: 'small hit, sync, repeated (memory tier)', subject: f!, reference: r!, referenceLabel: floor.label, target: { max: 0.8 } });
  });
  await withTempCache(ctx.base, 'hit-disk', async () => {
    // The same hit with the memory tier off: every hit reads its file, as the first one does.
    Memorious.configure({ memoryBytes: 0 });
    try {
      const { funes, floor } = smallHit();
      const [f, r] = await measure([funes, floor], ctx.plan);
      rows.push({ id: '1d', label: 'small hit, sync, from disk (memory tier off)', subject: f!, reference: r!, referenceLabel: floor.label, target: { max: 2 } });
    } finally {
      Memorious.configure({ memoryBytes: undefined });
    }
  });
  await withTempCache(ctx.base, 'hit-async', async () => {
    const hits = new Hits();
    await hits.tripleAsync(1, 'a', true);
    const floor = readFloor(onlyRecord(hits.tripleAsync));
    const funes: Subject = { label: 'funes', op: () => hits.tripleAsync(1, 'a', true), async: true };
    const [f, r] = await measure([funes, floor], ctx.plan);
    rows.push({ id: '2', label: 'small hit, async (vs sync floor)', subject: f!, reference: r!, referenceLabel: floor.label, target: { max: 3 } });
  });
  for (const [id, bytes, plan, target] of [
    ['3a', MiB, ctx.plan, { max: 1.3 }],
    ['3b', 100 * MiB, ctx.slowPlan, undefined],
  ] as const) {
    await withTempCache(ctx.base, `hit-${id}`, async () => {
      const { funes, floor } = bigHit(bytes);
      const [f, r] = await measure([funes, floor], plan);
      const mbps = (s: number): string => `${Math.round(bytes / MiB / (s / 1e6)).toLocaleString('en-US')}`;
      rows.push({
        id,
        label: `hit, ${bytes / MiB} MiB Float64Array output`,
        subject: f!,
        reference: r!,
        referenceLabel: floor.label,
        target,
        note: `${mbps(f!.median)} MiB/s (floor ${mbps(r!.median)})`,
      });
    });
  }
  return rows;
}
