// The example of the original funes, ported: run it twice and the second run is all hits.
import { memorious, Memorious, withSeed } from '../src';

const sleep = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

class Test {
  @memorious
  double(x: number): number {
    sleep(500);
    // Seeded calls make this reproducible; unseeded ones are remembered as they fell.
    return 2 * x + Math.round(Math.random() * 1000) / 1e6;
  }
}

const test = new Test();
let hits = 0;
let misses = 0;

function timed(label: string, call: () => number): void {
  const start = performance.now();
  const value = call();
  const ms = performance.now() - start;
  const hit = ms < 250;
  if (hit) hits++;
  else misses++;
  console.log(`${label.padEnd(34)} = ${value.toFixed(6).padStart(10)}  ${hit ? 'hit ' : 'miss'} ${ms.toFixed(1).padStart(7)} ms`);
}

console.log('five calls, computed the first time (half a second each):');
for (let i = 0; i < 5; i++) timed(`test.double(${i})`, () => test.double(i));
console.log('\nthe same five, served from disk:');
for (let i = 0; i < 5; i++) timed(`test.double(${i})`, () => test.double(i));
console.log('\nfive with distinct seeds (Math.random seeded for that call only):');
for (let i = 0; i < 5; i++) timed(`test.double(${i}, { global_seed: ${i} })`, () => withSeed(test, i).double(i));
console.log('\nthe same five seeded calls, served from disk:');
for (let i = 0; i < 5; i++) timed(`test.double(${i}, { global_seed: ${i} })`, () => withSeed(test, i).double(i));

console.log('\nall cached values (Memorious.loadCachedResults(test.double)):');
for (const { input, output, time } of Memorious.loadCachedResults(test.double)) {
  console.log(`  ${JSON.stringify(input).padEnd(28)} -> ${output.toFixed(6)}  (computed in ${time.toFixed(2)} s)`);
}
console.log(`\n${hits} hits, ${misses} misses; records in ${Memorious.locate(test.double)}`);
