import { addDays, beijingDay, beijingHour } from '../../core/time/beijing';
import type { ServerContext } from '../platform/context';
import { releaseAbandonedHolds } from '../mall/holds';
import { settleDuePayOrders } from '../pay/settle';
import { type SweepCounts, failDueGroups } from '../group/sweep';
import { payDueCommissions } from '../distribution/commissions';
import { refreshDailyStats } from '../ops/dashboard';
import { continueOffers } from '../offers/offers';
import { expireMemberPoints } from '../points/expire';
import { runReminders } from '../reminders/run';
import { loadRetentionSetup, refitChurnModelIfDue, retentionPage } from '../lifecycle/nightly';
import { finishNight } from '../lifecycle/night-end';
import { type JobSummary, forEachMemberPage, jobSummary } from '../platform/jobs';
import { reviewMemberTier } from '../tiers/review';
import { giveBirthdayPack } from '../tiers/birthday';
import { loadConfig } from '../platform/config';
import { TIERS_CONFIG } from '../../core/config/tiers';
import { updatedCount } from '../platform/db';

/** The night's work starts at this Beijing hour; earlier firings only finish yesterday's. */
const START_HOUR = 2;
const CHUNK = { pageSize: 200, budgetMs: 45_000 };

/**
 * The `timer` function fires every 10 minutes (trigger `tick`); each firing continues tonight's
 * pass over all members where the last one stopped (each invocation stays well under the
 * 60 s limit) and does nothing once it is done. Per member: expire points, zero a broken
 * streak on the leaderboard, review the tier (warning, protection period, downgrade —
 * server/tiers/review.ts), give a birthday pack on the birthday, and the retention work (churn risk, segment, tags, lifecycle
 * transition — server/lifecycle/nightly.ts). The week's first firing refits the churn model
 * instead; the firing that completes the pass stores the day's segment metrics, alerts and
 * thresholds. Every firing also releases stock held by abandoned redemptions, expires unpaid
 * WeChat Pay orders and retries failing refunds (server/pay/settle.ts), fails groups past
 * their deadline and refunds their paid seats (server/group/sweep.ts), pays share
 * commissions whose refund window has passed (server/distribution/commissions.ts), recounts
 * today's figures for the operations center (server/ops/dashboard.ts), goes on issuing
 * targeted offers (server/offers/offers.ts), and continues
 * the day's reminder passes (see server/reminders/run.ts).
 */
export async function tick(ctx: ServerContext): Promise<TickSummary> {
  const now = ctx.clock.now();
  const today = beijingDay(now);
  const abandonedRedemptions = await releaseAbandonedHolds(ctx);
  const payOrders = await settleDuePayOrders(ctx);
  const groups = await failDueGroups(ctx);
  const commissions = await payDueCommissions(ctx);
  await refreshDailyStats(ctx);
  await continueOffers(ctx);
  const reminders = jobSummary(await runReminders(ctx));
  const summary = {
    day: today,
    abandonedRedemptions,
    payOrders,
    groups,
    commissions,
    reminders,
    churnModelRefitted: false,
    members: null,
    night: null,
  };
  if (beijingHour(now) < START_HOUR) return summary;
  if (await refitChurnModelIfDue(ctx, today)) return { ...summary, churnModelRefitted: true };
  const yesterday = addDays(today, -1);
  const [setup, tiers] = await Promise.all([loadRetentionSetup(ctx, today), loadConfig(ctx, TIERS_CONFIG)]);
  const _ = ctx.db.command;
  const members = await forEachMemberPage(ctx, `members:${today}`, CHUNK, async (page) => {
    const stats: Record<string, number> = { expiredPoints: 0, membersWithExpiry: 0, brokenStreaks: 0 };
    for (const member of page) {
      const expired = await expireMemberPoints(ctx, member.openid, today);
      stats['expiredPoints']! += expired;
      stats['membersWithExpiry']! += expired > 0 ? 1 : 0;
      if (member.streak && member.streak.end < yesterday) {
        // Conditional on the stale end: a check-in racing this write keeps its new streak.
        const res = await updatedCount(
          ctx.db
            .collection('members')
            .where({ _id: member.openid, boardEnd: _.lt(yesterday), boardStreak: _.gt(0) })
            .update({ data: { boardStreak: 0 } }),
        );
        stats['brokenStreaks']! += res;
      }
      const review = await reviewMemberTier(ctx, member, tiers, today);
      if (review !== 'keep') stats[`tier.${review}`] = (stats[`tier.${review}`] ?? 0) + 1;
      if (await giveBirthdayPack(ctx, member, tiers, today)) stats['birthdayPacks'] = (stats['birthdayPacks'] ?? 0) + 1;
    }
    return { ...stats, ...(await retentionPage(ctx, setup, page)) };
  });
  const night = members.done ? await finishNight(ctx, members, today, setup.config) : null;
  return { ...summary, members: jobSummary(members), night };
}

/** What a firing reports (to the platform's logs): counts only, never member ids or cursors. */
export interface TickSummary {
  day: string;
  abandonedRedemptions: number;
  payOrders: { expired: number; paidLate: number; refundsRetried: number };
  groups: SweepCounts;
  commissions: { paid: number; cancelled: number };
  reminders: JobSummary | null;
  churnModelRefitted: boolean;
  members: JobSummary | null;
  night: { alerts: number } | null;
}
