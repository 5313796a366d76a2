import { max } from 'lodash-es';
import type { TaskDefinition } from './definition';
import { type BusinessDay, addDays, daysBetween } from '../time/beijing';

/**
 * The period a task's progress belongs to: the Beijing day, the Beijing week (starting
 * Monday, keyed by its Monday) or the member's lifetime. Claims are once per period.
 */
export function periodKey(kind: TaskDefinition['kind'], today: BusinessDay): string {
  if (kind === 'daily') return today;
  if (kind === 'weekly') {
    const weekday = new Date(`${today}T00:00:00Z`).getUTCDay();
    return `week-${addDays(today, -((weekday + 6) % 7))}`;
  }
  return 'once';
}

/** Whether a member sees and progresses a task today. */
export function isTaskActive(task: TaskDefinition, today: BusinessDay, registeredDay: BusinessDay, newbieDays: number): boolean {
  if (!task.enabled) return false;
  if (task.activeFrom && today < task.activeFrom) return false;
  if (task.activeTo && today > task.activeTo) return false;
  if (task.kind === 'newbie' && daysBetween(registeredDay, today) >= newbieDays) return false;
  return true;
}

/** The most check-ins a check-in task can need (the schema's largest target). */
export const MAX_TASK_TARGET = 100;

/**
 * Where a check-in task's progress comes from: the member's own check-ins (made-up days
 * excluded) within the task's period — today, this week, or since the task (or the
 * member) began. No counter is kept for them, so a check-in writes nothing for tasks.
 */
export function checkinWindowStart(task: TaskDefinition, today: BusinessDay, registeredDay: BusinessDay): BusinessDay {
  const period = periodKey(task.kind, today);
  const periodStart = task.kind === 'daily' ? today : task.kind === 'weekly' ? period.slice('week-'.length) : registeredDay;
  return max([periodStart, registeredDay, task.activeFrom ?? '']) as BusinessDay;
}

/** Check-ins (days, newest first, at most `MAX_TASK_TARGET` of them) counted towards the task, capped at its target. */
export function checkinTaskCount(
  task: TaskDefinition,
  checkinDays: readonly BusinessDay[],
  today: BusinessDay,
  registeredDay: BusinessDay,
): number {
  const from = checkinWindowStart(task, today, registeredDay);
  return Math.min(task.target, checkinDays.filter((day) => day >= from && day <= today).length);
}
