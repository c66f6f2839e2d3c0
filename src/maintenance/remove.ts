import { readdirSync, rmdirSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { removeDeadLock } from '../store/file-lock';
import { LOCK_EXT } from '../store/layout';
import { META_FILE, OLD_CURRENT_FILE, USED_FILE, type FileInfo } from '../store/scan';

/** Removes files; one already gone counts as removed by someone else, not by us. Returns what we removed. */
export function removeFiles(files: readonly FileInfo[], onEach?: () => void): { files: number; bytes: number } {
  let count = 0;
  let bytes = 0;
  for (const f of files) {
    // A lock judged dead by a scan may have been broken and taken since: judged again, under the guard.
    if (f.path.endsWith(LOCK_EXT)) {
      if (removeDeadLock(f.path)) {
        count++;
        bytes += f.size;
      }
      onEach?.();
      continue;
    }
    try {
      unlinkSync(f.path);
      count++;
      bytes += f.size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    onEach?.();
  }
  return { files: count, bytes };
}

/**
 * Removes a version folder that holds no record any more, with its meta. A young
 * temporary file (a write in progress) keeps it: that writer would recreate the folder
 * anyway, and removing its file under it would cost it the write.
 * Returns whether the folder went.
 */
export function removeIfEmpty(versionPath: string): boolean {
  return removeIfOnly(versionPath, META_FILE, USED_FILE);
}

/** Removes a method folder left with no version (and the `current` marker older funes left there). */
export function removeMethodIfEmpty(methodPath: string): boolean {
  return removeIfOnly(methodPath, OLD_CURRENT_FILE);
}

/** Removes `dir` if nothing but its bookkeeping file `keep` is left in it. */
function removeIfOnly(dir: string, ...keep: string[]): boolean {
  const left = names(dir);
  if (left === undefined || left.some((n) => !keep.includes(n))) return false;
  for (const name of left) rmSync(join(dir, name), { force: true });
  return rmdirQuietly(dir);
}

/** Removes a whole version folder; returns nothing, since its contents were counted beforehand. */
export function removeVersion(versionPath: string): void {
  rmSync(versionPath, { recursive: true, force: true });
}

function names(dir: string): string[] | undefined {
  try {
    return readdirSync(dir);
  } catch {
    return undefined;
  }
}

/** A writer may have put a file in since we looked: then the folder stays, which is right. */
function rmdirQuietly(dir: string): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch {
    return false;
  }
}
