import { beijingDay } from '../../core/time/beijing';
import type { ServerContext } from '../context';
import { expireMemberPoints } from '../points/expire';
import { type JobDoc, forEachMember } from './chunked';

/** The night's work starts at this Beijing hour; earlier firings only finish yesterday's. */
const START_HOUR = 2;
const CHUNK = { pageSize: 200, budgetMs: 45_000 };

/**
 * The `nightly` timer function fires every 10 minutes; each firing continues tonight's
 * jobs where the last one stopped (each invocation stays well under the 60 s limit) and
 * does nothing once they are done.
 */
export async function runNightly(ctx: ServerContext): Promise<{ day: string; jobs: JobDoc[] }> {
  const now = ctx.clock.now();
  const beijingHour = (now.getUTCHours() + 8) % 24;
  const today = beijingDay(now);
  if (beijingHour < START_HOUR) return { day: today, jobs: [] };
  const expiry = await forEachMember(ctx, `points-expiry:${today}`, CHUNK, async (member) => {
    const expired = await expireMemberPoints(ctx, member.openid, today);
    return { expiredPoints: expired, membersWithExpiry: expired > 0 ? 1 : 0 };
  });
  return { day: today, jobs: [expiry] };
}
