import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { memorious } from '../../src';
import { withTempCache, type Context } from '../fixtures';
import { measure, type Subject } from '../measure';
import type { Row } from '../report';

export class Misses {
  @memorious
  touch(n: number): number {
    return n;
  }
}

let fresh = 0;

/** Case 5's funes side, for the peers too: a miss of a no-op, a new argument each call. Call inside a cache dir. */
export function smallMiss(): Subject {
  const m = new Misses();
  return { label: 'funes', op: () => m.touch(fresh++) };
}

/** The least a miss must do: hash the input, serialize a record of the same shape, write a temp file, rename it. */
export function missFloor(dir: string): Subject {
  mkdirSync(dir, { recursive: true });
  let n = 0;
  return {
    label: 'sha256 + v8.serialize + write temp + rename',
    op: () => {
      const i = n++;
      const key = createHash('sha256').update(`{"n":${i}}`).digest('hex');
      const record = {
        input: { n: i },
        output: i,
        time: 0,
        format: 1,
        method: 'Misses.touch',
        version: '0123456789abcdef',
        key,
        async: false,
        created: Date.now(),
      };
      const tmp = join(dir, `.tmp-${process.pid}-${i}`);
      writeFileSync(tmp, serialize(record));
      renameSync(tmp, join(dir, `${key}.bin`));
    },
  };
}

export async function missCases(ctx: Context): Promise<Row[]> {
  return withTempCache(ctx.base, 'miss', async (dir) => {
    const funes = smallMiss();
    const floor = missFloor(join(dir, 'floor'));
    const [f, r] = await measure([funes, floor], ctx.plan);
    return [{ id: '5', label: 'small miss (no-op, fresh argument)', subject: f!, reference: r!, referenceLabel: floor.label, target: { max: 1.5 } }];
  });
}
