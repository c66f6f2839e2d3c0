import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize } from 'node:v8';
import { memorious, Memorious, MemoryStore, type RecordLocation } from '../../src';
import { callKey, type IgnoredPath } from '../../src/key/call-key';
import { coldPoint } from '../children/cold';
import { withTempCache, type Context } from '../fixtures';
import { measure, summarise, type Stats } from '../measure';
import type { Row } from '../report';

const CHILD = join(__dirname, '..', 'children', 'cold.js');

/** A store that answers a repeated read with the record it decoded before: what is left of a hit is funes's own work. */
class InstantStore extends MemoryStore {
  private readonly decoded = new Map<string, unknown>();
  /** The key of the last read. */
  lastKey: string | undefined;

  override read(loc: RecordLocation): unknown {
    this.lastKey = loc.key;
    let record = this.decoded.get(loc.key);
    if (record === undefined) {
      record = super.read(loc);
      if (record !== undefined) this.decoded.set(loc.key, record);
    }
    return record;
  }
}

const instant = new InstantStore();

/** Cases 11b and 11c's method: a small object in, a number out, through a store that costs nothing; its instance has no fields. */
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
 * timing starts), so that what is timed is reading, not compiling. Case 11b: making the key
 * of a call with a small object, as a hit makes it (`callKey` with the method's default
 * options, its bound input, and an instance with no fields), against JSON.stringify +
 * SHA-256 of the same object. Case 11c, for information: a whole hit whose store answers at
 * once, which is that key and funes's bookkeeping around it, against the same floor.
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
  // What memo.ts passes for `keyed.fit(params)`: no key, ignore or ignoreThis option, the
  // input bound afresh at each call, the instance, and no dispatch key (Keyed's own method).
  const options = {};
  const ignored: readonly IgnoredPath[] = [];
  if (callKey(options, 'Keyed.fit', { params }, ignored, keyed, '').key !== instant.lastKey) throw new Error('case 11b: callKey is not the key the method makes');
  const [key, floor, hit] = await measure(
    [
      { label: 'key', op: () => callKey(options, 'Keyed.fit', { params }, ignored, keyed, '') },
      { label: 'JSON.stringify + SHA-256', op: () => createHash('sha256').update(JSON.stringify(params)).digest('hex') },
      { label: 'hit', op: () => keyed.fit(params) },
    ],
    ctx.plan,
  );
  rows.push({
    id: '11b',
    label: 'making the key of a small object (an instance with no fields)',
    subject: key as Stats,
    reference: floor as Stats,
    referenceLabel: 'JSON.stringify + SHA-256 (createHash)',
    target: { max: 2 },
    note: 'callKey as a call with default options makes it',
  });
  rows.push({
    id: '11c',
    label: 'a hit with nothing to read: that key and the bookkeeping around it',
    subject: hit as Stats,
    reference: floor as Stats,
    referenceLabel: 'JSON.stringify + SHA-256 (createHash)',
    note: 'store answers from memory at once; for information',
  });
  return rows;
}
