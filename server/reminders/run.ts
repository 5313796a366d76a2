import { type RemindersConfig, type Variant, isQuietHour, REMINDERS_CONFIG } from '../../core/config/reminders';
import { buildPayload } from '../../core/reminders/payload';
import { type Due, type MemberState, type Pass, dueReminder, withinCap } from '../../core/reminders/select';
import { HOLDOUT, assignArm } from '../../core/experiments/assign';
import { type BusinessDay, addDays, beijingDay, beijingHour } from '../../core/time/beijing';
import type { MemberDoc, ReminderDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { findAll, findOne, inTransaction, insertOnce, isDuplicateWrite, updatedCount } from '../platform/db';
import { recordReward } from '../coupons/issue';
import { isBenefitBirthday } from '../../core/member/birthday';
import { reserveGift } from './gift';
import { type JobDoc, forEachMember } from '../platform/jobs';
import { loadConfigs } from '../platform/config';
import { TIERS_CONFIG } from '../../core/config/tiers';

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
export async function runReminders(ctx: ServerContext): Promise<JobDoc | null> {
  const [config, tiers] = await loadConfigs(ctx, REMINDERS_CONFIG, TIERS_CONFIG);
  const now = ctx.clock.now();
  const hour = beijingHour(now);
  if (isQuietHour(config, hour)) return null;
  const pass: Pass | null = hour >= config.eveningHour ? 'evening' : hour >= config.dayHour ? 'day' : null;
  if (!pass) return null;
  const today = beijingDay(now);
  const stateOf = (m: MemberDoc) => memberState(m, today, tiers.birthdayNoticeDays);
  const scheduled = await sendScheduled(ctx, config, today, hour, stateOf);
  if (Object.keys(scheduled).length) ctx.log.info('scheduled reminders', scheduled);
  return forEachMember(ctx, `reminders-${pass}:${today}`, CHUNK, async (member) => {
    const due = dueReminder(stateOf(member), today, pass, config);
    return due ? { [await remind(ctx, config, member, due, today)]: 1 } : {};
  });
}

const memberState = (m: MemberDoc, today: BusinessDay, birthdayNoticeDays: number): MemberState => ({
  streak: m.streak,
  lastSeenDay: beijingDay(m.lastSeenAt),
  tags: m.tags,
  tierReview: m.tierReview,
  birthdayToday: isBenefitBirthday(m, today, birthdayNoticeDays),
});

/** The experiment arm of a member for a due reminder, and its variant (if the arm is one). */
function armFor(
  config: RemindersConfig,
  member: MemberDoc,
  due: Due,
): { experiment: string | null; arm: string | null; variant?: Variant | undefined } {
  const experiment = config.campaigns[due.campaign].experiment;
  if (!experiment) return { experiment: null, arm: null };
  const arm = assignArm(experiment, member.openid);
  return { experiment: experiment.id, arm, variant: experiment.variants.find((v) => v.key === arm) };
}

/** One reminder for one member; returns what happened, for the job's counts. */
async function remind(ctx: ServerContext, config: RemindersConfig, member: MemberDoc, due: Due, today: string): Promise<string> {
  const id = `${member.openid}:${due.campaign}:${due.occasion}`;
  // Members stay due day after day until they return; the record says this occasion had its turn.
  if (await findOne(ctx.db, 'reminders', id)) return 'skipped:already';
  const { experiment, arm, variant } = armFor(config, member, due);
  const record: ReminderDoc = {
    _id: id,
    openid: member.openid,
    campaign: due.campaign,
    occasion: due.occasion,
    day: today,
    at: ctx.clock.now(),
    status: 'sending',
    reason: null,
    experiment,
    arm,
    openedAt: null,
  };
  if (arm === HOLDOUT) return (await insertOnce(ctx.db, 'reminders', { ...record, status: 'holdout' })) ? 'holdout' : 'skipped:already';
  let fields = due.fields;
  // The coupon or gift pack is the point (the message only says it is there), so it comes
  // first and regardless of consent; its id (the reminder's) makes a re-run add nothing.
  if (due.campaign === 'coupon-15') {
    const title = '回归专享50元无门槛券';
    const reward = { type: 'coupon' as const, couponKey: variant?.couponKey ?? config.campaigns['coupon-15'].couponKey, title };
    await inTransaction(ctx.db, (tx) =>
      recordReward(ctx, tx, {
        _id: `reminder:${id}`,
        openid: member.openid,
        source: 'reminder-coupon-15',
        title,
        reward,
        at: ctx.clock.now(),
      }),
    ).catch((err: unknown) => {
      if (!isDuplicateWrite(err)) throw err;
    });
  } else if (due.campaign === 'return-gift') {
    const campaign = config.campaigns['return-gift'];
    const gift = await reserveGift(
      ctx,
      member,
      id,
      { ...campaign.pack, couponKey: variant?.couponKey ?? campaign.pack.couponKey },
      campaign.validDays,
      today,
    );
    if (gift.recommendation) fields = { ...fields, thing3: `你看过的${gift.recommendation.title}还在` };
  }
  if (variant?.note) fields = { ...fields, thing3: variant.note };
  if (variant?.sendHour !== undefined && variant.sendHour > beijingHour(ctx.clock.now())) {
    // A send-hour variant: the message waits for its hour (see sendScheduled).
    return (await insertOnce(ctx.db, 'reminders', { ...record, status: 'scheduled', sendHour: variant.sendHour, fields }))
      ? 'scheduled'
      : 'skipped:already';
  }
  if (!(await insertOnce(ctx.db, 'reminders', record))) return 'skipped:already';
  return deliver(ctx, config, member, { id, campaign: due.campaign, template: due.template, fields }, today);
}

/**
 * Sends reminders scheduled for an hour that has come (send-hour variants), each claimed
 * first (scheduled → sending), so racing firings send it once. A member who is no longer
 * due the same occasion — came back, checked in — gets nothing.
 */
async function sendScheduled(
  ctx: ServerContext,
  config: RemindersConfig,
  today: BusinessDay,
  hour: number,
  stateOf: (m: MemberDoc) => MemberState,
): Promise<Record<string, number>> {
  const _ = ctx.db.command;
  const counts: Record<string, number> = {};
  for (const r of await findAll<ReminderDoc>(ctx.db, 'reminders', { day: today, status: 'scheduled', sendHour: _.lte(hour) })) {
    const claimed = await updatedCount(
      ctx.db
        .collection('reminders')
        .where({ _id: r._id, status: 'scheduled' })
        .update({ data: { status: 'sending' } }),
    );
    if (claimed !== 1) continue;
    const member = await findOne(ctx.db, 'members', r.openid);
    const due = member ? dueReminder(stateOf(member), today, r.campaign === 'streak-evening' ? 'evening' : 'day', config) : null;
    const outcome =
      member && due && due.campaign === r.campaign && due.occasion === r.occasion
        ? await deliver(
            ctx,
            config,
            member,
            { id: r._id, campaign: due.campaign, template: due.template, fields: r.fields ?? due.fields },
            today,
          )
        : await finish(ctx, r._id, 'skipped', 'no_longer_due');
    counts[outcome] = (counts[outcome] ?? 0) + 1;
  }
  return counts;
}

async function finish(ctx: ServerContext, id: string, status: ReminderDoc['status'], reason: string | null): Promise<string> {
  await ctx.db.collection('reminders').doc(id).update({ data: { status, reason } });
  return status === 'sent' ? 'sent' : `${status}:${reason}`;
}

/**
 * The message of a recorded reminder: consent, one a day, the cap, the credit, the send. A
 * notice (`notice: true`: the result of the member's own action, which they subscribed to
 * when they took it) needs only the credit — it neither counts towards nor is held back by
 * the reminders' daily slot and caps.
 */
export async function deliver(
  ctx: ServerContext,
  config: RemindersConfig,
  member: Pick<MemberDoc, 'openid' | 'lastSeenAt'>,
  message: { id: string; campaign: string; template: Due['template']; fields: Due['fields']; page?: string },
  today: BusinessDay,
  notice = false,
): Promise<string> {
  const { id, fields } = message;
  const templateId = config.templates[message.template];
  const subscription = await findOne(ctx.db, 'subscriptions', member.openid);
  if (!subscription || (subscription.credits[templateId] ?? 0) < 1) return finish(ctx, id, 'skipped', 'no_consent');
  const lastSeen = beijingDay(member.lastSeenAt);
  if (!notice && subscription.sentDays.includes(today)) return finish(ctx, id, 'skipped', 'one_per_day');
  if (!notice && !withinCap(subscription.sentDays, lastSeen, today, config)) return finish(ctx, id, 'skipped', 'capped');

  // Spend the credit (and claim today's slot) in one conditional update: a concurrent pass cannot do the same.
  const _ = ctx.db.command;
  const sentDays = [...subscription.sentDays.filter((d) => d >= addDays(today, -60)), today];
  const claimed = await updatedCount(
    ctx.db
      .collection('subscriptions')
      .where({ _id: member.openid, [`credits.${templateId}`]: _.gte(1), ...(notice ? {} : { sentDays: _.neq(today) }) })
      .update({ data: { [`credits.${templateId}`]: _.inc(-1), ...(notice ? {} : { sentDays }) } }),
  );
  if (claimed !== 1) return finish(ctx, id, 'skipped', 'no_consent');

  const errcode = await ctx.send({
    touser: member.openid,
    templateId,
    page: `${message.page ?? PAGE}${(message.page ?? PAGE).includes('?') ? '&' : '?'}from=reminder&campaign=${message.campaign}`,
    data: buildPayload(fields),
  });
  if (errcode === 0) return finish(ctx, id, 'sent', null);
  if (errcode === 43101) {
    // The platform says there is no credit: believe it.
    await ctx.db
      .collection('subscriptions')
      .doc(member.openid)
      .update({ data: { [`credits.${templateId}`]: 0 } });
  }
  ctx.log.error('subscribe message refused', { openid: member.openid, campaign: message.campaign, errcode });
  return finish(ctx, id, 'failed', String(errcode));
}
