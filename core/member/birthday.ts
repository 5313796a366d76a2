import { z } from 'zod';
import type { BusinessDay } from '../time/beijing';

/** A birthday as members give it: month and day, `MM-DD` (02-29 allowed). */
export const birthdaySchema = z
  .string()
  .regex(/^\d{2}-\d{2}$/)
  .refine((md) => !Number.isNaN(Date.parse(`2024-${md}T00:00:00Z`)) && new Date(`2024-${md}T00:00:00Z`).toISOString().slice(5, 10) === md, {
    message: 'not a calendar day',
  });

const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** The Beijing day a birthday falls on in `year`: 02-29 is kept on 02-28 in other years. */
export function birthdayIn(birthday: string, year: number): BusinessDay {
  const md = birthday === '02-29' && !isLeap(year) ? '02-28' : birthday;
  return `${year}-${md}`;
}

export function isBirthday(birthday: string | null | undefined, today: BusinessDay): boolean {
  return !!birthday && birthdayIn(birthday, Number(today.slice(0, 4))) === today;
}

/**
 * How many times the day's earned points count: the larger of the newbie and birthday
 * multipliers that apply — they do not stack (a newbie on their birthday earns ×2, not ×4),
 * so no day is worth more than its best reason.
 */
export function earningMultiplier(reasons: { newbie: number | null; birthday: number | null }): number {
  return Math.max(1, reasons.newbie ?? 1, reasons.birthday ?? 1);
}
