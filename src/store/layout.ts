/**
 * The names of a file cache's parts, shared by the store that writes them and by the
 * scans, pruning and CLI that read them.
 */

/** A record: `<argument hash>.bin`. */
export const RECORD_EXT = '.bin';
/** Bytes on their way into place; a dot first, so that no listing of records meets them. */
export const TMP_PREFIX = '.tmp-';
/** A temporary file younger than this may belong to a write in progress: leave it alone. */
export const TMP_GRACE_MS = 60_000;
/** Beside the records of a version: what produced it. */
export const META_FILE = 'meta.json';
/** In a method's folder: the version a program last used. */
export const CURRENT_FILE = 'current';
/** Beside a record being computed under the `lock` option: `<argument hash>.lock`. */
export const LOCK_EXT = '.lock';
/** Held while a dead holder's lock is removed, so breakers take turns; left behind only by a crash. */
export const GUARD_EXT = '.breaking';
/** A lock being written, before it is linked into place; left behind only by a crash. */
export const DRAFT_EXT = '.draft';
