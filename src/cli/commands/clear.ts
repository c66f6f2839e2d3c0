import { clearVersions } from '../../maintenance/stale';
import { removeMethodIfEmpty } from '../../maintenance/remove';
import { CliError } from '../errors';
import { formatBytes, plural } from '../format';
import { findMethod } from '../select';

/** `funes clear`: every version of a method, or with `stale` all but the current one. */
export function clear(root: string, name: string, options: { stale?: boolean; json?: boolean; dryRun?: boolean }): void {
  const method = findMethod(root, name);
  let hashes = method.versions.map((v) => v.hash);
  if (options.stale) {
    if (method.current === undefined) {
      throw new CliError(
        `cannot tell which version of ${method.name} is current (no program has marked a version of it as used); run the program once, or clear every version with 'funes clear ${name}'`,
      );
    }
    hashes = hashes.filter((h) => h !== method.current);
  }
  const dryRun = options.dryRun === true;
  const s = clearVersions(method.path, hashes, dryRun);
  if (!options.stale && !dryRun) removeMethodIfEmpty(method.path);
  if (options.json) {
    process.stdout.write(JSON.stringify({ method: method.name, ...s, dryRun }, null, 2) + '\n');
    return;
  }
  const what = options.stale ? 'stale ' : '';
  const verb = dryRun ? 'would remove' : 'removed';
  process.stdout.write(`${verb} ${plural(s.versions, `${what}version`)} of ${method.name}: ${plural(s.records, 'record')}, ${formatBytes(s.bytes)}\n`);
  if (dryRun) process.stdout.write('dry run: nothing was removed\n');
}
