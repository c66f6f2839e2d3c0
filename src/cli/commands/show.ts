import { toPlain } from '../plain';
import { formatBytes, formatDate, formatSeconds, summarise } from '../format';
import { findMethod, inputNames, invalidNote, loadRecords, pickVersion, type LoadedRecord } from '../select';
import { table } from '../table';
import { versionTime, type MethodDir, type VersionDir } from '../../store/scan';

/** `funes show`: what produced one version, and its records. */
export function show(root: string, name: string, options: { version?: string; json?: boolean; wide?: boolean }): void {
  const method = findMethod(root, name);
  const version = pickVersion(method, options.version);
  printShow(method, version, loadRecords(method, version), options);
}

/** Prints one version and its records, wherever they were read from (files or Redis). */
export function printShow(method: MethodDir, version: VersionDir, loaded: { records: LoadedRecord[]; invalid: number }, options: { json?: boolean; wide?: boolean }): void {
  const { records, invalid } = loaded;
  const params = version.meta?.params ?? null;
  if (options.json) {
    const out = {
      method: method.name,
      folder: method.segment,
      version: version.hash,
      current: version.hash === method.current,
      created: versionTime(version),
      source: version.meta?.source ?? null,
      origin: version.meta?.origin ?? null,
      file: version.meta?.file ?? null,
      dependencies: version.meta?.dependencies ?? null,
      params,
      invalid,
      records: records.map(({ file, record }) => ({
        key: file.key,
        input: toPlain(record.input),
        output: toPlain(record.output),
        time: record.time,
        created: record.created,
        bytes: file.size,
      })),
    };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return;
  }
  const names = inputNames(version, records);
  const lines = [
    `method   ${method.name}`,
    `version  ${version.hash}${version.hash === method.current ? ' (current)' : ''}  of ${method.versions.length}`,
    `created  ${formatDate(versionTime(version))}`,
    `params   ${params ? params.join(', ') || '(none)' : '(unknown: no meta.json in this version)'}`,
    `records  ${records.length}, ${formatBytes(records.reduce((s, r) => s + r.file.size, 0))}, ${formatSeconds(records.reduce((s, r) => s + r.record.time, 0))} of compute`,
  ];
  if (version.meta?.origin === 'compiled') {
    lines.push('', 'made from  compiled text: no source as written was found (a bundle without source maps, eval, a REPL),', '           so this version changes with the compiler and its dependencies were not followed');
  } else if (version.meta?.file !== undefined) {
    lines.push(`file     ${version.meta.file}`);
  }
  if (version.meta?.source !== undefined) lines.push('', 'source', indent(version.meta.source), '');
  const deps = version.meta?.dependencies;
  if (deps && deps.length > 0) {
    lines.push(`dependencies (${deps.length})`);
    for (const d of deps) {
      lines.push(`  ${d.kind} ${d.name}${d.file ? `  (${d.file})` : ''}${d.kind === 'package' ? ` ${d.text}` : ''}`);
      if (d.kind !== 'package' && d.kind !== 'import') lines.push(indent(d.text, '      '));
    }
    lines.push('');
  }
  process.stdout.write(lines.join('\n') + '\n');
  if (records.length > 0) {
    const rows = records.map(({ record }) => [
      ...names.map((n) => (n in record.input ? summarise(record.input[n], options.wide ? Infinity : 24) : '')),
      summarise(record.output, options.wide ? Infinity : 40),
      formatSeconds(record.time),
    ]);
    process.stdout.write(table([...names, 'output', 'time'], rows) + '\n');
  }
  if (invalid > 0) process.stderr.write(`funes: ${invalidNote(invalid)}\n`);
}

/** `toString()` keeps the class body's indentation after the first line: take it off, then indent all alike. */
function indent(text: string, by = '  '): string {
  const lines = text.split('\n');
  const rest = lines.slice(1).filter((l) => l.trim() !== '');
  const common = Math.min(...rest.map((l) => l.length - l.trimStart().length));
  const cut = rest.length > 0 && Number.isFinite(common) ? common : 0;
  return lines.map((l, i) => `${by}${i === 0 ? l : l.slice(Math.min(cut, l.length - l.trimStart().length))}`).join('\n');
}
