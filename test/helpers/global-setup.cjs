/**
 * Once before a test run (jest.config.cjs `globalSetup`): the app's cloud functions are
 * bundled here, and every test process's emulator runs these bundles instead of bundling
 * them again (scripts/local-cloud.ts, PREBUILT_FUNCTIONS). The folder goes when the run ends.
 */
module.exports = () => {
  const { require: load } = require('tsx/cjs/api');
  const { buildFunctions, PREBUILT_FUNCTIONS } = load('../../scripts/local-cloud.ts', __filename);
  const [first] = buildFunctions();
  process.env[PREBUILT_FUNCTIONS] = require('node:path').dirname(require('node:path').dirname(first.bundle));
};
