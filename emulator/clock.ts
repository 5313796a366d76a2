/**
 * The emulator's simulated clock: real time shifted by an offset, so time keeps flowing
 * while it can be set or advanced. Functions receive the offset per invocation
 * (MEMBERLOOP_CLOCK_OFFSET_MS, read by server/clock.ts) — Date is never patched.
 */
export class SimulatedClock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  get offset(): number {
    return this.offsetMs;
  }

  set(instant: Date): void {
    this.offsetMs = instant.getTime() - Date.now();
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
