import { existsSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { checkRecordFile } from '../../maintenance/read';
import { removeFiles, removeIfEmpty } from '../../maintenance/remove';
import { allTemps, scanCache, TMP_GRACE_MS, type FileInfo } from '../../store/scan';
import { CliError, EXIT_FAILURE, EXIT_OK } from '../errors';
import { plural } from '../format';
import { progress } from '../progress';

interface Problem {
  readonly file: FileInfo;
  readonly why: string;
}

/** `funes verify`: reads every record as a call would; reports, and with `fix` removes, what cannot be served. Returns the exit code. */
export function verify(root: string, options: { fix?: boolean; json?: boolean }): number {
  if (!existsSync(root)) throw new CliError(`no cache directory at ${root}; pass --dir or set FUNES_CACHE_DIR`);
  const scan = scanCache(root);
  const problems: Problem[] = [];
  let checked = 0;
  const total = scan.methods.reduce((n, m) => n + m.versions.reduce((k, v) => k + v.records.length, 0), 0);
  const bar = progress('verifying', total);
  for (const m of scan.methods) {
    for (const v of m.versions) {
      for (const file of v.records) {
        const read = checkRecordFile(file, v.hash, m.segment);
        bar.tick();
        if (!read) continue;
        checked++;
        if (read.problem) problems.push({ file, why: read.problem });
      }
    }
  }
  bar.stop();
  const now = Date.now();
  const invalid = problems.length;
  for (const t of allTemps(scan)) {
    if (now - t.mtimeMs > TMP_GRACE_MS) problems.push({ file: t, why: 'leftover temporary file of an interrupted write' });
  }
  let removed = 0;
  if (options.fix && problems.length > 0) {
    removed = removeFiles(problems.map((p) => p.file)).files;
    for (const dir of new Set(problems.map((p) => dirname(p.file.path)))) removeIfEmpty(dir);
  }
  const ok = problems.length === 0 || (options.fix === true && removed === problems.length);
  if (options.json) {
    const list = problems.map((p) => ({ file: relative(root, p.file.path), problem: p.why }));
    process.stdout.write(JSON.stringify({ dir: root, checked, invalid, temps: problems.length - invalid, removed, problems: list }, null, 2) + '\n');
    return ok ? EXIT_OK : EXIT_FAILURE;
  }
  for (const p of problems) process.stdout.write(`${relative(root, p.file.path)}: ${p.why}\n`);
  const found = `checked ${plural(checked, 'record')}: ${invalid} invalid, ${plural(problems.length - invalid, 'leftover temporary file')}`;
  if (problems.length === 0) process.stdout.write(`${found}; all good\n`);
  else if (options.fix) process.stdout.write(`${found}; removed ${removed}\n`);
  else process.stdout.write(`${found}; run 'funes verify --fix' to remove them\n`);
  return ok ? EXIT_OK : EXIT_FAILURE;
}
