import { type RemindersConfig, type Variant, isQuietHour } from '../../core/config/reminders';
import { buildPayload } from '../../core/reminders/payload';
import { type Due, type Pass, dueReminder, withinCap } from '../../core/reminders/select';
import { HOLDOUT, assignArm } from '../../core/experiments/assign';
import { addDays, beijingDay, beijingHour } from '../../core/time/beijing';
import type { MemberDoc, ReminderDoc, SubscriptionDoc } from '../../typings/documents';
import type { ServerContext } from '../context';
import { findOne, inTransaction, insertOnce, isDuplicateWrite } from '../db';
import { recordReward } from '../coupons/issue';
import { reserveGift } from './gift';
import { type JobDoc, forEachMember } from '../jobs/chunked';
import { loadRemindersConfig } from './subscriptions';

/** How a function reaches `subscribeMessage.send`; the platform's errcode, 0 for sent. */
export type SendMessage = (message: { touser: string; templateId: string; page: string; data: Record<string, { value: string }> }) => Promise<number>;

/** `subscribeMessage.send` through wx-server-sdk, which throws on a non-zero errcode. */
export function openapiSender(send: (message: object) => Promise<unknown>): SendMessage {
  return async (message) => {
    try {
      await send(message);
      return 0;
    } catch (err) {
      const e = err as { errCode?: unknown; errMsg?: unknown; message?: unknown };
      if (typeof e.errCode === 'number' && e.errCode !== 0) return e.errCode;
      const match = /errCode[":\s]+(-?\d+)|fail (\d+)/.exec(`${e.errMsg ?? ''} ${e.message ?? ''}`);
      return Number(match?.[1] ?? match?.[2] ?? -1);
    }
  };
}

const CHUNK = { pageSize: 500, budgetMs: 45_000 };
const PAGE = 'pages/home/index';

/**
 * The reminder passes, run by each timer firing: from `dayHour` the absence reminders,
 * from `eveningHour` the streak reminders, each a resumable walk over all members (cursor
 * in `jobs`). Per member at most one message a day, within the segment's cap, against a
 * consent credit, outside quiet hours; the reminder record
 * `reminders/<openid>:<campaign>:<occasion>` is written before sending, so a re-run never
 * sends an occasion twice.
 */
export async function runReminders(ctx: ServerContext, send: SendMessage): Promise<JobDoc | null> {
  const config = await loadRemindersConfig(ctx);
  const now = ctx.clock.now();
  const hour = beijingHour(now);
  if (isQuietHour(config, hour)) return null;
  const pass: Pass | null = hour >= config.eveningHour ? 'evening' : hour >= config.dayHour ? 'day' : null;
  if (!pass) return null;
  const today = beijingDay(now);
  return forEachMember(ctx, `reminders-${pass}:${today}`, CHUNK, async (member) => {
    const due = dueReminder({ streak: member.streak, lastSeenDay: beijingDay(new Date(member.lastSeenAt)), tags: member.tags }, today, pass, config);
    return due ? { [await remind(ctx, config, send, member, due, today)]: 1 } : {};
  });
}

/** The experiment arm of a member for a due reminder, and its variant (if the arm is one). */
function armFor(config: RemindersConfig, member: MemberDoc, due: Due): { experiment: string | null; arm: string | null; variant?: Variant | undefined } {
  const experiment = config.campaigns[due.campaign].experiment;
  if (!experiment) return { experiment: null, arm: null };
  const arm = assignArm(experiment, member.openid);
  return { experiment: experiment.id, arm, variant: experiment.variants.find((v) => v.key === arm) };
}

/** One reminder for one member; returns what happened, for the job's counts. */
async function remind(ctx: ServerContext, config: RemindersConfig, send: SendMessage, member: MemberDoc, due: Due, today: string): Promise<string> {
  const id = `${member.openid}:${due.campaign}:${due.occasion}`;
  // Members stay due day after day until they return; the record says this occasion had its turn.
  if (await findOne(ctx.db, 'reminders', id)) return 'skipped:already';
  const { experiment, arm, variant } = armFor(config, member, due);
  const record: ReminderDoc = { _id: id, openid: member.openid, campaign: due.campaign, occasion: due.occasion, day: today, at: ctx.clock.now(), status: 'sending', reason: null, experiment, arm, openedAt: null };
  if (arm === HOLDOUT) return (await insertOnce(ctx.db, 'reminders', { ...record, status: 'holdout' })) ? 'holdout' : 'skipped:already';
  let fields = due.fields;
  // The coupon or gift pack is the point (the message only says it is there), so it comes
  // first and regardless of consent; its id (the reminder's) makes a re-run add nothing.
  if (due.campaign === 'coupon-15') {
    const title = '回归专享50元无门槛券';
    const reward = { type: 'coupon' as const, couponKey: variant?.couponKey ?? config.campaigns['coupon-15'].couponKey, title };
    await inTransaction(ctx.db, (tx) => recordReward(ctx, tx, { _id: `reminder:${id}`, openid: member.openid, source: 'reminder-coupon-15', title, reward, at: ctx.clock.now() })).catch((err: unknown) => {
      if (!isDuplicateWrite(err)) throw err;
    });
  } else if (due.campaign === 'return-gift') {
    const campaign = config.campaigns['return-gift'];
    const gift = await reserveGift(ctx, member, id, { ...campaign.pack, couponKey: variant?.couponKey ?? campaign.pack.couponKey }, campaign.validDays, today);
    if (gift.recommendation) fields = { ...fields, thing3: `你看过的${gift.recommendation.title}还在` };
  }
  if (variant?.note) fields = { ...fields, thing3: variant.note };

  if (!(await insertOnce(ctx.db, 'reminders', record))) return 'skipped:already';
  const finish = async (status: ReminderDoc['status'], reason: string | null) => {
    await ctx.db.collection('reminders').doc(id).update({ data: { status, reason } });
    return status === 'sent' ? 'sent' : `${status}:${reason}`;
  };

  const templateId = config.templates[due.template];
  const subscription = await findOne<SubscriptionDoc>(ctx.db, 'subscriptions', member.openid);
  if (!subscription || (subscription.credits[templateId] ?? 0) < 1) return finish('skipped', 'no_consent');
  const lastSeen = beijingDay(new Date(member.lastSeenAt));
  if (subscription.sentDays.includes(today)) return finish('skipped', 'one_per_day');
  if (!withinCap(subscription.sentDays, lastSeen, today, config)) return finish('skipped', 'capped');

  // Spend the credit and claim today's slot in one conditional update: a concurrent pass cannot do the same.
  const _ = ctx.db.command;
  const sentDays = [...subscription.sentDays.filter((d) => d >= addDays(today, -60)), today];
  const claimed = (await ctx.db
    .collection('subscriptions')
    .where({ _id: member.openid, [`credits.${templateId}`]: _.gte(1), sentDays: _.neq(today) })
    .update({ data: { [`credits.${templateId}`]: _.inc(-1), sentDays } })) as { stats: { updated: number } };
  if (claimed.stats.updated !== 1) return finish('skipped', 'no_consent');

  const errcode = await send({ touser: member.openid, templateId, page: `${PAGE}?from=reminder&campaign=${due.campaign}`, data: buildPayload(fields) });
  if (errcode === 0) return finish('sent', null);
  if (errcode === 43101) {
    // The platform says there is no credit: believe it.
    await ctx.db.collection('subscriptions').doc(member.openid).update({ data: { [`credits.${templateId}`]: 0 } });
  }
  ctx.log.error('subscribe message refused', { openid: member.openid, campaign: due.campaign, errcode });
  return finish('failed', String(errcode));
}
