import 'reflect-metadata';

export { memorious, type MemoriousDecorator } from './decorator';
export { Memorious } from './inspect';
export { withSeed } from './seeded';
export { FunesError, type FunesErrorCode, type FunesWarningCode } from './errors';
export { PARAMS_METADATA } from './memo';
export type { MemoriousOptions } from './options';
export type { FunesConfig } from './config';
export type { CachedResult, StoredRecord } from './record';
export type { GlobalSeed } from './seed';
