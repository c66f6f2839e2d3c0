/** Where one record lives: the method, its version and the argument hash. */
export interface RecordLocation {
  /** `Class.method`, as given; a store makes it safe for its own namespace. */
  readonly method: string;
  /** The version hash (hex). */
  readonly version: string;
  /** The argument hash (hex). */
  readonly key: string;
}

/** A held lock on one record's computation. */
export interface Lock {
  /** Gives the lock up; safe to call once the record is written or the computation failed. */
  release(): void;
}

/** What produced a version: kept once beside its records, for people and the CLI. */
export interface VersionMeta {
  readonly format: number;
  /** `Class.method`. */
  readonly method: string;
  /** The method's source as compiled (`toString()`). */
  readonly source: string;
  readonly params: readonly string[];
  /** When the version was first written, milliseconds since the epoch. */
  readonly created: number;
}

/**
 * Where records are kept, as bytes (`v8.serialize` of the record). A store is given
 * locations and bytes, never functions; it neither hashes, encodes nor validates, and
 * it reports every fault by throwing, so that the caller decides what a fault means.
 */
export interface Store {
  /** The bytes stored at `location`, or `undefined` when there are none. Throws when they cannot be read. */
  read(location: RecordLocation): Uint8Array | undefined;
  /** Stores `bytes` at `location` so that a reader sees all of them or none. Throws on failure. */
  write(location: RecordLocation, bytes: Uint8Array): void;
  /** Removes what is stored at `location`, if anything. */
  delete(location: RecordLocation): void;
  /** Every record stored under one version; one that cannot be read is passed to `onError`. */
  list(method: string, version: string, onError: (where: string, error: unknown) => void): { key: string; bytes: Uint8Array }[];
  /** How many records one version holds, and their bytes. */
  usage(method: string, version: string): { records: number; bytes: number };
  /** The versions stored for a method. */
  versions(method: string): string[];
  /** Removes one version of a method, or all of them when `version` is omitted; returns the records removed. */
  clear(method: string, version?: string): number;
  /**
   * Takes the lock on computing `location`'s record, or returns undefined while another
   * live holder has it. A holder that `beats` keeps the lock fresh while it works; a
   * holder found dead is replaced. Throws when this store cannot lock at all.
   */
  tryLock(location: RecordLocation, beats: boolean): Lock | undefined;
  /**
   * Records, once per version, what produced it, and marks the version as the one a
   * program last used; returns the version marked before, if another. Best effort: a
   * failure here never matters to a call.
   */
  noteVersion(meta: VersionMeta & { readonly version: string }): string | undefined;
  /** Where a method, version or record lives, for messages and for `Memorious.locate`. */
  describe(method: string, version?: string, key?: string): string;
}
