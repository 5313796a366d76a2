import type { CampaignKey } from '../../core/reminders/select';
import { beijingDay } from '../../core/time/beijing';
import type { ReminderDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { loadConfig } from '../platform/config';
import { REMINDERS_CONFIG } from '../../core/config/reminders';
import { findOne, insertOnce } from '../platform/db';
import { deliver } from './run';

/** A message answering something the member did (they subscribed when they did it). */
export interface Notice {
  campaign: CampaignKey;
  /** With member and campaign, the key: one occasion is told once, however often this is called. */
  occasion: string;
  template: 'groupResult';
  fields: Record<string, string | number>;
  /** The page the message opens. */
  page: string;
}

/**
 * Sends a notice — e.g. a group's result — once per occasion (the record is written
 * first), against the member's consent credit for its template; reminders' caps and daily
 * slot do not apply (see `deliver`). Returns what happened.
 */
export async function sendNotice(ctx: ServerContext, openid: string, notice: Notice): Promise<string> {
  const config = await loadConfig(ctx, REMINDERS_CONFIG);
  if (!config.campaigns[notice.campaign].enabled) return 'skipped:disabled';
  // Without consent there is nothing to send (and nothing to record: a re-run checks again).
  const subscription = await findOne(ctx.db, 'subscriptions', openid);
  if ((subscription?.credits[config.templates[notice.template]] ?? 0) < 1) return 'skipped:no_consent';
  const now = ctx.clock.now();
  const record: ReminderDoc = {
    _id: `${openid}:${notice.campaign}:${notice.occasion}`,
    openid,
    campaign: notice.campaign,
    occasion: notice.occasion,
    day: beijingDay(now),
    at: now,
    status: 'sending',
    reason: null,
    experiment: null,
    arm: null,
    openedAt: null,
  };
  if (!(await insertOnce(ctx.db, 'reminders', record))) return 'skipped:already';
  return deliver(ctx, config, { openid, lastSeenAt: now }, { id: record._id, ...notice }, record.day, true);
}
