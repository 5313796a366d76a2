/** The one source of "now" for server code; injected, never read from Date directly. */
export interface Clock {
  now(): Date;
}

/**
 * The platform clock. The local emulator runs functions on simulated time and passes
 * its offset per invocation in CLOUDBASE_EMULATOR_CLOCK_OFFSET_MS; in the cloud it is unset.
 */
export const platformClock: Clock = {
  now: () => new Date(Date.now() + (Number(process.env['CLOUDBASE_EMULATOR_CLOCK_OFFSET_MS']) || 0)),
};
