import type { TrackResult } from '../../typings/api';
import type { MemberDoc, ReminderDoc } from '../../typings/documents';
import { recordActivity } from '../activity/record';
import type { ServerContext } from '../platform/context';
import { findDocs, updatedCount } from '../platform/db';
import { loadConfig } from '../platform/config';
import { REMINDERS_CONFIG } from '../../core/config/reminders';

/**
 * The member opened the mini-program from a reminder (its page carries
 * `from=reminder&campaign=`): marks their latest reminder of that campaign sent within `openAttributionDays` opened,
 * once, for the funnel and experiment readouts. Only the member's own reminders can be
 * marked: identity is the caller's.
 */
export async function reminderOpened(ctx: ServerContext, member: MemberDoc, campaign: string): Promise<TrackResult> {
  const now = ctx.clock.now();
  const { openAttributionDays } = await loadConfig(ctx, REMINDERS_CONFIG);
  const [latest] = await findDocs<ReminderDoc>(
    ctx.db.collection('reminders').where({ openid: member.openid, campaign, status: 'sent' }).orderBy('at', 'desc').limit(1),
  );
  if (!latest || now.getTime() - new Date(latest.at).getTime() > openAttributionDays * 86_400_000)
    return { counted: false, reason: 'no_reminder' };
  const marked = await updatedCount(
    ctx.db
      .collection('reminders')
      .where({ _id: latest._id, openedAt: null })
      .update({ data: { openedAt: now } }),
  );
  if (marked !== 1) return { counted: false, reason: 'duplicate' };
  await recordActivity(ctx, member, { counts: { reminderOpen: 1 } });
  return { counted: true, reason: null };
}
