import * as cacache from 'cacache';
import { deserialize, serialize } from 'node:v8';

/**
 * The peers, each used the way its README shows. memoize-fs stores JSON (so a
 * Float64Array comes back as a plain object with one key per element: that is its
 * cost, and its result); cacache stores bytes, so it is given v8.serialize output and
 * its hits are deserialized, as funes's are.
 */
/** What a peer makes of a function; the cases cast it back to the function's own parameters. */
export type Memoized = (...args: never[]) => Promise<unknown>;

export interface Peer {
  readonly name: string;
  /** A memoized async function of `fn`, backed by `dir`. */
  memoize(dir: string, id: string, fn: (...args: never[]) => unknown): Promise<Memoized>;
}

export const memoizeFs: Peer = {
  name: 'memoize-fs',
  async memoize(dir, id, fn) {
    // memoize-fs is ESM only: a dynamic import keeps this CommonJS build working.
    const { default: buildMemoizer } = await import('memoize-fs');
    return (await buildMemoizer({ cachePath: dir }).fn(fn, { cacheId: id })) as Memoized;
  },
};

export const cacachePeer: Peer = {
  name: 'cacache',
  async memoize(dir, id, fn) {
    return async (...args: never[]) => {
      const key = `${id}:${JSON.stringify(args)}`;
      try {
        return deserialize((await cacache.get(dir, key)).data);
      } catch (error) {
        if ((error as { code?: string }).code !== 'ENOENT') throw error;
      }
      const output = await fn(...args);
      await cacache.put(dir, key, serialize(output));
      return output;
    };
  },
};

export const PEERS: readonly Peer[] = [memoizeFs, cacachePeer];
