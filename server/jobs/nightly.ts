import { addDays, beijingDay, beijingHour } from '../../core/time/beijing';
import type { ServerContext } from '../context';
import { releaseAbandonedRedemptions } from '../mall/redeem';
import { expireMemberPoints } from '../points/expire';
import { type SendMessage, runReminders } from '../reminders/run';
import { type JobDoc, forEachMember } from './chunked';

/** The night's work starts at this Beijing hour; earlier firings only finish yesterday's. */
const START_HOUR = 2;
const CHUNK = { pageSize: 200, budgetMs: 45_000 };

/**
 * The `nightly` timer function fires every 10 minutes; each firing continues tonight's
 * pass over all members where the last one stopped (each invocation stays well under the
 * 60 s limit) and does nothing once it is done. Per member: expire points, zero a broken
 * streak on the leaderboard. Every firing also releases stock held by abandoned redemptions
 * and continues the day's reminder passes (see server/reminders/run.ts).
 */
export async function runNightly(ctx: ServerContext, send: SendMessage): Promise<{ day: string; abandonedRedemptions: number; reminders: JobDoc | null; jobs: JobDoc[] }> {
  const now = ctx.clock.now();
  const today = beijingDay(now);
  const abandonedRedemptions = await releaseAbandonedRedemptions(ctx);
  const reminders = await runReminders(ctx, send);
  if (beijingHour(now) < START_HOUR) return { day: today, abandonedRedemptions, reminders, jobs: [] };
  const yesterday = addDays(today, -1);
  const _ = ctx.db.command;
  const members = await forEachMember(ctx, `members:${today}`, CHUNK, async (member) => {
    const expired = await expireMemberPoints(ctx, member.openid, today);
    let brokenStreaks = 0;
    if (member.streak && member.streak.end < yesterday) {
      // Conditional on the stale end: a check-in racing this write keeps its new streak.
      const res = (await ctx.db.collection('streakBoard').where({ _id: member.openid, end: _.lt(yesterday), streak: _.gt(0) }).update({ data: { streak: 0 } })) as { stats: { updated: number } };
      brokenStreaks = res.stats.updated;
    }
    return { expiredPoints: expired, membersWithExpiry: expired > 0 ? 1 : 0, brokenStreaks };
  });
  return { day: today, abandonedRedemptions, reminders, jobs: [members] };
}
