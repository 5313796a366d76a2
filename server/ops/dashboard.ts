import { z } from 'zod';
import { uniq } from 'lodash-es';
import { type ActivityDoc, activeOn, activityId, dayKey } from '../../core/activity/rollup';
import { type BusinessDay, addDays, beijingDay } from '../../core/time/beijing';
import { businessDaySchema } from '../../core/time/schema';
import type { DailyFigures, DashboardView, Funnels } from '../../typings/api';
import type { DailyStatsDoc, LedgerReason } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { findAll, findDocs, findIn } from '../platform/db';
import { requireRole } from '../platform/roles';
import { loadConfig } from '../platform/config';
import { CAMPAIGNS, REMINDERS_CONFIG } from '../../core/config/reminders';
import { action } from '../platform/router';
import type { AlertDoc, SegmentStatsDoc } from '../lifecycle/night-end';

type Grouped = { _id: string | null; n: number; total: number };

/** Ledger reasons that issue points (reversals and corrections are neither issued nor redeemed). */
const EARNED: LedgerReason[] = ['checkin', 'milestone', 'task', 'grant', 'gift', 'spend', 'commission'];

/**
 * A day's figures, counted from the day's own records through their `day` indexes (one
 * count or one grouped aggregate each, whatever the number of members): active members
 * (activity rollups with that day, and the day's new members — see `registeredOn`), new,
 * returned and churned members, check-ins, redemptions (their debits in the ledger: a free
 * item moves no points and is not among them), write-offs by store, points issued /
 * redeemed / expired, purchases and spend.
 */
async function dayFigures(ctx: ServerContext, day: BusinessDay): Promise<DailyFigures> {
  const _ = ctx.db.command;
  const $ = _.aggregate;
  const count = async (collection: string, where: Record<string, unknown>) =>
    ((await ctx.db.collection(collection).where(where).count()) as unknown as { total: number }).total;
  const grouped = async (collection: string, match: Record<string, unknown>, by: string, sum: string | number): Promise<Grouped[]> =>
    (
      (await ctx.db
        .collection(collection)
        .aggregate()
        .match(match)
        .group({ _id: by, n: $.sum(1), total: $.sum(sum) })
        .limit(1000)
        .end()) as unknown as { list: Grouped[] }
    ).list;
  const [withActivity, registered, transitions, returned, checkins, redemptions, writeOffs, points, spend, shown, tapped, sent, opened] =
    await Promise.all([
      count('activity', { month: day.slice(0, 7), [`days.${dayKey(day)}`]: _.exists(true) }),
      registeredOn(ctx, day),
      grouped('lifecycle', { day }, '$to', 1),
      count('lifecycle', { day, reason: _.in(['returned', 'woke up']) }),
      count('checkins', { day, kind: 'checkin' }),
      count('ledger', { day, reason: 'redemption', _id: ctx.db.RegExp({ regexp: '^redemption:' }) }),
      grouped('writeOffs', { day }, '$storeId', 1),
      grouped('ledger', { day }, '$reason', '$delta'),
      grouped('spendLedger', { day }, '$reason', '$amount'),
      count('funnel', { stage: 'checkin_popup_shown', day }),
      count('funnel', { stage: 'checkin_popup_tapped', day }),
      count('reminders', { day, status: 'sent' }),
      count('reminders', { day, status: 'sent', openedAt: _.neq(null) }),
    ]);
  const byReason = (reason: string) => points.find((p) => p._id === reason)?.total ?? 0;
  const issued = EARNED.reduce((sum, reason) => sum + byReason(reason), 0);
  return {
    activeMembers: withActivity + registered.withoutActivity,
    newMembers: registered.members,
    returnedMembers: returned,
    churnedMembers: transitions.find((t) => t._id === 'churned')?.n ?? 0,
    checkins,
    redemptions,
    writeOffs: writeOffs.reduce((s, w) => s + w.n, 0),
    writeOffsByStore: Object.fromEntries(writeOffs.map((w) => [String(w._id), w.n])),
    pointsIssued: issued,
    pointsRedeemed: -byReason('redemption'),
    pointsExpired: -byReason('expiry'),
    purchases: spend.find((s) => s._id === 'purchase')?.n ?? 0,
    spend: spend.reduce((s, line) => s + line.total, 0),
    popupShown: shown,
    popupTapped: tapped,
    remindersSent: sent,
    remindersOpened: opened,
    checkinsReturnedNextDay: null,
    remindersReturned: null,
  };
}

/**
 * The members registered on `day`, and how many of them have no activity recorded that
 * day: a screen that records no visit (我的, a shared deal's page) registered them, yet
 * registering is being active — so new members are always among the day's active ones.
 * One read of the day's new members and of their rollups.
 */
async function registeredOn(ctx: ServerContext, day: BusinessDay): Promise<{ members: number; withoutActivity: number }> {
  const members = await findAll<{ _id: string }>(ctx.db, 'members', { registeredDay: day });
  const rollups = await findIn<ActivityDoc>(
    ctx.db,
    'activity',
    '_id',
    members.map((m) => activityId(m._id, day)),
  );
  const active = new Set(rollups.filter((d) => activeOn(d, day)).map((d) => d.openid));
  return { members: members.length, withoutActivity: members.filter((m) => !active.has(m._id)).length };
}

/**
 * What a day's check-ins and reminders led to on the day after — known once that day is
 * over: of the day's checkers (and reminded members), how many were active the next day.
 * One read of the day's records and of the members' rollups, once per day.
 */
async function nextDayReturns(
  ctx: ServerContext,
  day: BusinessDay,
): Promise<Pick<DailyFigures, 'checkinsReturnedNextDay' | 'remindersReturned'>> {
  const next = addDays(day, 1);
  const [checkins, reminders] = await Promise.all([
    findAll<{ _id: string; openid: string }>(ctx.db, 'checkins', { day, kind: 'checkin' }),
    findAll<{ _id: string; openid: string }>(ctx.db, 'reminders', { day, status: 'sent' }),
  ]);
  const openids = uniq([...checkins, ...reminders].map((r) => r.openid));
  const rollups = await findIn<ActivityDoc>(
    ctx.db,
    'activity',
    '_id',
    openids.flatMap((o) => [activityId(o, day), activityId(o, next)]),
  );
  const docs = new Map(rollups.map((d) => [d._id, d]));
  const memberActiveOn = (openid: string, d: BusinessDay) => activeOn(docs.get(activityId(openid, d)), d);
  return {
    checkinsReturnedNextDay: checkins.filter((c) => memberActiveOn(c.openid, next)).length,
    remindersReturned: reminders.filter((r) => memberActiveOn(r.openid, day) || memberActiveOn(r.openid, next)).length,
  };
}

/**
 * The timer's part: today's figures so far (every firing, so the dashboard is at most one
 * firing behind) and, on the first firing of a day, yesterday's final ones. Each is one
 * `dailyStats/<day>` document the dashboard reads as is.
 */
export async function refreshDailyStats(ctx: ServerContext): Promise<void> {
  const now = ctx.clock.now();
  const today = beijingDay(now);
  const yesterday = addDays(today, -1);
  const [stored] = await findDocs<DailyStatsDoc>(ctx.db.collection('dailyStats').where({ _id: yesterday }).limit(1));
  const days = stored?.final ? [today] : [yesterday, today];
  for (const day of days) {
    const figures = await dayFigures(ctx, day);
    await ctx.db
      .collection('dailyStats')
      .doc(day)
      .set({ data: { day, figures, final: day !== today, at: now } });
  }
  if (stored?.final) return;
  // Yesterday is over, so the day before it now knows what came the next day.
  const before = addDays(today, -2);
  const returns = await nextDayReturns(ctx, before);
  await ctx.db
    .collection('dailyStats')
    .where({ _id: before })
    .update({
      data: { 'figures.checkinsReturnedNextDay': returns.checkinsReturnedNextDay, 'figures.remindersReturned': returns.remindersReturned },
    });
}

/**
 * The operations center's day: its figures against each of the 7 days before, the stage
 * distribution and segment sizes over the last 14 nights, the segment alerts, and the
 * reminder experiments running (their readouts are `experimentReadout`) — all from
 * documents the timer keeps (a handful of reads, whatever the number of members).
 */
export const dashboard = action(
  () => z.object({ day: businessDaySchema.optional() }).strict(),
  async (ctx, input): Promise<DashboardView> => {
    await requireRole(ctx, 'operator');
    const day = input.day ?? beijingDay(ctx.clock.now());
    const week = Array.from({ length: 8 }, (_, i) => addDays(day, i - 7));
    const fortnight = Array.from({ length: 14 }, (_, i) => addDays(day, i - 13));
    const _ = ctx.db.command;
    const [stats, nights, alerts, reminders] = await Promise.all([
      findIn<DailyStatsDoc>(ctx.db, 'dailyStats', '_id', week),
      findIn<SegmentStatsDoc>(ctx.db, 'segmentStats', '_id', fortnight),
      findDocs<AlertDoc>(
        ctx.db
          .collection('alerts')
          .where({ kind: 'segment', day: _.gte(week[0]) })
          .limit(50),
      ),
      loadConfig(ctx, REMINDERS_CONFIG),
    ]);
    const byDay = new Map(stats.map((s) => [s.day, s]));
    const nightsByDay = new Map(nights.map((n) => [n.day, n]));
    const latest = fortnight
      .map((d) => nightsByDay.get(d))
      .filter((n) => n !== undefined)
      .at(-1);
    return {
      day,
      today: byDay.get(day)?.figures ?? null,
      updatedAt: byDay.get(day)?.at.toISOString() ?? null,
      previous: week.slice(0, 7).map((d) => ({ day: d, figures: byDay.get(d)?.figures ?? null })),
      stages: fortnight.map((d) => ({ day: d, stages: nightsByDay.get(d)?.stages ?? null })),
      segments: latest ? Object.fromEntries(Object.entries(latest.metrics).map(([k, v]) => [k, v.members])) : {},
      alerts: alerts.map((a) => ({ segment: a.segment, since: a.since, day: a.day, baseline: a.baseline, values: a.values })),
      funnels: funnelsOf([...week.map((d) => byDay.get(d)?.figures)]),
      experiments: CAMPAIGNS.flatMap((campaign) => {
        const experiment = reminders.campaigns[campaign].experiment;
        return experiment ? [{ campaign, experimentId: experiment.id }] : [];
      }),
    };
  },
);

/** The week's funnels, summed from its days (a next-day step counts the days that know it). */
function funnelsOf(days: (DailyFigures | undefined)[]): Funnels {
  const known = days.filter((d): d is DailyFigures => d !== undefined);
  const sum = (pick: (d: DailyFigures) => number | null) => known.reduce((s, d) => s + (pick(d) ?? 0), 0);
  return {
    checkin: {
      shown: sum((d) => d.popupShown),
      tapped: sum((d) => d.popupTapped),
      checkedIn: sum((d) => d.checkins),
      returnedNextDay: sum((d) => d.checkinsReturnedNextDay),
    },
    reminders: { sent: sum((d) => d.remindersSent), opened: sum((d) => d.remindersOpened), returned: sum((d) => d.remindersReturned) },
  };
}
