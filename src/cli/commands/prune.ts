import { prune, type PruneLimits } from '../../maintenance/prune';
import { CliError, EXIT_USAGE } from '../errors';
import { formatBytes, plural } from '../format';
import { progress, type Progress } from '../progress';

/** `funes prune`: least recently used records first, until every limit holds. */
export function pruneCommand(root: string, limits: PruneLimits, options: { dryRun?: boolean; json?: boolean }): void {
  if (limits.maxBytes === undefined && limits.maxAge === undefined && limits.maxEntries === undefined) {
    throw new CliError('prune needs a limit: give --max-bytes, --max-age or --max-entries (see funes prune --help)', EXIT_USAGE);
  }
  let bar: Progress | undefined;
  const s = prune(root, limits, {
    dryRun: options.dryRun,
    onProgress: (done, total) => {
      bar ??= progress('removing', total);
      bar.tick();
      if (done === total) bar.stop();
    },
  });
  if (options.json) {
    process.stdout.write(JSON.stringify(s, null, 2) + '\n');
    return;
  }
  const verb = s.dryRun ? 'would remove' : 'removed';
  const lines = [
    `${verb} ${plural(s.removed, 'record')} and ${plural(s.tempFiles, 'leftover temporary file')}, freeing ${formatBytes(s.freedBytes)}`,
    `${s.dryRun ? 'would empty' : 'emptied'} ${plural(s.versionsRemoved, 'version folder')}`,
    `kept ${plural(s.kept, 'record')}, ${formatBytes(s.keptBytes)}`,
  ];
  if (s.dryRun) lines.push('dry run: nothing was removed');
  process.stdout.write(lines.join('\n') + '\n');
}
