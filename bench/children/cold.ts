/**
 * Case 11's child: a fresh process that hits `count` records it has never read (after
 * warming its code on `warm` others), or, as the floor, reads and deserializes the same
 * files once each. Prints µs per record as JSON.
 *
 * Usage: node cold.js funes <cacheDir> <warm> <count>
 *        node cold.js floor <list file> <warm> <count>
 */
import { readFileSync } from 'node:fs';
import { deserialize } from 'node:v8';
import { Memorious, memorious } from '../../src';

/** The function whose records case 11 reads; the parent writes them through it. */
export const coldPoint = memorious({ name: 'coldPoint' })(function coldPoint(i: number): { i: number; half: number; tag: string } {
  return { i, half: i / 2, tag: `point ${i}` };
});

function main(): void {
  const [role, where, warmText, countText] = process.argv.slice(2);
  const warm = Number(warmText);
  const count = Number(countText);
  let took: number;
  if (role === 'funes') {
    Memorious.configure({ cacheDir: where! });
    // Warming reads other records: the ones timed are first read below.
    for (let i = 0; i < warm; i++) coldPoint(-1 - i);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < count; i++) coldPoint(i);
    took = Number(process.hrtime.bigint() - t0) / 1e3;
    const { misses } = Memorious.stats(coldPoint);
    if (misses !== 0) throw new Error(`expected only hits, got ${misses} misses`);
  } else {
    const files = readFileSync(where!, 'utf8').split('\n').filter(Boolean);
    for (let i = 0; i < warm; i++) deserialize(readFileSync(files[count + i]!));
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < count; i++) deserialize(readFileSync(files[i]!));
    took = Number(process.hrtime.bigint() - t0) / 1e3;
  }
  process.stdout.write(`${JSON.stringify({ usPerRecord: took / count })}\n`);
}

if (require.main === module) main();
