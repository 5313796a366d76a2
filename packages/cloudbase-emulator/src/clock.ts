/**
 * The emulator's simulated clock: real time shifted by an offset, so time keeps flowing
 * while it can be set or advanced. Functions receive the offset per invocation
 * (CLOUDBASE_EMULATOR_CLOCK_OFFSET_MS, which a function adds to Date.now()) — Date is never patched.
 * `onChange` lets the emulator keep the offset with its database.
 */
export class SimulatedClock {
  constructor(
    private offsetMs = 0,
    private readonly onChange: (offsetMs: number) => void = () => undefined,
  ) {}

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  get offset(): number {
    return this.offsetMs;
  }

  set(instant: Date): void {
    this.offsetMs = instant.getTime() - Date.now();
    this.onChange(this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
    this.onChange(this.offsetMs);
  }
}
