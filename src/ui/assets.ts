import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Every file the page may load, by URL path: a fixed list, so no request can name a file.
 * The charting library (Observable Plot, with d3) is copied into the package by the build,
 * so the page works offline.
 */
const FILES: Record<string, { file: string; type: string; vendor?: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/assets/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/assets/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
  '/assets/vendor/d3.min.js': { file: 'd3.min.js', type: 'text/javascript; charset=utf-8', vendor: 'd3/dist' },
  '/assets/vendor/plot.umd.min.js': { file: 'plot.umd.min.js', type: 'text/javascript; charset=utf-8', vendor: '@observablehq/plot/dist' },
};

const ROOT = join(__dirname, 'assets');
const read = new Map<string, Buffer>();

/** The bytes and content type of the asset at `path`, or undefined when the page has no such file. */
export function asset(path: string): { bytes: Buffer; type: string } | undefined {
  const entry = Object.prototype.hasOwnProperty.call(FILES, path) ? FILES[path] : undefined;
  if (!entry) return undefined;
  let bytes = read.get(path);
  if (!bytes) {
    bytes = readFileSync(entry.vendor ? vendorFile(entry.file, entry.vendor) : join(ROOT, entry.file));
    read.set(path, bytes);
  }
  return { bytes, type: entry.type };
}

/**
 * The build copies the charting library into `assets/vendor`; run from the TypeScript
 * source (the tests), it is read from the development install instead.
 */
function vendorFile(file: string, from: string): string {
  const copied = join(ROOT, 'vendor', file);
  if (existsSync(copied)) return copied;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const installed = join(dir, 'node_modules', from, file);
    if (existsSync(installed)) return installed;
    if (dirname(dir) === dir) return copied;
  }
}
