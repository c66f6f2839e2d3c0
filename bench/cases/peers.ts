import { float64s, MiB, withTempCache, withTempDir, type Context } from '../fixtures';
import { measure, type Plan, type Subject } from '../measure';
import { PEERS } from '../peers';
import type { Row } from '../report';
import { bigHit, smallHit } from './hit';
import { smallMiss } from './miss';

/** Funes against every peer on one workload, in the same rounds. */
async function versus(
  ctx: Context,
  id: string,
  label: string,
  plan: Plan,
  funes: () => Subject,
  peerSubject: (call: (...args: never[]) => Promise<unknown>) => Promise<Subject>,
  fn: (...args: never[]) => unknown,
): Promise<Row[]> {
  return withTempCache(ctx.base, `peers-${id}`, async () =>
    withTempDir(ctx.base, `peers-${id}-own`, async (dir) => {
      const subjects = [funes()];
      for (const peer of PEERS) subjects.push(await peerSubject(await peer.memoize(`${dir}/${peer.name}`, id, fn)));
      const [f, ...peers] = await measure(subjects, plan);
      return PEERS.map((peer, i) => ({
        id,
        label,
        peer: `${peer.name}, ${label}`,
        subject: peers[i]!,
        reference: f!,
        referenceLabel: 'funes, same rounds',
        target: { min: 1 },
      }));
    }),
  );
}

export async function peerCases(ctx: Context): Promise<Row[]> {
  const rows: Row[] = [];
  const triple = (a: number, b: string, c: boolean): { a: number; b: string; c: boolean } => ({ a, b, c });
  rows.push(
    ...(await versus(ctx, '7 (1)', 'small hit', ctx.plan, () => smallHit().funes, async (call) => {
      const f = call as (a: number, b: string, c: boolean) => Promise<unknown>;
      await f(1, 'a', true);
      return { label: 'peer', op: () => f(1, 'a', true), async: true };
    }, triple)),
  );
  const vector = (bytes: number): Float64Array => float64s(bytes);
  rows.push(
    ...(await versus(ctx, '7 (3)', '1 MiB hit', ctx.plan, () => bigHit(MiB).funes, async (call) => {
      const f = call as (bytes: number) => Promise<unknown>;
      await f(MiB);
      return { label: 'peer', op: () => f(MiB), async: true };
    }, vector)),
  );
  const touch = (n: number): number => n;
  rows.push(
    ...(await versus(ctx, '7 (5)', 'small miss', ctx.plan, smallMiss, async (call) => {
      const f = call as (n: number) => Promise<unknown>;
      let n = 1e9;
      return { label: 'peer', op: () => f(n++), async: true };
    }, touch)),
  );
  return rows;
}
