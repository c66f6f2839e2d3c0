// The ES module entry's types: the same API as the CommonJS build it re-exports.
export * from '../dist/cjs/index.js';
export { default } from '../dist/cjs/index.js';
