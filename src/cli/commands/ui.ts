import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { describeError, FunesError } from '../../errors';
import { serveUi } from '../../ui/serve';
import { CliError, EXIT_USAGE } from '../errors';
import type { RedisTarget } from '../redis';

/**
 * `funes ui`: serves the page until the process is interrupted, printing its URL. With
 * `open`, asks the desktop to open it in the default browser.
 */
export async function ui(where: { roots: string[] } | { redis: RedisTarget }, options: { port: number; open?: boolean }): Promise<void> {
  let dirs: string[] = [];
  if ('roots' in where) {
    const notDir = where.roots.filter((root) => existsSync(root) && !statSync(root).isDirectory());
    if (notDir.length > 0) throw new CliError(`${notDir.join(', ')} is not a directory; pass a cache directory with --dir`);
    dirs = where.roots.filter((root) => existsSync(root));
    const missing = where.roots.filter((root) => !existsSync(root));
    if (dirs.length === 0) throw new CliError(`no cache directory at ${missing.join(', ')}; pass --dir or set FUNES_CACHE_DIR`);
    if (missing.length > 0) process.stderr.write(`funes: no cache directory at ${missing.join(', ')}; showing the others\n`);
  }
  let server;
  try {
    server = await serveUi({ ...('roots' in where ? { dirs } : { redis: where.redis }), port: options.port });
  } catch (error) {
    if (error instanceof FunesError) throw new CliError(error.message, EXIT_USAGE);
    throw new CliError(describeError(error));
  }
  const what = 'roots' in where ? dirs.join(', ') : `Redis at ${where.redis.url}`;
  process.stdout.write(`funes ui: showing ${what} at ${server.url}  (read-only; Ctrl-C stops it)\n`);
  if (options.open) openBrowser(server.url);
  await new Promise<void>((resolve) => {
    const stop = () => void server.close().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** The desktop's own opener; a machine without one gets a line saying to open the URL by hand. */
function openBrowser(url: string): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
  const failed = () => process.stderr.write(`funes: could not open a browser (${cmd} did not); open ${url} by hand\n`);
  child.on('error', failed);
  // xdg-open with no desktop starts, then exits non-zero.
  child.on('exit', (code) => code !== 0 && failed());
  child.unref();
}
