import { z } from 'zod';
import { type BusinessDay, addDays } from '../time/beijing';

/** A birthday as members give it: month and day, `MM-DD` (02-29 allowed). */
export const birthdaySchema = z.lazy(() =>
  z
    .string()
    .regex(/^\d{2}-\d{2}$/)
    .refine(
      (md) => !Number.isNaN(Date.parse(`2024-${md}T00:00:00Z`)) && new Date(`2024-${md}T00:00:00Z`).toISOString().slice(5, 10) === md,
      {
        message: 'not a calendar day',
      },
    ),
);

const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** The Beijing day a birthday falls on in `year`: 02-29 is kept on 02-28 in other years. */
export function birthdayIn(birthday: string, year: number): BusinessDay {
  const md = birthday === '02-29' && !isLeap(year) ? '02-28' : birthday;
  return `${year}-${md}`;
}

function isBirthday(birthday: string | null | undefined, today: BusinessDay): boolean {
  return !!birthday && birthdayIn(birthday, Number(today.slice(0, 4))) === today;
}

/** A member's birthday as stored: `MM-DD`, and the Beijing day it was given. */
export interface GivenBirthday {
  birthday?: string | null | undefined;
  /** Absent on birthdays stored before it was kept: they count as given on `registeredDay`. */
  birthdaySetDay?: BusinessDay | null | undefined;
  registeredDay: BusinessDay;
}

/**
 * The first birthday (a Beijing day) whose benefits the member gets: the first one at least
 * `noticeDays` after the day it was given — so a birthday given today, or set to tomorrow,
 * pays out next year, not at once. A birthday stored before its day was kept counts as
 * given on the registration day, the earliest it can have been: members who gave it long
 * ago keep their benefits. Null when no birthday was given.
 */
export function firstBenefitBirthday(member: GivenBirthday, noticeDays: number): BusinessDay | null {
  if (!member.birthday) return null;
  const from = addDays(member.birthdaySetDay ?? member.registeredDay, noticeDays);
  const year = Number(from.slice(0, 4));
  const thatYear = birthdayIn(member.birthday, year);
  return thatYear >= from ? thatYear : birthdayIn(member.birthday, year + 1);
}

/** Today is the member's birthday and its benefits apply (the day's doubling, the pack, the greeting). */
export function isBenefitBirthday(member: GivenBirthday, today: BusinessDay, noticeDays: number): boolean {
  const first = firstBenefitBirthday(member, noticeDays);
  return first !== null && first <= today && isBirthday(member.birthday, today);
}

/**
 * How many times the day's earned points count: the larger of the newbie and birthday
 * multipliers that apply — they do not stack (a newbie on their birthday earns ×2, not ×4),
 * so no day is worth more than its best reason.
 */
export function earningMultiplier(reasons: { newbie: number | null; birthday: number | null }): number {
  return Math.max(1, reasons.newbie ?? 1, reasons.birthday ?? 1);
}
