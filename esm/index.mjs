// The ESM entry re-exports the CommonJS build rather than shipping a second copy, so a
// program that mixes `import` and `require` still has one configuration and one registry.
import funes from '../dist/cjs/index.js';

export const {
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
} = funes;
export default funes.default;
