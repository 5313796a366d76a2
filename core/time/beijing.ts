import type { BusinessDay } from '../../typings/vocabulary';

/**
 * Beijing business time. Cloud functions run in UTC; every "day" rule of the product is
 * an Asia/Shanghai calendar day. China has no daylight saving time, so the offset is fixed.
 */
export const BEIJING_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

export type { BusinessDay };

export function beijingDay(instant: Date): BusinessDay {
  return new Date(instant.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** The hour of the day (0–23) in Beijing. */
export function beijingHour(instant: Date): number {
  return new Date(instant.getTime() + BEIJING_OFFSET_MS).getUTCHours();
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

/** A real calendar day written `YYYY-MM-DD` (rejects 2026-02-30). */
export function isBusinessDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const time = Date.parse(`${text}T00:00:00Z`);
  // Month 13 parses to NaN; 02-30 parses to 03-02: both are refused.
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === text;
}

/** First and last day of a `YYYY-MM` month. */
export function monthRange(month: string): { first: BusinessDay; last: BusinessDay } {
  const first = `${month}-01`;
  return { first, last: addDays(`${nextMonth(month)}-01`, -1) };
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** `yyyyMMddHHmmss` in Beijing time: how WeChat Pay writes times (`time_expire`, `time_end`). */
export function wechatPayTime(instant: Date): string {
  return new Date(instant.getTime() + BEIJING_OFFSET_MS).toISOString().replace(/\D/g, '').slice(0, 14);
}

/** The instant a WeChat Pay time (`yyyyMMddHHmmss`, Beijing) names, or null if it is not one. */
export function fromWechatPayTime(text: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  const at = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}+08:00`);
  return Number.isNaN(at.getTime()) || wechatPayTime(at) !== text ? null : at;
}
