import { type BusinessDay, addDays, daysBetween } from '../time/beijing';

/**
 * Per-member daily activity. Actions bump counters in `activity/<openid>:<yyyy-mm>`, one
 * document per member and month holding a bucket per day (`days.<dd>`), so the nightly
 * pass reads about four documents per member for 90 days instead of ninety.
 */
export type ActivityKind = 'open' | 'checkin' | 'task' | 'view' | 'redeem' | 'couponClaim' | 'reminderOpen' | 'writeOff' | 'spend';
export type ActivityCounts = Partial<Record<ActivityKind, number>>;
/** One day's bucket: counters, plus the products viewed (for the high-intent tag). */
export type DayBucket = ActivityCounts & { viewed?: string[] };

export interface ActivityDoc {
  _id: string;
  openid: string;
  /** `YYYY-MM`. */
  month: string;
  /** By day of month, `01`–`31`. */
  days: Record<string, DayBucket>;
}

export const activityId = (openid: string, day: BusinessDay) => `${openid}:${day.slice(0, 7)}`;
export const dayKey = (day: BusinessDay) => day.slice(8, 10);

/** Whether a member's rollup (the one for `day`'s month, if any) has a bucket for `day`. */
export const activeOn = (doc: ActivityDoc | undefined, day: BusinessDay): boolean => !!doc && dayKey(day) in doc.days;

/** The `YYYY-MM` months a window of `windowDays` ending `today` touches, oldest first. */
export function monthsOf(today: BusinessDay, windowDays: number): string[] {
  const months: string[] = [];
  for (let d = addDays(today, 1 - windowDays); d <= today; d = addDays(d, 1)) {
    const m = d.slice(0, 7);
    if (months[months.length - 1] !== m) months.push(m);
  }
  return months;
}

export interface ActiveDay {
  day: BusinessDay;
  /** Days since the window's first day. */
  offset: number;
  counts: DayBucket;
}

/** The member's active days in the `windowDays` ending `today`, oldest first. */
export function activeDays(docs: readonly ActivityDoc[], today: BusinessDay, windowDays: number): ActiveDay[] {
  const first = addDays(today, 1 - windowDays);
  const out: ActiveDay[] = [];
  for (const doc of docs) {
    for (const [dd, counts] of Object.entries(doc.days)) {
      const day = `${doc.month}-${dd}`;
      if (day < first || day > today) continue;
      out.push({ day, offset: daysBetween(first, day), counts });
    }
  }
  return out.sort((x, y) => x.offset - y.offset);
}

/** Products the member looked at, most viewing days first (ties: the latest viewed first). */
export function productsByViewDays(days: readonly ActiveDay[]): string[] {
  const seen = new Map<string, { days: number; last: number }>();
  for (const { offset, counts } of days)
    for (const product of counts.viewed ?? []) seen.set(product, { days: (seen.get(product)?.days ?? 0) + 1, last: offset });
  return [...seen].sort(([, a], [, b]) => b.days - a.days || b.last - a.last).map(([product]) => product);
}

/** A member's redemptions by day (`members.redeemDays`), kept on the member instead of the rollup. */
export type RedeemDays = { day: BusinessDay; redeem: number; couponClaim: number }[];

/** The member's redemptions by day after one more today (a coupon counts as a claim too), the days before `since` dropped. */
export function countRedemption(days: RedeemDays | undefined, today: BusinessDay, coupon: boolean, since: BusinessDay): RedeemDays {
  const kept = (days ?? []).filter((d) => d.day >= since && d.day !== today);
  const mine = days?.find((d) => d.day === today) ?? { day: today, redeem: 0, couponClaim: 0 };
  return [...kept, { day: today, redeem: mine.redeem + 1, couponClaim: mine.couponClaim + (coupon ? 1 : 0) }];
}

/**
 * The member's rollups with their redemptions by day put in: each day's `redeem` and
 * `couponClaim` is the larger of the two counts (a redemption that was the day's first
 * activity wrote its bucket in the rollup too; rollups from before `redeemDays` hold theirs).
 */
export function withRedeemDays(docs: readonly ActivityDoc[], openid: string, days: RedeemDays | undefined): ActivityDoc[] {
  if (!days?.length) return [...docs];
  const byMonth = new Map(docs.map((d) => [d.month, { ...d, days: { ...d.days } }]));
  for (const { day, redeem, couponClaim } of days) {
    const month = day.slice(0, 7);
    const doc = byMonth.get(month) ?? { _id: activityId(openid, day), openid, month, days: {} };
    const bucket = doc.days[dayKey(day)] ?? {};
    doc.days[dayKey(day)] = {
      ...bucket,
      redeem: Math.max(bucket.redeem ?? 0, redeem),
      couponClaim: Math.max(bucket.couponClaim ?? 0, couponClaim),
    };
    byMonth.set(month, doc);
  }
  return [...byMonth.values()];
}
