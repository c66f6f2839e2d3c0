/**
 * Every test runs twice: once compiled with TypeScript's legacy decorators and once
 * with stage-3 decorators, the two models @memorious serves.
 * @type {import('jest').Config}
 */
const project = (displayName, tsconfig) => ({
  displayName,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig }] },
});

module.exports = {
  projects: [project('stage3', '<rootDir>/tsconfig.json'), project('legacy', '<rootDir>/tsconfig.legacy.json')],
  globalSetup: '<rootDir>/__tests__/helpers/global-setup.js',
  testTimeout: 60000,
};
