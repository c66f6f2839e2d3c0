import { createHash } from 'node:crypto';
import { keyOf, memorious, Memorious } from '../../src';
import { float64s, withTempCache, type Context } from '../fixtures';
import { measure, type Stats, type Subject } from '../measure';
import type { Row } from '../report';

/**
 * The key's cost when the instance holds a large value: every call hashes the instance's
 * state, hits included, so this is paid on each hit. 10 MB of numbers (1.25M doubles)
 * held as a Float64Array field, as a plain number[] field, and as a Float64Array inside
 * an object whose class has a `[keyOf]()` naming its identity (so the bytes are not
 * read). Each is timed as a hit (the record is stored first, and the case checks that
 * no timed call missed); the floor is SHA-256 over the same 10 MB, which no key made of
 * the bytes can skip. A hit on an instance with no state is timed beside the `[keyOf]()`
 * one: that is what "near a small hit" is judged against.
 */
const BYTES = 10_000_000;

class Holder {
  constructor(readonly data: unknown) {}

  @memorious
  take(): number {
    return 1;
  }
}

class Stateless {
  @memorious
  take(): number {
    return 1;
  }
}

/** A dataset that names its identity, so a key never reads its numbers. */
class Dataset {
  constructor(readonly values: Float64Array) {}

  [keyOf](): unknown {
    return { id: 'data', rev: 1 };
  }
}

/** Milliseconds, to 2 decimals or, below 1 ms, 3 significant figures. */
const msOf = (us: number): string => `${us >= 1000 ? (us / 1000).toFixed(2) : (us / 1000).toPrecision(3)} ms`;
const ms = (s: Stats): string => msOf(s.median);

export async function stateCases(ctx: Context): Promise<Row[]> {
  const vector = float64s(BYTES);
  const numbers = Array.from(vector);
  const holders = { typed: new Holder(vector), list: new Holder(numbers), keyed: new Holder(new Dataset(vector)) };
  const none = new Stateless();
  // Hashing 10 MB can take longer than FUNES_SLOW_KEY's 10 ms threshold (the number[] always does here): that is what is measured.
  Memorious.configure({ slowKey: '10s' });
  try {
    return await withTempCache(ctx.base, 'state', async () => {
      for (const h of Object.values(holders)) h.take();
      none.take();
      const slow: Subject[] = [
        { label: 'Float64Array field', op: () => holders.typed.take() },
        { label: 'number[] field', op: () => holders.list.take() },
        { label: 'sha256(10 MB)', op: () => createHash('sha256').update(vector).digest() },
      ];
      const fast: Subject[] = [
        { label: '[keyOf]() field', op: () => holders.keyed.take() },
        { label: 'hit, no state', op: () => none.take() },
      ];
      const [typed, list, floor] = await measure(slow, ctx.slowPlan);
      const [keyed, bare] = await measure(fast, ctx.plan);
      // A miss among the timed calls would mean a key that changes between calls: nothing measured here would hold.
      for (const [method, misses] of [[Holder.prototype.take, 3], [Stateless.prototype.take, 1]] as const) {
        const s = Memorious.stats(method);
        if (s.misses !== misses) throw new Error(`case 10: ${s.misses} misses for ${s.method}, not ${misses}: a timed call missed`);
      }
      const key = (s: Stats): string => `${ms(s)} per hit; key ≈ hit − no-state hit = ${msOf(s.median - bare!.median)}`;
      const floorLabel = `sha256 of the 10 MB (${ms(floor!)})`;
      return [
        { id: '10a', label: 'hit, 10 MB Float64Array field', subject: typed!, reference: floor!, referenceLabel: floorLabel, note: key(typed!) },
        { id: '10b', label: 'hit, 10 MB as number[] field', subject: list!, reference: floor!, referenceLabel: floorLabel, note: key(list!) },
        {
          id: '10b',
          label: 'number[] field vs Float64Array field',
          subject: list!,
          reference: typed!,
          referenceLabel: 'hit, Float64Array field',
          target: { max: 3 },
        },
        {
          id: '10c',
          label: 'hit, 10 MB Float64Array held by a [keyOf]() class',
          subject: keyed!,
          reference: floor!,
          referenceLabel: floorLabel,
          note: `${ms(keyed!)} per hit, 1/${Math.round(floor!.median / keyed!.median).toLocaleString('en-US')} of the floor`,
        },
        {
          id: '10c',
          label: '[keyOf]() field vs hit with no state',
          subject: keyed!,
          reference: bare!,
          referenceLabel: `hit on an instance with no fields (${ms(bare!)})`,
        },
      ];
    });
  } finally {
    Memorious.configure({ slowKey: undefined });
  }
}
