import type { SimulatedClock } from '../clock';
import { type CronSchedule, nextFire, parseCron } from './cron';

export interface ScheduledTrigger {
  functionName: string;
  triggerName: string;
  schedule: CronSchedule;
}

export interface Firing {
  functionName: string;
  triggerName: string;
  at: string;
  ok: boolean;
}

type Fire = (functionName: string, triggerName: string, at: Date) => Promise<boolean>;

/** Most firings one advance may cause; a runaway cron must not hang the emulator. */
const MAX_FIRINGS_PER_ADVANCE = 5000;

/**
 * Fires timer triggers as simulated time passes: in real time (checked every second)
 * and when the clock is advanced, in which case each firing happens with the clock set
 * to its own scheduled instant, in order.
 */
export class Scheduler {
  /** Per trigger, the instant up to which it has been considered. */
  private readonly checkedUpTo = new Map<ScheduledTrigger, Date>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<Firing[]> = Promise.resolve([]);

  constructor(
    private readonly clock: SimulatedClock,
    private readonly triggers: ScheduledTrigger[],
    private readonly fire: Fire,
  ) {
    this.jump(clock.now());
  }

  static triggersOf(functionName: string, config: { triggers?: { name: string; type: string; config: string }[] }): ScheduledTrigger[] {
    const timers = (config.triggers ?? []).filter((t) => t.type === 'timer');
    if (timers.length > 1) throw new Error(`${functionName}: the platform allows one timer trigger per function`);
    return timers.map((t) => ({ functionName, triggerName: t.name, schedule: parseCron(t.config) }));
  }

  describe(): string[] {
    return this.triggers.map((t) => `${t.functionName}/${t.triggerName}`);
  }

  start(): void {
    this.timer = setInterval(() => void this.catchUp(this.clock.now(), false), 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Moves the clock to `instant` without firing what lies between. */
  jump(instant: Date): void {
    this.clock.set(instant);
    for (const trigger of this.triggers) this.checkedUpTo.set(trigger, instant);
  }

  advance(ms: number): Promise<Firing[]> {
    return this.catchUp(new Date(this.clock.now().getTime() + ms), true);
  }

  private catchUp(until: Date, moveClock: boolean): Promise<Firing[]> {
    const run = this.running.then(async () => {
      const firings: Firing[] = [];
      for (;;) {
        const due = this.nextDue(until);
        if (!due || firings.length >= MAX_FIRINGS_PER_ADVANCE) break;
        if (moveClock) this.clock.set(due.at);
        this.checkedUpTo.set(due.trigger, due.at);
        const ok = await this.fire(due.trigger.functionName, due.trigger.triggerName, due.at);
        firings.push({ functionName: due.trigger.functionName, triggerName: due.trigger.triggerName, at: due.at.toISOString(), ok });
      }
      if (moveClock) this.clock.set(until);
      for (const trigger of this.triggers) {
        if (until > (this.checkedUpTo.get(trigger) ?? until)) this.checkedUpTo.set(trigger, until);
      }
      return firings;
    });
    this.running = run.catch(() => []);
    return run;
  }

  private nextDue(until: Date): { trigger: ScheduledTrigger; at: Date } | undefined {
    let best: { trigger: ScheduledTrigger; at: Date } | undefined;
    for (const trigger of this.triggers) {
      const from = this.checkedUpTo.get(trigger);
      const at = from && nextFire(trigger.schedule, from);
      if (at && at <= until && (!best || at < best.at)) best = { trigger, at };
    }
    return best;
  }
}
