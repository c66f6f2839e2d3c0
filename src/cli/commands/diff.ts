import { diffVersions, formatDiff, type VersionCode } from '../../version/diff';
import type { MethodDir, VersionDir } from '../../store/scan';
import { CliError } from '../errors';
import { findMethod, pickVersion } from '../select';

/** `funes diff`: what changed in the code behind two versions of a method. */
export function diff(root: string, name: string, options: { from?: string; to?: string; json?: boolean }): void {
  printDiff(findMethod(root, name), options);
}

/**
 * Prints the diff between `--from` and `--to`; by default `to` is the newest version and
 * `from` the one before it (before `to` in time, when only `to` is given).
 */
export function printDiff(method: MethodDir, options: { from?: string; to?: string; json?: boolean }): void {
  const versions = method.versions;
  if (versions.length < 2 && (options.from === undefined || options.to === undefined)) {
    throw new CliError(`${method.name} has ${versions.length} stored version${versions.length === 1 ? '' : 's'}; a diff needs two`);
  }
  const to = options.to !== undefined ? pickVersion(method, options.to) : versions[0]!;
  const from = options.from !== undefined ? pickVersion(method, options.from) : older(versions, to);
  if (!from) throw new CliError(`${method.name} has no version older than ${to.hash}; give --from`);
  const result = diffVersions(method.name, versionCode(from), versionCode(to));
  if (options.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else process.stdout.write(formatDiff(result));
}

function older(versions: readonly VersionDir[], than: VersionDir): VersionDir | undefined {
  const i = versions.indexOf(than);
  return versions[i + 1] ?? (i === 0 ? undefined : versions[0]);
}

/** What a stored version's metadata says of its code, for `diffVersions`. */
export function versionCode(v: VersionDir): VersionCode {
  return { hash: v.hash, source: v.meta?.source, origin: v.meta?.origin, dependencies: v.meta?.dependencies };
}
