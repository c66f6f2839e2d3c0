import { memorious } from './decorator';
import { FunesError } from './errors';
import { Memorious } from './inspect';
import { keyOf } from './key/key-of';
import { PARAMS_METADATA } from './memo';
import { withSeed } from './seeded';
import { decodeRecord, encodeRecord, RecordDecodeError, RecordEncodeError } from './store/codec';
import { FileStore } from './store/file-store';
import { MemoryStore } from './store/memory-store';
import { RedisStore } from './store/redis-store';
import { serveUi } from './ui/serve';

/**
 * The whole API as one object, so that `import funes from 'funes'` works from CommonJS
 * and ES modules alike, as well as named imports do.
 * @example `import funes from 'funes'; const cached = funes.memorious(simulate);`
 */
export const api = {
  memorious,
  Memorious,
  withSeed,
  keyOf,
  FunesError,
  PARAMS_METADATA,
  FileStore,
  MemoryStore,
  RedisStore,
  encodeRecord,
  decodeRecord,
  RecordEncodeError,
  RecordDecodeError,
  serveUi,
} as const;
