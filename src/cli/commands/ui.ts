import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { FunesError } from '../../errors';
import { serveUi } from '../../ui/serve';
import { CliError, EXIT_USAGE } from '../errors';
import type { RedisTarget } from '../redis';

/**
 * `funes ui`: serves the page until the process is interrupted, printing its URL. With
 * `open`, asks the desktop to open it in the default browser.
 */
export async function ui(where: { roots: string[] } | { redis: RedisTarget }, options: { port: number; open?: boolean }): Promise<void> {
  if ('roots' in where) {
    const missing = where.roots.filter((root) => !existsSync(root));
    if (missing.length === where.roots.length) throw new CliError(`no cache directory at ${missing.join(', ')}; pass --dir or set FUNES_CACHE_DIR`);
    if (missing.length > 0) process.stderr.write(`funes: no cache directory at ${missing.join(', ')}; showing the others\n`);
  }
  let server;
  try {
    server = await serveUi({ ...('roots' in where ? { dirs: where.roots.filter((root) => existsSync(root)) } : { redis: where.redis }), port: options.port });
  } catch (error) {
    if (error instanceof FunesError) throw new CliError(error.message, EXIT_USAGE);
    throw error;
  }
  const what = 'roots' in where ? where.roots.join(', ') : `Redis at ${where.redis.url}`;
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
  child.on('error', () => process.stderr.write(`funes: could not open a browser (${cmd} failed); open ${url} by hand\n`));
  child.unref();
}
