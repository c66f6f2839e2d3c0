import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { CliError, EXIT_USAGE } from './errors';
import { findMethod, hasMethod } from './select';
import { parseBytes, parseCount, parseDuration } from '../limits';
import { clear } from './commands/clear';
import { diff } from './commands/diff';
import { exportRecords, FORMATS, type ExportFormat } from './commands/export';
import { ls } from './commands/ls';
import { pruneCommand } from './commands/prune';
import { show } from './commands/show';
import { verify } from './commands/verify';
import { ui } from './commands/ui';
import { clearRedis, diffRedis, exportRedis, lsRedis, pruneRedis, showRedis, verifyRedis } from './commands/redis';
import type { RedisTarget } from './redis';

/** The package's own copy of the CLI's documentation: dist/cjs/cli/ is three folders below the package root. */
const DOCS = join(__dirname, '..', '..', '..', 'docs', 'cli.md');

/** The `funes` command line; `setExit` receives a command's exit code when it is not 0. */
export function program(setExit: (code: number) => void): Command {
  const funes = new Command('funes')
    .description('Look into, export and trim a funes cache: the results that @memorious methods keep on disk.')
    .version(packageVersion(), '-V, --version', 'print the funes version')
    .option('--dir <path>', DIR_HELP, collect)
    .option('--redis <url>', 'read a RedisStore instead of a directory: redis://host:port[/db]')
    .option('--prefix <prefix>', "with --redis, the store's key prefix (default: funes)")
    .exitOverride()
    // Lets `show --version <hash>` mean the version of a method, not of funes.
    .enablePositionalOptions()
    .showSuggestionAfterError()
    .addHelpText('after', `\nExit codes: 0 success, 1 failure (or problems found by verify), 2 bad usage.\nDocs: ${DOCS}`);
  oneLineErrors(funes);
  const given = (cmd: Command): string[] => [...new Set([...(funes.opts<{ dir?: string[] }>().dir ?? []), ...(cmd.opts<{ dir?: string[] }>().dir ?? [])].map((d) => resolve(d)))];
  /** Every cache directory given, in order; none given: $FUNES_CACHE_DIR, else ./cache. */
  const roots = (cmd: Command): string[] => {
    const dirs = given(cmd);
    return dirs.length > 0 ? dirs : [resolve(process.env.FUNES_CACHE_DIR || 'cache')];
  };
  /** The one directory a command that changes a cache works on. */
  const root = (cmd: Command): string => {
    const dirs = roots(cmd);
    if (dirs.length > 1) throw new CliError(`${cmd.name()} works on one cache directory: give --dir once`, EXIT_USAGE);
    return dirs[0]!;
  };
  /** The directory among those given that holds `name`; when none does, an error that names them all. */
  const holding = (cmd: Command, name: string, version?: string): string => {
    const dirs = roots(cmd);
    // With --version, the directory whose method has that version: two directories may hold one method.
    const found = dirs.find((d) => hasMethod(d, name) && (version === undefined || hasVersion(d, name, version))) ?? dirs.find((d) => hasMethod(d, name));
    if (found !== undefined || dirs.length === 1) return found ?? dirs[0]!;
    throw new CliError(`no method ${name} in any of ${dirs.join(', ')}; run 'funes ls' with the same --dir options to see the stored methods`);
  };
  /** The Redis to work on when `--redis` was given (before or after the command's name), else undefined. */
  const redis = (cmd: Command): RedisTarget | undefined => {
    const o = { ...funes.opts<{ redis?: string; prefix?: string }>(), ...definedOnly(cmd.opts<{ redis?: string; prefix?: string }>()) };
    if (o.redis === undefined) return undefined;
    if (given(cmd).length > 0) throw new CliError('give --dir or --redis, not both', EXIT_USAGE);
    return { url: o.redis, prefix: o.prefix ?? 'funes' };
  };

  command(funes, 'ls', 'list every method, its versions (newest first, current marked), records, size and compute time')
    .option('--json', 'print JSON instead of a table')
    .action((o: { json?: boolean }, cmd: Command) => {
      const r = redis(cmd);
      if (r) return lsRedis(r, o);
      const code = ls(roots(cmd), o);
      if (code !== 0) setExit(code);
    });

  command(funes, 'show', 'show a version of a method: its source, parameter names and records')
    .argument('<Class.method>', 'the method, as Class.method')
    .option('--version <hash>', 'the version (a unique prefix is enough); default: the current one, else the newest')
    .option('--json', 'print JSON instead of tables')
    .option('--wide', 'print inputs and outputs whole, not cut to fit a cell')
    .action((name: string, o: { version?: string; json?: boolean; wide?: boolean }, cmd: Command) => {
      const r = redis(cmd);
      return r ? showRedis(r, name, o) : show(holding(cmd, name, o.version), name, o);
    })
    .addHelpText('after', '\nExample:\n  funes show Lab.double --json | jq .records');

  command(funes, 'diff', 'show what changed in the code behind two versions of a method: a unified diff per dependency')
    .argument('<Class.method>', 'the method, as Class.method')
    .option('--from <hash>', 'the older version (a unique prefix is enough); default: the version before --to')
    .option('--to <hash>', 'the newer version; default: the newest')
    .option('--json', 'print JSON instead of diffs')
    .action((name: string, o: { from?: string; to?: string; json?: boolean }, cmd: Command) => {
      const r = redis(cmd);
      return r ? diffRedis(r, name, o) : diff(holding(cmd, name, o.to ?? o.from), name, o);
    })
    .addHelpText('after', '\nExample:\n  funes diff Lab.fit              # the two newest versions\n  funes diff Lab.fit --json | jq .changed');

  command(funes, 'export', 'write every record of a version as rows: one column per input, the output, and time')
    .argument('<Class.method>', 'the method, as Class.method')
    .addOption(new Option('--format <format>', 'the output format').choices(FORMATS).makeOptionMandatory())
    .option('--version <hash>', 'the version (a unique prefix is enough); default: the current one, else the newest')
    .action((name: string, o: { format: ExportFormat; version?: string }, cmd: Command) => {
      const r = redis(cmd);
      return r ? exportRedis(r, name, o) : exportRecords(holding(cmd, name, o.version), name, o);
    })
    .addHelpText('after', '\nAn output that is a plain object of primitives becomes one column per key (output.loss, ...).\nExample:\n  funes export Lab.fit --format csv > fit.csv');

  command(funes, 'prune', 'remove least recently used records until every limit holds, and leftover temporary files')
    .option('--max-bytes <size>', 'keep at most this many bytes of records: 10G, 500M, 2k (binary units)', arg(parseBytes, '--max-bytes'))
    .option('--max-age <duration>', 'remove records unused for longer than this: 30d, 12h, 15m, 90s', arg(parseDuration, '--max-age'))
    .option('--max-entries <n>', 'keep at most this many records', arg(parseCount, '--max-entries'))
    .option('--dry-run', 'count what would go; remove nothing')
    .option('--json', 'print the summary as JSON')
    .action((o: { maxBytes?: number; maxAge?: number; maxEntries?: number; dryRun?: boolean; json?: boolean }, cmd: Command) =>
      redis(cmd) ? pruneRedis() : pruneCommand(root(cmd), { maxBytes: o.maxBytes, maxAge: o.maxAge, maxEntries: o.maxEntries }, o),
    )
    .addHelpText('after', "\nA record's last use is its file's modification time, refreshed on hits.\nExample:\n  funes prune --max-bytes 10G --max-age 30d --dry-run");

  command(funes, 'clear', 'remove every version of a method, or with --stale every version but the current one')
    .argument('<Class.method>', 'the method, as Class.method')
    .option('--stale', 'keep the current version (the one a program used last)')
    .option('--dry-run', 'count what would go; remove nothing')
    .option('--json', 'print the summary as JSON')
    .action((name: string, o: { stale?: boolean; json?: boolean; dryRun?: boolean }, cmd: Command) => {
      const r = redis(cmd);
      if (r && o.dryRun) throw new CliError('clear --dry-run works on a cache directory, not on Redis', EXIT_USAGE);
      return r ? clearRedis(r, name, o) : clear(root(cmd), name, o);
    });

  command(funes, 'verify', 'read every record; report those that do not deserialize or validate, and leftover temporary files')
    .option('--fix', 'remove what is reported')
    .option('--json', 'print the report as JSON')
    .action(async (o: { fix?: boolean; json?: boolean }, cmd: Command) => {
      const r = redis(cmd);
      const code = r ? await verifyRedis(r, o) : verify(root(cmd), o);
      if (code !== 0) setExit(code);
    })
    .addHelpText('after', '\nExits 1 when it finds problems it did not remove.');

  command(funes, 'ui', 'serve a local, read-only page of the cache: methods, versions, records as a table and a plot, diffs; it follows a running sweep')
    .option('--port <port>', 'the port on 127.0.0.1; 0 picks a free one (default: 4747)', arg(parsePort, '--port'))
    .option('--open', 'open the page in the default browser')
    .action((o: { port?: number; open?: boolean }, cmd: Command) => {
      const r = redis(cmd);
      return ui(r ? { redis: r } : { roots: roots(cmd) }, { port: o.port ?? 4747, open: o.open });
    })
    .addHelpText('after', '\nIt listens on 127.0.0.1 only and answers only requests addressed to it.\nExample:\n  funes ui --dir cache --port 8080');
  return funes;
}

const DIR_HELP = 'a cache directory (default: $FUNES_CACHE_DIR, else ./cache); ls, show, diff, export and ui take several';

// No default value: commander would print "(default: [])" in the help.
/** Whether the method stored under `root` has a version starting with `prefix`. */
function hasVersion(root: string, name: string, prefix: string): boolean {
  return findMethod(root, name).versions.some((v) => v.hash.startsWith(prefix.toLowerCase()));
}

function parsePort(value: string, what: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new Error(`${what} ${value} is not a port number: give 0 to 65535 (0 picks a free one)`);
  return n;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** A subcommand; it takes `--dir` too, so that the option may come after the command's name. */
function command(parent: Command, name: string, description: string): Command {
  const cmd = parent
    .command(name)
    .description(description)
    .option('--dir <path>', DIR_HELP, collect)
    .option('--redis <url>', 'read a RedisStore instead of a directory: redis://host:port[/db]')
    .option('--prefix <prefix>', "with --redis, the store's key prefix (default: funes)");
  oneLineErrors(cmd);
  return cmd;
}

/** Commander's message, then where to read how the command is used: one line. */
function oneLineErrors(cmd: Command): void {
  const help = cmd.parent ? `funes ${cmd.name()} --help` : 'funes --help';
  cmd.configureOutput({ outputError: (text, write) => write(`funes: ${text.trim().replace(/^error: /, '')}; see '${help}'\n`) });
}

function arg<T>(parse: (value: string, what: string) => T, what: string): (value: string) => T {
  return (value) => {
    try {
      return parse(value, what);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message.replace(/^.*?; /, ''));
    }
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
