/**
 * Set up in every test process (jest.config.cjs `setupFiles`). The runner ends its
 * processes with SIGTERM, whose default action skips 'exit' handlers — and those remove
 * what tests leave in the temp folder (the functions scripts/local-cloud.ts bundles for
 * the emulator). Exiting on SIGTERM lets them run.
 */
process.once('SIGTERM', () => process.exit(143));
