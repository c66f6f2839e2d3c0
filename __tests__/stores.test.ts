import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FileStore } from '../src/store/file-store';
import { MemoryStore } from '../src/store/memory-store';
import { RedisStore } from '../src/store/redis-store';
import { haveRedisServer, useRedisServer } from './helpers/redis';
import { storeContract } from './helpers/store-contract';

storeContract('FileStore', async () => {
  const root = mkdtempSync(join(tmpdir(), 'funes-contract-'));
  const store = new FileStore(root);
  return {
    store,
    cleanup: async () => rmSync(root, { recursive: true, force: true }),
    corrupt: async (loc) => {
      const file = store.describe(loc.method, loc.version, loc.key);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, Buffer.from('not a v8 record at all'));
    },
  };
});

storeContract('MemoryStore', async () => ({ store: new MemoryStore(), cleanup: async () => undefined, expires: true }));

const redisAvailable = haveRedisServer();
(redisAvailable ? describe : describe.skip)('RedisStore', () => {
  const server = useRedisServer();
  let n = 0;
  storeContract('RedisStore', async () => {
    const prefix = `contract${n++}`;
    const store = new RedisStore({ url: server().url, prefix, lockTtlMs: 2000 });
    return {
      store,
      expires: true,
      corrupt: async (loc) => {
        await store.client.call('SET', store.key(loc.method, loc.version, loc.key), Buffer.from('not a v8 record at all'));
      },
      cleanup: async () => {
        await store.close();
      },
    };
  });
});
