import type { BusinessDay } from '../time/beijing';

/**
 * Points earned on `day` expire at the end of the 12th month after the month they were
 * earned in (docs/rules.md decision; `months` is configurable): earned 2026-03-15 → valid
 * through 2027-03-31. Returns the last valid day.
 */
export const POINTS_VALID_MONTHS = 12;

export function expiryDay(day: BusinessDay, months = POINTS_VALID_MONTHS): BusinessDay {
  const [year, month] = day.split('-').map(Number) as [number, number];
  const lastMonthIndex = year * 12 + (month - 1) + months;
  const y = Math.floor(lastMonthIndex / 12);
  const m = (lastMonthIndex % 12) + 1;
  const lastDate = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${y}-${String(m).padStart(2, '0')}-${String(lastDate).padStart(2, '0')}`;
}
