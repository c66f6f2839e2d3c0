import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { deserialize } from 'node:v8';
import { memorious } from '../../src';
import { float64s, MiB, onlyRecord, withTempCache, type Context } from '../fixtures';
import { measure, type Subject } from '../measure';
import { us, type Row } from '../report';

/**
 * Argument hashing, isolated through the public API: the value is the instance's own
 * state, which goes into the key through the same canonical hasher as arguments but is
 * not stored in the record. So a hit reads a tiny record and the rest of its cost is
 * hashing: the floor is sha256 over the raw bytes (JSON.stringify for non-binary values)
 * plus reading and deserializing that same tiny record.
 */
class Hashing {
  constructor(readonly data: unknown) {}

  @memorious
  take(): number {
    return 1;
  }
}

interface Argument {
  readonly id: string;
  readonly label: string;
  readonly value: () => unknown;
  readonly binary: boolean;
}

const ARGUMENTS: readonly Argument[] = [
  { id: '4a', label: 'small object', binary: false, value: () => ({ lr: 0.01, epochs: 10, optimizer: 'adam', layers: [64, 32] }) },
  { id: '4b', label: '10,000-number array', binary: false, value: () => Array.from({ length: 10_000 }, (_, i) => i * 1.5) },
  { id: '4c', label: '1 MiB Float64Array', binary: true, value: () => float64s(MiB) },
  {
    id: '4d',
    label: '1 MiB Buffer',
    binary: true,
    value: () => {
      const b = Buffer.alloc(MiB);
      for (let i = 0; i < b.length; i++) b[i] = (i * 31) & 255;
      return b;
    },
  },
  {
    id: '4e',
    label: 'object, 10,000 object-valued keys',
    binary: false,
    value: () => Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`key${i}`, { id: i, name: `n${i}`, on: i % 2 === 0 }])),
  },
];

function sha256Of(value: unknown, binary: boolean): () => string {
  return binary
    ? () => createHash('sha256').update(value as Uint8Array).digest('hex')
    : () => createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

export async function hashingCases(ctx: Context): Promise<Row[]> {
  const rows: Row[] = [];
  for (const arg of ARGUMENTS) {
    await withTempCache(ctx.base, `hash-${arg.id}`, async () => {
      const value = arg.value();
      const h = new Hashing(value);
      h.take();
      const file = onlyRecord(h.take);
      const sha = sha256Of(value, arg.binary);
      const read = (): unknown => deserialize(readFileSync(file));
      const shaLabel = arg.binary ? 'sha256(bytes)' : 'sha256(JSON.stringify)';
      const subjects: Subject[] = [
        { label: 'funes', op: () => h.take() },
        { label: `${shaLabel} + read record`, op: () => [sha(), read()] },
        { label: shaLabel, op: sha },
        { label: 'read record', op: read },
      ];
      const [f, floor, shaOnly, readOnly] = await measure(subjects, ctx.plan);
      const hashing = f!.median - readOnly!.median;
      rows.push({
        id: arg.id,
        label: `hashing: ${arg.label}`,
        subject: f!,
        reference: floor!,
        referenceLabel: subjects[1]!.label,
        target: { max: arg.binary ? 1.5 : 3 },
        note: `funes − read ≈ ${us(hashing)} µs vs ${shaLabel} alone ${us(shaOnly!.median)} µs (${(hashing / shaOnly!.median).toFixed(1)}x)`,
      });
    });
  }
  return rows;
}
