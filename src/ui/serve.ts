import type { UiOptions, UiServer } from './server';

export type { UiOptions, UiServer } from './server';

/**
 * Serves a read-only page of what a cache holds, as `funes ui` does: every method and its
 * versions; a version's records as a table (sorted, filtered and paged by the server) and a
 * plot of any input against any numeric output; two versions' code side by side. An open
 * page follows the cache, so a running sweep fills in as you watch. It listens on
 * 127.0.0.1 only and answers only requests addressed to `127.0.0.1:<port>`, so no other
 * site can reach it (DNS rebinding included); it reads nothing outside the cache and
 * serves only its own scripts, which ship in the package.
 *
 * @param options `{ dirs?: string[], redis?: { url, prefix? }, port?: number (default 4747; 0 picks a free one), pollMs?: number (default 1000) }`
 * @returns `{ url, port, close() }`: `url` is `http://127.0.0.1:<port>/`.
 * @throws FunesError `FUNES_BAD_OPTION` when the port is not 0–65535 or is in use.
 * @example
 * ```ts
 * import { serveUi } from 'funes';
 * const ui = await serveUi({ dirs: ['cache'], port: 0 });
 * console.log(`open ${ui.url}`);
 * // ... later
 * await ui.close();
 * ```
 */
export function serveUi(options: UiOptions = {}): Promise<UiServer> {
  // The server, its HTTP module and the diff library load only for a program that shows a page.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./server') as typeof import('./server')).startServer(options);
}
