/**
 * `npm test` after the type-check and lint: every *.test.ts under test/ and under
 * packages/<name>/test/ (`npm test -- member` runs the files whose path matches). The
 * light runner runs test files in plain Node child processes — TypeScript through tsx's
 * loader — not in jest's vm sandboxes: the emulator, the real SDKs, child processes and
 * fetch then hand tests objects of one realm, so node:assert compares them as they are.
 * `--conditions=cloudbase-emulator-source` runs the emulator package from its TypeScript
 * source (packages/cloudbase-emulator/README.md, "This repository").
 * Page tests register jsdom themselves (test/helpers/miniprogram.ts). Cloud functions run
 * in UTC, and so do the tests. The runner's start-up race (a test process that never gets
 * its configuration, hanging the run) is worked around by the emulator package's
 * runner-handshake.mjs, one file for both test configs.
 */
const handshake = require('node:path').join(__dirname, 'packages', 'cloudbase-emulator', 'test', 'runner-handshake.mjs');
process.env.NODE_OPTIONS =
  `${process.env.NODE_OPTIONS ?? ''} --import tsx --import ${handshake} --conditions=cloudbase-emulator-source`.trim();
process.env.TZ = 'UTC';

module.exports = {
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/packages/*/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/fixtures/'],
  runner: ['jest-light-runner', { runtime: 'child_process' }],
  globalSetup: '<rootDir>/test/helpers/global-setup.cjs',
  setupFiles: ['<rootDir>/test/helpers/test-process.ts'],
  // Race tests start the emulator and make hundreds of calls; speed targets live in `npm run bench`.
  testTimeout: 120_000,
  maxWorkers: 2,
};
