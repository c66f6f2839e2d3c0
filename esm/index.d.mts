// The ES module entry's types: the same API as the CommonJS build it re-exports.
export * from '../dist/index.js';
export { default } from '../dist/index.js';
