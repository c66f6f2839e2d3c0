import 'reflect-metadata';

export { memorious, type MemoriousDecorator } from './decorator';
export { Memorious, type AnyMethod, type MethodStats } from './inspect';
export type { PruneOptions, PruneSummary } from './maintenance/prune';
export type { ClearSummary } from './maintenance/stale';
export { withSeed } from './seeded';
export { keyOf, type KeyOf } from './key/key-of';
export { FunesError, type FunesErrorCode, type FunesWarningCode } from './errors';
export { PARAMS_METADATA } from './memo';
export type { MemoriousOptions } from './options';
export type { FunesConfig, CacheMode } from './config';
export type { CachedResult, StoredRecord } from './record';
export type { GlobalSeed } from './seed';
export { serveUi, type UiOptions, type UiServer } from './ui/serve';
export { FileStore } from './store/file-store';
export { MemoryStore } from './store/memory-store';
export { RedisStore, type RedisStoreOptions, type RecordSize } from './store/redis-store';
export type { RedisClient, RedisClientOptions } from './store/redis-client';
export { encodeRecord, decodeRecord, RecordEncodeError, RecordDecodeError } from './store/codec';
export type { Dependency as VersionDependency } from './version/dependency';
export type { Store, RecordLocation, Lock, MaybePromise, StoredEntry, Usage, VersionMeta, WriteOptions, ReadOptions } from './store/types';

import { api } from './default-export';
export default api;
