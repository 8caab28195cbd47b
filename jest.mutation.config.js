/**
 * The suites `npm run test:mutation` runs against each mutant of the
 * security core (see stryker.config.json): crypto, token transport, body
 * reading, the session manager and its lock, API security (its vectors). None
 * needs a store server.
 * @type {import('jest').Config}
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  globalSetup: undefined,
  globalTeardown: undefined,
  testMatch: ['<rootDir>/test/crypto/*.test.ts', '<rootDir>/test/http/*.test.ts', '<rootDir>/test/session/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/session/revocation\\.test\\.ts$'],
};
