/**
 * Every test runs twice: once compiled with TypeScript's legacy decorators and once
 * with stage-3 decorators, the two models @memorious serves.
 * @type {import('jest').Config}
 */
const project = (displayName, tsconfig, testPathIgnorePatterns = []) => ({
  displayName,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...testPathIgnorePatterns],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig }] },
  // funes warnings a file does not expect fail it; the ones it expects are not printed.
  setupFilesAfterEnv: ['<rootDir>/__tests__/helpers/quiet-warnings.ts'],
  // TypeScript imports a sibling as `./util.js`, meaning util.ts: resolve it as tsc does.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
});

module.exports = {
  projects: [
    project('stage3', '<rootDir>/tsconfig.json'),
    // The demo compiles with its own tsconfig, and the page of `funes ui` reads a cache, not
    // decorators: one run of each is enough.
    project('legacy', '<rootDir>/tsconfig.legacy.json', ['/__tests__/demo\\.test\\.ts$', '/__tests__/ui[^/]*\\.test\\.ts$']),
  ],
  globalSetup: '<rootDir>/__tests__/helpers/global-setup.js',
  globalTeardown: '<rootDir>/__tests__/helpers/global-teardown.js',
  testTimeout: 60000,
};
