/**
 * Beijing business time. Cloud functions run in UTC; every "day" rule of the product is
 * an Asia/Shanghai calendar day. China has no daylight saving time, so the offset is fixed.
 */
export const BEIJING_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** A Beijing calendar day, `YYYY-MM-DD`. */
export type BusinessDay = string;

export function beijingDay(instant: Date): BusinessDay {
  return new Date(instant.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a Beijing day begins (00:00 Beijing = 16:00 UTC the day before). */
export function startOfBeijingDay(day: BusinessDay): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - BEIJING_OFFSET_MS);
}

export function addDays(day: BusinessDay, days: number): BusinessDay {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: BusinessDay, to: BusinessDay): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}
