import type { TaskDefinition } from '../config/tasks';
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
