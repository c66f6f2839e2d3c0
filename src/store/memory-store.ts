import type { StoredRecord } from '../record';
import { decodeRecord, encodeRecord } from './codec';
import type { Lock, RecordLocation, Store, StoredEntry, Usage, VersionMeta, WriteOptions } from './types';

/**
 * Records in this process's memory, as the same v8 bytes a file would hold (so an output
 * comes back a copy, exactly as from disk). For tests, and for caching within one run.
 * Synchronous, so it serves sync methods too. Honours `maxAge` as an expiry.
 *
 * @example
 * ```ts
 * const store = new MemoryStore();
 * class Lab { @memorious({ store }) double(x: number) { return 2 * x; } }
 * ```
 */
let stores = 0;

export class MemoryStore implements Store {
  readonly synchronous = true;
  /** Which store of this process it is: two of them hold different records under one name. */
  private readonly id = ++stores;
  private readonly versionsOf = new Map<string, Map<string, Map<string, { bytes: Uint8Array; expires: number }>>>();
  private readonly locks = new Set<string>();
  private readonly current = new Map<string, string>();
  private readonly metas = new Map<string, VersionMeta>();

  read(loc: RecordLocation): unknown {
    const entry = this.entry(loc);
    return entry ? decodeRecord(entry.bytes) : undefined;
  }

  write(loc: RecordLocation, record: StoredRecord, options: WriteOptions = {}): void {
    const bytes = encodeRecord(record);
    const expires = options.maxAge === undefined ? Infinity : Date.now() + options.maxAge;
    this.records(loc.method, loc.version, true)!.set(loc.key, { bytes, expires });
  }

  has(loc: RecordLocation): boolean {
    return this.entry(loc) !== undefined;
  }

  delete(loc: RecordLocation): void {
    this.records(loc.method, loc.version)?.delete(loc.key);
  }

  list(method: string, version: string, onError: (where: string, error: unknown) => void): StoredEntry[] {
    return [...this.iterate(method, version, onError)];
  }

  *iterate(method: string, version: string, onError: (where: string, error: unknown) => void): Generator<StoredEntry> {
    for (const [key, entry] of this.live(method, version)) {
      let value: unknown;
      try {
        value = decodeRecord(entry.bytes);
      } catch (error) {
        onError(this.describe(method, version, key), error);
        continue;
      }
      yield { key, value };
    }
  }

  usage(method: string, version: string): Usage {
    let records = 0;
    let bytes = 0;
    for (const [, entry] of this.live(method, version)) {
      records++;
      bytes += entry.bytes.byteLength;
    }
    return { records, bytes };
  }

  versions(method: string): string[] {
    return [...(this.versionsOf.get(method)?.keys() ?? [])].filter((v) => this.live(method, v).length > 0);
  }

  clear(method: string, version?: string): number {
    const byVersion = this.versionsOf.get(method);
    if (!byVersion) return 0;
    const gone = version === undefined ? [...byVersion.keys()] : [version];
    let removed = 0;
    for (const v of gone) {
      removed += this.live(method, v).length;
      byVersion.delete(v);
    }
    if (byVersion.size === 0) this.versionsOf.delete(method);
    return removed;
  }

  tryLock(loc: RecordLocation): Lock | undefined {
    const id = this.describe(loc.method, loc.version, loc.key);
    if (this.locks.has(id)) return undefined;
    this.locks.add(id);
    return { release: () => void this.locks.delete(id) };
  }

  noteVersion(meta: VersionMeta & { readonly version: string }): string | undefined {
    const { version, ...rest } = meta;
    const id = `${meta.method}\u0000${version}`;
    if (!this.metas.has(id)) this.metas.set(id, rest);
    const before = this.current.get(meta.method);
    this.current.set(meta.method, version);
    return before === version ? undefined : before;
  }

  readMeta(method: string, version: string): VersionMeta | undefined {
    return this.metas.get(`${method}\u0000${version}`);
  }

  describe(method: string, version?: string, key?: string): string {
    return [`memory#${this.id}:`, method, version, key].filter((p) => p !== undefined).join('/');
  }

  private records(method: string, version: string, make = false): Map<string, { bytes: Uint8Array; expires: number }> | undefined {
    let byVersion = this.versionsOf.get(method);
    if (!byVersion && make) this.versionsOf.set(method, (byVersion = new Map()));
    let records = byVersion?.get(version);
    if (!records && make) byVersion!.set(version, (records = new Map()));
    return records;
  }

  private entry(loc: RecordLocation): { bytes: Uint8Array; expires: number } | undefined {
    const entry = this.records(loc.method, loc.version)?.get(loc.key);
    if (entry && entry.expires <= Date.now()) {
      this.delete(loc);
      return undefined;
    }
    return entry;
  }

  private live(method: string, version: string): [string, { bytes: Uint8Array; expires: number }][] {
    const now = Date.now();
    return [...(this.records(method, version)?.entries() ?? [])].filter(([, e]) => e.expires > now);
  }
}
