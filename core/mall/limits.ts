import type { MallItem } from './catalogue';
import { periodKey } from '../tasks/period';
import type { BusinessDay } from '../time/beijing';
import type { RedeemCounts } from '../../typings/documents';

type Period = NonNullable<MallItem['limit']['perPeriod']>['period'];

/** The key of the limit period `today` falls in: the day, the Monday-started week, the month. */
export function limitPeriodKey(period: Period, today: BusinessDay): string {
  if (period === 'month') return `month-${today.slice(0, 7)}`;
  return periodKey(period === 'day' ? 'daily' : 'weekly', today);
}

export type { RedeemCounts };

/** Whether one more redemption would break the item's per-member limits. */
export function limitReached(limit: MallItem['limit'], counts: RedeemCounts | undefined, today: BusinessDay): boolean {
  if (!counts) return false;
  if (limit.lifetime !== undefined && counts.lifetime >= limit.lifetime) return true;
  const per = limit.perPeriod;
  return per !== undefined && counts.period.key === limitPeriodKey(per.period, today) && counts.period.count >= per.count;
}

/** The counts after one more redemption today. */
export function countedOnce(limit: MallItem['limit'], counts: RedeemCounts | undefined, today: BusinessDay): RedeemCounts {
  const key = limit.perPeriod ? limitPeriodKey(limit.perPeriod.period, today) : 'none';
  const samePeriod = counts?.period.key === key;
  return { lifetime: (counts?.lifetime ?? 0) + 1, period: { key, count: (samePeriod ? (counts?.period.count ?? 0) : 0) + 1 } };
}

/**
 * The counts after a redemption made on `redeemedDay` is cancelled: it no longer counts,
 * towards the lifetime limit nor — while its period is still the counted one — the period's.
 */
export function countedBack(limit: MallItem['limit'], counts: RedeemCounts, redeemedDay: BusinessDay): RedeemCounts {
  const key = limit.perPeriod ? limitPeriodKey(limit.perPeriod.period, redeemedDay) : 'none';
  const samePeriod = counts.period.key === key;
  return {
    lifetime: Math.max(0, counts.lifetime - 1),
    period: { key: counts.period.key, count: Math.max(0, counts.period.count - (samePeriod ? 1 : 0)) },
  };
}

export function limitText(limit: MallItem['limit']): string | null {
  const parts: string[] = [];
  if (limit.lifetime !== undefined) parts.push(`每人限兑${limit.lifetime}次`);
  if (limit.perPeriod) parts.push(`每${{ day: '天', week: '周', month: '月' }[limit.perPeriod.period]}限兑${limit.perPeriod.count}次`);
  return parts.length ? parts.join('，') : null;
}
