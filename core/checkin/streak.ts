import { type BusinessDay, addDays, daysBetween } from '../time/beijing';

/** The member's current unbroken run of checked days (check-ins and make-ups). */
export interface StreakRun {
  start: BusinessDay;
  end: BusinessDay;
}

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

/**
 * Whether `day` may be made up: a past day within the window, not already checked.
 * `checked` holds the checked days around it.
 */
export function makeupRejection(day: BusinessDay, today: BusinessDay, windowDays: number, checked: ReadonlySet<BusinessDay>): MakeupRejection | undefined {
  const age = daysBetween(day, today);
  if (age < 1 || age > windowDays) return 'MAKEUP_DAY_INVALID';
  if (checked.has(day)) return 'MAKEUP_ALREADY_CHECKED';
  return undefined;
}

/**
 * The run after filling the missed `day`. It joins the current run when adjacent to it;
 * then earlier checked days directly before it (from `checked`) join as well.
 */
export function runAfterMakeup(run: StreakRun | null, day: BusinessDay, checked: ReadonlySet<BusinessDay>): StreakRun | null {
  if (!run) return run;
  const extendsEnd = day === addDays(run.end, 1);
  const extendsStart = day === addDays(run.start, -1);
  if (!extendsEnd && !extendsStart) return run;
  let start = extendsStart ? day : run.start;
  while (checked.has(addDays(start, -1))) start = addDays(start, -1);
  return { start, end: extendsEnd ? day : run.end };
}
