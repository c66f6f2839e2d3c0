import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize } from 'node:v8';
import { memorious, Memorious, MemoryStore, type RecordLocation } from '../../src';
import { coldPoint } from '../children/cold';
import { withTempCache, type Context } from '../fixtures';
import { measure, summarise, type Stats } from '../measure';
import type { Row } from '../report';

const CHILD = join(__dirname, '..', 'children', 'cold.js');

/** A store that answers a repeated read with the record it decoded before: what is left of a hit is funes's own work. */
class InstantStore extends MemoryStore {
  private readonly decoded = new Map<string, unknown>();

  override read(loc: RecordLocation): unknown {
    let record = this.decoded.get(loc.key);
    if (record === undefined) {
      record = super.read(loc);
      if (record !== undefined) this.decoded.set(loc.key, record);
    }
    return record;
  }
}

const instant = new InstantStore();

/** Case 11b's method: a small object in, a number out, through a store that costs nothing. */
class Keyed {
  @memorious({ store: instant })
  fit(params: { lr: number; epochs: number; optimizer: string; layers: number[] }): number {
    return params.lr * params.epochs;
  }
}

/**
 * Case 11a: the first hit of each of `count` distinct small records, in a fresh process
 * that has never read them (the page cache warm), against a fresh process reading and
 * deserializing the same files once each. Each side warms its code on other records
 * first (3,000 other records: fewer leave funes's code still being compiled when the
 * timing starts), so that what is timed is reading, not compiling. Case 11b: the cost of a hit
 * that reads nothing (its store answers at once), which is the key and funes's
 * bookkeeping, against JSON.stringify + SHA-256 of the same small object.
 */
export async function coldCases(ctx: Context): Promise<Row[]> {
  const count = ctx.quick ? 500 : 2000;
  const warm = ctx.quick ? 1000 : 3000;
  const rounds = ctx.quick ? 3 : 9;
  const rows: Row[] = [];
  await withTempCache(ctx.base, 'cold', async (dir) => {
    for (let i = -warm; i < count; i++) coldPoint(i);
    const vdir = Memorious.locate(coldPoint);
    const byInput = new Map<number, string>();
    for (const name of readdirSync(vdir)) {
      if (!name.endsWith('.bin')) continue;
      const file = join(vdir, name);
      byInput.set((deserialize(readFileSync(file)) as { input: { i: number } }).input.i, file);
    }
    const order = [...Array.from({ length: count }, (_, i) => i), ...Array.from({ length: warm }, (_, i) => -1 - i)];
    const list = join(dir, 'files.txt');
    writeFileSync(list, `${order.map((i) => byInput.get(i)!).join('\n')}\n`);
    const run = (role: string, where: string): number =>
      (JSON.parse(execFileSync(process.execPath, [CHILD, role, where, String(warm), String(count)], { encoding: 'utf8' })) as { usPerRecord: number })
        .usPerRecord;
    const funes: number[] = [];
    const floor: number[] = [];
    for (let r = 0; r < rounds; r++) {
      // Alternating which goes first, so that neither always follows the other's page-cache work.
      if (r % 2 === 0) {
        funes.push(run('funes', dir));
        floor.push(run('floor', list));
      } else {
        floor.push(run('floor', list));
        funes.push(run('funes', dir));
      }
    }
    rows.push({
      id: '11a',
      label: `first hit of each of ${count.toLocaleString('en-US')} small records, fresh process`,
      subject: summarise(funes, count),
      reference: summarise(floor, count),
      referenceLabel: 'readFileSync + v8.deserialize of each file once, fresh process',
      target: { max: 1.5 },
      note: `${rounds} processes each; µs per record`,
    });
  });

  const keyed = new Keyed();
  const params = { lr: 0.01, epochs: 10, optimizer: 'adam', layers: [64, 32] };
  keyed.fit(params);
  const [f, floor] = await measure(
    [
      { label: 'funes', op: () => keyed.fit(params) },
      { label: 'JSON.stringify + SHA-256', op: () => createHash('sha256').update(JSON.stringify(params)).digest('hex') },
    ],
    ctx.plan,
  );
  rows.push({
    id: '11b',
    label: 'a hit with nothing to read: the key of a small object and the bookkeeping',
    subject: f as Stats,
    reference: floor as Stats,
    referenceLabel: 'JSON.stringify + SHA-256 (createHash)',
    target: { max: 2 },
    note: 'store answers from memory at once',
  });
  return rows;
}
