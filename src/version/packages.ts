import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The installed version of package `name` as seen from `from` (a folder), looked up the
 * way Node looks up `node_modules`, or undefined when it is not installed.
 */
export function installedVersion(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const json = JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version?: unknown };
      return typeof json.version === 'string' ? json.version : undefined;
    } catch {
      // Not here: one folder up.
    }
    if (dirname(dir) === dir) return undefined;
  }
}
