import type { DayRun } from '../../typings/vocabulary';
import { type BusinessDay, addDays, daysBetween } from '../time/beijing';

/** The member's current unbroken run of checked days (check-ins and make-ups). */
export type StreakRun = DayRun;

/** Streak length as the member sees it today: a run ending before yesterday is broken. */
export function currentStreak(run: StreakRun | null, today: BusinessDay): number {
  if (!run || daysBetween(run.end, today) > 1) return 0;
  return daysBetween(run.start, run.end) + 1;
}

/** The run after checking in `today`. */
export function runAfterCheckin(run: StreakRun | null, today: BusinessDay): StreakRun {
  return run && run.end === addDays(today, -1) ? { start: run.start, end: today } : { start: today, end: today };
}

export type MakeupRejection = 'MAKEUP_DAY_INVALID' | 'MAKEUP_ALREADY_CHECKED';

/** Where a make-up may fall: after the member registered, within the window before today. */
export interface MakeupWindow {
  today: BusinessDay;
  windowDays: number;
  /** The member's first day (registration): no day before it was missed. Unknown before the member is read (`decideMakeup` checks it then). */
  since?: BusinessDay;
}

/**
 * Whether `day` may be made up: a past day within the window, not before the member
 * registered, not already checked. `checked` holds the checked days around it.
 */
export function makeupRejection(day: BusinessDay, window: MakeupWindow, checked: ReadonlySet<BusinessDay>): MakeupRejection | undefined {
  const age = daysBetween(day, window.today);
  if (age < 1 || age > window.windowDays || (window.since !== undefined && day < window.since)) return 'MAKEUP_DAY_INVALID';
  if (checked.has(day)) return 'MAKEUP_ALREADY_CHECKED';
  return undefined;
}

/**
 * The run the filled `day` joins, before neighbouring checked days are added: the
 * current run extended by `day` when adjacent to it, null when it is not (the run stays).
 */
export function makeupJoin(run: StreakRun | null, day: BusinessDay): StreakRun | null {
  if (!run) return null;
  if (day === addDays(run.end, 1)) return { start: run.start, end: day };
  if (day === addDays(run.start, -1)) return { start: day, end: run.end };
  return null;
}

/** `run` grown over the checked days directly before and after it. */
export function extendRun(run: StreakRun, checked: ReadonlySet<BusinessDay>): StreakRun {
  let { start, end } = run;
  while (checked.has(addDays(start, -1))) start = addDays(start, -1);
  while (checked.has(addDays(end, 1))) end = addDays(end, 1);
  return { start, end };
}

/**
 * The run after filling the missed `day`: it joins the current run when adjacent to it,
 * and checked days directly before and after the joined run (from `checked`; earlier
 * make-ups of days not yet connected) join as well.
 */
export function runAfterMakeup(run: StreakRun | null, day: BusinessDay, checked: ReadonlySet<BusinessDay>): StreakRun | null {
  const joined = makeupJoin(run, day);
  return joined ? extendRun(joined, checked) : run;
}
