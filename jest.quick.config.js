/**
 * `npm run test:quick`: the tier that needs no store server, no browser and
 * no child process — crypto, token transport, options, middleware against
 * the in-process stand-in and memory store, hostile input. Under a minute.
 * @type {import('jest').Config}
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  globalSetup: undefined,
  globalTeardown: undefined,
  testPathIgnorePatterns: [
    '/node_modules/',
    '<rootDir>/test/fixtures/',
    '<rootDir>/test/(csc|demo|examples|fleet|packaging|soak|store-e2e|stores)/',
    '<rootDir>/packages/miniprogram/test/typings\\.test\\.ts$',
    '<rootDir>/test/docs/miniprogram-typescript\\.test\\.ts$',
    '<rootDir>/test/client/(access-token-shared|secrets)\\.test\\.ts$',
    '<rootDir>/test/session/revocation\\.test\\.ts$',
  ],
};
