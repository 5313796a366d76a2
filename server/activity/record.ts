import { type ActivityCounts, activityId, dayKey } from '../../core/activity/rollup';
import { type LifecycleConfig, LIFECYCLE_CONFIG } from '../../core/config/lifecycle';
import { extendRun, nextStage, runLength } from '../../core/lifecycle/stage';
import { beijingDay } from '../../core/time/beijing';
import type { MemberDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { type Tx, inTransaction, insertOnce, txGet, updatedCount } from '../platform/db';
import { recordReward } from '../coupons/issue';
import { storeTransition } from '../lifecycle/transition';
import { loadConfig } from '../platform/config';

export interface Activity {
  counts: ActivityCounts;
  /** A product the member looked at (the high-intent tag). */
  viewed?: string;
  /** A member action beyond opening the app: ends the potential stage. */
  action?: boolean;
  /** The caller already counted the day in its own transaction (`touchDayInTx`). */
  dayCounted?: boolean;
}

/**
 * Records server-verified activity: bumps today's counters in the member's monthly rollup
 * and, on the first activity of a Beijing day (or the first action), moves the member's
 * active-day run and lifecycle stage (see `touchDay`).
 */
export async function recordActivity(ctx: ServerContext, member: MemberDoc, activity: Activity): Promise<void> {
  const now = ctx.clock.now();
  const today = beijingDay(now);
  await bumpRollup(ctx, member.openid, today, activity);
  if (!activity.dayCounted && dayNeedsTouch(member, today, activity.action ?? false))
    await touchDay(ctx, member.openid, today, activity.action ?? false, now);
}

const dayNeedsTouch = (m: MemberDoc, today: string, action: boolean) => m.lastActiveDay !== today || (action && !m.firstActionDay);

async function bumpRollup(ctx: ServerContext, openid: string, today: string, { counts, viewed }: Activity): Promise<void> {
  const _ = ctx.db.command;
  const id = activityId(openid, today);
  const path = `days.${dayKey(today)}`;
  const data: Record<string, unknown> = Object.fromEntries(Object.entries(counts).map(([k, v]) => [`${path}.${k}`, _.inc(v)]));
  if (viewed) data[`${path}.viewed`] = _.addToSet(viewed);
  if (!Object.keys(data).length) return;
  const updated = await updatedCount(ctx.db.collection('activity').where({ _id: id }).update({ data }));
  if (updated === 1) return;
  const fresh = {
    _id: id,
    openid,
    month: today.slice(0, 7),
    days: { [dayKey(today)]: { ...counts, ...(viewed ? { viewed: [viewed] } : {}) } },
  };
  // Two first activities of a month race here: the loser's insert fails and it increments.
  if (!(await insertOnce(ctx.db, 'activity', fresh))) await ctx.db.collection('activity').doc(id).update({ data });
}

/**
 * The member's first activity today (or first action), inside the caller's transaction
 * on the member `m` it read: extends the active-day run, counts the day, stores the
 * lifecycle transition it brings (first action, habit formed, woke up, returned), and on
 * the 3rd consecutive active day grants the exclusive coupon — once per member, by the
 * reward's id. Returns the member fields to write (none if today is already counted).
 */
export async function touchDayInTx(
  ctx: ServerContext,
  tx: Tx,
  m: MemberDoc,
  today: string,
  action: boolean,
  now: Date,
  config: LifecycleConfig,
): Promise<Record<string, unknown>> {
  if (!dayNeedsTouch(m, today, action)) return {};
  const newDay = m.lastActiveDay !== today;
  const run = extendRun(m.activeRun ?? null, today);
  const facts = {
    stage: m.stage ?? 'potential',
    firstActionDay: m.firstActionDay ?? (action ? today : null),
    activeDays: (m.activeDays ?? 0) + (newDay ? 1 : 0),
    lastActiveDay: today,
  };
  const update: Record<string, unknown> = {
    lastActiveDay: today,
    lastSeenAt: now,
    activeDays: facts.activeDays,
    activeRun: run,
    firstActionDay: facts.firstActionDay,
  };
  const transition = nextStage(facts, today, config);
  if (transition) Object.assign(update, await storeTransition(tx, m.openid, transition, today, now));
  if (runLength(run) >= 3 && !m.activeStreakRewarded && config.activeStreakCouponKey) {
    const title = '连续3天专属限量券';
    await recordReward(ctx, tx, {
      _id: `lifecycle:active3:${m.openid}`,
      openid: m.openid,
      source: 'lifecycle-active3',
      title,
      reward: { type: 'coupon', couponKey: config.activeStreakCouponKey, title },
      at: now,
    });
    update['activeStreakRewarded'] = true;
  }
  return update;
}

/** `touchDayInTx` in a transaction of its own; re-read inside it, so racing first requests count the day once. */
async function touchDay(ctx: ServerContext, openid: string, today: string, action: boolean, now: Date): Promise<void> {
  const config = await loadConfig(ctx, LIFECYCLE_CONFIG);
  await inTransaction(ctx.db, async (tx) => {
    const update = await touchDayInTx(ctx, tx, await txGet(tx, 'members', openid), today, action, now, config);
    if (Object.keys(update).length) await tx.collection('members').doc(openid).update({ data: update });
  });
}
