/**
 * The package's tests (`npm test` here): each file in a plain Node child process, its
 * TypeScript through tsx, in UTC as cloud functions run. The light runner hands tests the
 * objects of one realm (the emulator, the real SDKs, child processes and fetch);
 * test/runner-handshake.mjs works around a start-up race of that runner.
 */
const handshake = require('node:path').join(__dirname, 'test', 'runner-handshake.mjs');
process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import tsx --import ${handshake}`.trim();
process.env.TZ = 'UTC';

module.exports = {
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/fixtures/'],
  runner: ['jest-light-runner', { runtime: 'child_process' }],
  testTimeout: 120_000,
  maxWorkers: 2,
};
