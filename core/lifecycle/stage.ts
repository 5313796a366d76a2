import type { LifecycleConfig } from '../config/lifecycle';
import type { DayRun, Stage } from '../../typings/vocabulary';
import { type BusinessDay, addDays, daysBetween } from '../time/beijing';

/**
 * The lifecycle state machine: potential (opened, no member action yet) → new (acting, no
 * habit yet) → active (habit formed) → sleeping (absent, or the churn score says so) →
 * churned (no login for more than `churnedAfterDays`), and back: activity wakes a sleeping
 * member, and a churned one comes back through a `returned` transition.
 */

export interface LifecycleFacts {
  stage: Stage;
  /** First day with a member action beyond opening the mini-program; null while potential. */
  firstActionDay: BusinessDay | null;
  /** Distinct days with any activity, ever. */
  activeDays: number;
  lastActiveDay: BusinessDay;
  /** Latest churn risk, when scored. */
  churnRisk?: number | null;
}

export interface Transition {
  from: Stage;
  to: Stage;
  reason: string;
}

/** The stage the facts put the member in today, with the reason; null when it stays. */
export function nextStage(facts: LifecycleFacts, today: BusinessDay, config: LifecycleConfig): Transition | null {
  const away = daysBetween(facts.lastActiveDay, today);
  const { to, reason } = stageFor(facts, away, config);
  if (to === facts.stage) return null;
  const returned = (facts.stage === 'churned' || facts.stage === 'sleeping') && away === 0;
  return { from: facts.stage, to, reason: returned ? (facts.stage === 'churned' ? 'returned' : 'woke up') : reason };
}

function stageFor(facts: LifecycleFacts, away: number, config: LifecycleConfig): { to: Stage; reason: string } {
  if (away > config.churnedAfterDays) return { to: 'churned', reason: `no login for ${away} days` };
  if (!facts.firstActionDay) return { to: 'potential', reason: 'visited without acting' };
  if (away > config.sleepingAfterDays) return { to: 'sleeping', reason: `absent ${away} days` };
  // A member seen today is never put to sleep by the score: they are here.
  if (away > 0 && facts.activeDays >= config.habitDays && (facts.churnRisk ?? 0) >= config.sleepingRisk) {
    return { to: 'sleeping', reason: `churn risk ${facts.churnRisk!.toFixed(2)}` };
  }
  if (facts.activeDays < config.habitDays) return { to: 'new', reason: facts.stage === 'potential' ? 'first action' : 'no habit yet' };
  return { to: 'active', reason: `${facts.activeDays} active days` };
}

/** A run of consecutive active days, as stored on the member. */

/** The run after activity on `today`: extended from yesterday, or a new one. */
export function extendRun(run: DayRun | null, today: BusinessDay): DayRun {
  if (run && (run.end === today || run.end === addDays(today, -1))) return { start: run.start, end: today };
  return { start: today, end: today };
}

export const runLength = (run: DayRun) => daysBetween(run.start, run.end) + 1;
