import { formatBytes, plural } from '../format';
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../errors';
import { findRedisMethod, loadRedisRecords, scanRedis, withRedis, type RedisProblem, type RedisTarget } from '../redis';
import { pickVersion } from '../select';
import { versionTime } from '../../store/scan';
import { printDiff } from './diff';
import { printExport, type ExportFormat } from './export';
import { printLs, type LsMethod } from './ls';
import { printShow } from './show';

/** `funes ls --redis URL`: every method under the prefix, its versions, records, size and compute time. */
export function lsRedis(target: RedisTarget, options: { json?: boolean }): Promise<void> {
  return withRedis(target, async (store) => {
    const methods: LsMethod[] = [];
    for (const m of await scanRedis(store)) {
      const versions = [];
      for (const v of m.versions) {
        const { records } = await loadRedisRecords(store, m, v);
        versions.push({
          version: v.hash,
          current: v.hash === m.current,
          created: versionTime(v),
          records: v.records.length,
          bytes: v.records.reduce((s, r) => s + r.size, 0),
          time: records.reduce((s, r) => s + r.record.time, 0),
        });
      }
      methods.push({ method: m.name, folder: m.segment, current: m.current ?? null, versions });
    }
    printLs({ redis: target.url, prefix: target.prefix }, `Redis at ${target.url} under '${target.prefix}:'`, methods, options);
  });
}

/** `funes show --redis URL`. */
export function showRedis(target: RedisTarget, name: string, options: { version?: string; json?: boolean; wide?: boolean }): Promise<void> {
  return withRedis(target, async (store) => {
    const method = await findRedisMethod(store, name);
    const version = pickVersion(method, options.version);
    printShow(method, version, await loadRedisRecords(store, method, version), options);
  });
}

/** `funes diff --redis URL`. */
export function diffRedis(target: RedisTarget, name: string, options: { from?: string; to?: string; json?: boolean }): Promise<void> {
  return withRedis(target, async (store) => printDiff(await findRedisMethod(store, name), options));
}

/** `funes export --redis URL`. */
export function exportRedis(target: RedisTarget, name: string, options: { format: ExportFormat; version?: string }): Promise<void> {
  return withRedis(target, async (store) => {
    const method = await findRedisMethod(store, name);
    const version = pickVersion(method, options.version);
    printExport(version, await loadRedisRecords(store, method, version), options.format);
  });
}

/** `funes clear --redis URL`: every version of a method, or with `stale` all but the current one. */
export function clearRedis(target: RedisTarget, name: string, options: { stale?: boolean; json?: boolean }): Promise<void> {
  return withRedis(target, async (store) => {
    const method = await findRedisMethod(store, name);
    let versions = method.versions;
    if (options.stale) {
      if (method.current === undefined) {
        throw new CliError(`cannot tell which version of ${method.name} is current (no ${method.path}:current key); run the program once, or clear every version with 'funes clear ${name} --redis URL'`);
      }
      versions = versions.filter((v) => v.hash !== method.current);
    }
    const bytes = versions.reduce((s, v) => s + v.records.reduce((n, r) => n + r.size, 0), 0);
    let records = 0;
    if (options.stale) for (const v of versions) records += await store.clear(method.name, v.hash);
    else records = await store.clear(method.name);
    const s = { versions: versions.length, records, bytes };
    if (options.json) {
      process.stdout.write(JSON.stringify({ method: method.name, ...s }, null, 2) + '\n');
      return;
    }
    const what = options.stale ? 'stale ' : '';
    process.stdout.write(`removed ${plural(s.versions, `${what}version`)} of ${method.name}: ${plural(s.records, 'record')}, ${formatBytes(s.bytes)}\n`);
  });
}

/** `funes verify --redis URL`: reads every record as a call would; reports, and with `fix` removes, what cannot be served. */
export function verifyRedis(target: RedisTarget, options: { fix?: boolean; json?: boolean }): Promise<number> {
  return withRedis(target, async (store) => {
    const problems: (RedisProblem & { method: string; version: string })[] = [];
    let checked = 0;
    for (const m of await scanRedis(store)) {
      for (const v of m.versions) {
        const loaded = await loadRedisRecords(store, m, v);
        checked += loaded.records.length + loaded.problems.length;
        for (const p of loaded.problems) problems.push({ ...p, method: m.name, version: v.hash });
      }
    }
    let removed = 0;
    if (options.fix) {
      for (const p of problems) {
        await store.delete({ method: p.method, version: p.version, key: p.key });
        removed++;
      }
    }
    const ok = problems.length === 0 || (options.fix === true && removed === problems.length);
    if (options.json) {
      const list = problems.map((p) => ({ key: p.where, problem: p.why }));
      process.stdout.write(JSON.stringify({ redis: target.url, prefix: target.prefix, checked, invalid: problems.length, removed, problems: list }, null, 2) + '\n');
      return ok ? EXIT_OK : EXIT_FAILURE;
    }
    for (const p of problems) process.stdout.write(`${p.where}: ${p.why}\n`);
    const found = `checked ${plural(checked, 'record')}: ${problems.length} invalid`;
    if (problems.length === 0) process.stdout.write(`${found}; all good\n`);
    else if (options.fix) process.stdout.write(`${found}; removed ${removed}\n`);
    else process.stdout.write(`${found}; run 'funes verify --fix --redis URL' to remove them\n`);
    return ok ? EXIT_OK : EXIT_FAILURE;
  });
}

/** `funes prune --redis URL`: Redis keeps its own size and age limits. */
export function pruneRedis(): never {
  throw new CliError(
    "prune does not apply to Redis, which keeps its own limits: give records a lifetime with the maxAge option (it becomes Redis expiry), and cap memory with Redis's maxmemory and maxmemory-policy allkeys-lru; to drop a method's versions use 'funes clear <Class.method> --redis URL [--stale]'",
    EXIT_USAGE,
  );
}
