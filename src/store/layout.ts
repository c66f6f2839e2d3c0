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
/**
 * In a version's folder: when a program last used this version, in milliseconds since the
 * epoch. The version most recently used is the method's current one; a method's folder
 * holds version folders and nothing else.
 */
export const USED_FILE = 'used';
/** Where funes before format 4 named the current version: in the method's folder. Only cleaned up now. */
export const OLD_CURRENT_FILE = 'current';
/** What funes puts in a cache directory it creates, so that git never commits a cache by accident. */
export const GITIGNORE_FILE = '.gitignore';
/** Beside a record being computed under the `lock` option: `<argument hash>.lock`. */
export const LOCK_EXT = '.lock';
/** Held while a dead holder's lock is removed, so breakers take turns; left behind only by a crash. */
export const GUARD_EXT = '.breaking';
/** A lock being written, before it was linked into place, by funes before locks were made in place; still cleaned up. */
export const DRAFT_EXT = '.draft';
