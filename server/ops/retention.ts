import { groupBy } from 'lodash-es';
import { z } from 'zod';
import { configKey } from '../../core/config/key';
import { type ActivityDoc, activityId, dayKey } from '../../core/activity/rollup';
import { CAMPAIGNS } from '../../core/config/reminders';
import { HOLDOUT } from '../../core/experiments/assign';
import { meanInterval, proportionDifference, wilson } from '../../core/experiments/stats';
import type { AlertView, ArmReadout, Funnels, SegmentDay } from '../../typings/api';
import { type BusinessDay, addDays, daysBetween } from '../../core/time/beijing';
import type { CheckinDoc, CouponDoc, CodeLockAlertDoc, ReminderDoc, WriteOffDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { findAll, findIn } from '../platform/db';
import type { FunnelStage } from '../tasks/funnel';
import type { AlertDoc, SegmentStatsDoc } from '../lifecycle/night-end';
import { requireRole } from '../platform/roles';
import { action } from '../platform/router';
import { businessDaySchema } from '../../core/time/schema';

const MAX_RANGE_DAYS = 92;
const range = z.lazy(() =>
  z
    .object({ from: businessDaySchema, to: businessDaySchema })
    .strict()
    .refine((r) => r.from <= r.to && daysBetween(r.from, r.to) < MAX_RANGE_DAYS, { message: `from ≤ to, at most ${MAX_RANGE_DAYS} days` }),
);

/** Which of these members were active on which days: `has(openid, day)`. */
async function activityOf(ctx: ServerContext, pairs: readonly { openid: string; day: BusinessDay }[], daysAfter: number) {
  const ids = pairs.flatMap(({ openid, day }) => [activityId(openid, day), activityId(openid, addDays(day, daysAfter))]);
  const docs = new Map((await findIn<ActivityDoc>(ctx.db, 'activity', '_id', ids)).map((d) => [d._id, d]));
  return (openid: string, day: BusinessDay) => dayKey(day) in (docs.get(activityId(openid, day))?.days ?? {});
}

/** Active on `day` or within `within` days after it. */
const returnedWithin = (active: (openid: string, day: BusinessDay) => boolean, openid: string, day: BusinessDay, within: number) =>
  Array.from({ length: within + 1 }, (_, i) => addDays(day, i)).some((d) => active(openid, d));

/**
 * The two funnels for a date range. Check-in: popup shown → tapped → checked in (the
 * day's `checkins` document is the record) → came back the next day. Reminders: sent → opened (the message's page reported it) → returned
 * (active the day it was sent or the next).
 */
export const funnels = action(
  () => range,
  async (ctx, { from, to }): Promise<Funnels> => {
    await requireRole(ctx, 'operator');
    const _ = ctx.db.command;
    const inRange = { day: _.gte(from).and(_.lte(to)) };
    const stage = async (name: FunnelStage) =>
      findAll<{ _id: string; openid: string; day: string }>(ctx.db, 'funnel', { stage: name, ...inRange });
    const [shown, tapped, completed] = await Promise.all([
      stage('checkin_popup_shown'),
      stage('checkin_popup_tapped'),
      findAll<CheckinDoc>(ctx.db, 'checkins', { kind: 'checkin', ...inRange }),
    ]);
    // Back next day: any activity the day after (opening the app counts), from the rollups.
    const completedActive = await activityOf(ctx, completed, 1);
    const sent = await findAll<ReminderDoc>(ctx.db, 'reminders', { status: 'sent', ...inRange });
    const active = await activityOf(ctx, sent, 1);
    return {
      checkin: {
        shown: shown.length,
        tapped: tapped.length,
        checkedIn: completed.length,
        returnedNextDay: completed.filter((c) => completedActive(c.openid, addDays(c.day, 1))).length,
      },
      reminders: {
        sent: sent.length,
        opened: sent.filter((r) => r.openedAt).length,
        returned: sent.filter((r) => returnedWithin(active, r.openid, r.day, 1)).length,
      },
    };
  },
);

/**
 * A campaign experiment's readout per arm, intention-to-treat: every member assigned
 * counts, whether or not a message could be sent (no consent, capped), so the arms stay
 * comparable with the holdout. Rates carry 95 % Wilson intervals, uplift Newcombe's.
 */
export const experimentReadout = action(
  () => z.object({ campaign: z.enum(CAMPAIGNS), experimentId: configKey }).strict(),
  async (ctx, { campaign, experimentId }): Promise<{ campaign: string; experimentId: string; arms: ArmReadout[] }> => {
    await requireRole(ctx, 'operator');
    const records = await findAll<ReminderDoc>(ctx.db, 'reminders', { campaign, experiment: experimentId });
    const [active, coupons, writeOffs] = await Promise.all([
      activityOf(ctx, records, 7),
      findIn<CouponDoc>(
        ctx.db,
        'coupons',
        'source',
        records.map((r) => `reward:reminder:${r._id}`),
      ),
      findIn<WriteOffDoc>(
        ctx.db,
        'writeOffs',
        'openid',
        records.map((r) => r.openid),
      ),
    ]);
    const usedCoupons = new Set(coupons.filter((c) => c.status === 'used').map((c) => c.source));
    const arms = new Map(Object.entries(groupBy(records, (r) => r.arm ?? HOLDOUT)));
    const returned = (rs: ReminderDoc[], within: number) => rs.filter((r) => returnedWithin(active, r.openid, r.day, within)).length;
    const holdout = arms.get(HOLDOUT);
    const readouts = [...arms.entries()]
      .sort(([a], [b]) => (a === HOLDOUT ? 1 : b === HOLDOUT ? -1 : a.localeCompare(b)))
      .map(([arm, rs]): ArmReadout => {
        const n = rs.length;
        const baskets = rs.flatMap((r) =>
          writeOffs
            .filter((w) => w.openid === r.openid && w.day >= r.day && w.day <= addDays(r.day, 7) && w.orderAmount !== null)
            .map((w) => w.orderAmount!),
        );
        return {
          arm,
          assigned: n,
          sent: rs.filter((r) => r.status === 'sent').length,
          opened: wilson(rs.filter((r) => r.openedAt).length, n),
          returned1: wilson(returned(rs, 1), n),
          returned7: wilson(returned(rs, 7), n),
          couponUsed: wilson(rs.filter((r) => usedCoupons.has(`reward:reminder:${r._id}`)).length, n),
          basketFen: meanInterval(baskets),
          upliftReturned7:
            arm !== HOLDOUT && holdout ? proportionDifference(returned(rs, 7), n, returned(holdout, 7), holdout.length) : null,
        };
      });
    return { campaign, experimentId, arms: readouts };
  },
);

/** Segment alerts raised in a date range, newest first, and the segment metrics behind them. */
export const alerts = action(
  () => range,
  async (ctx, { from, to }): Promise<{ alerts: AlertView[]; days: SegmentDay[] }> => {
    await requireRole(ctx, 'operator');
    const _ = ctx.db.command;
    const inRange = { day: _.gte(from).and(_.lte(to)) };
    const [raised, days] = await Promise.all([
      findAll<AlertDoc | CodeLockAlertDoc>(ctx.db, 'alerts', inRange),
      findAll<SegmentStatsDoc>(ctx.db, 'segmentStats', inRange),
    ]);
    return {
      alerts: raised.sort((a, b) => b.day.localeCompare(a.day)).map(alertView),
      days: days.map(({ day, metrics, stages }) => ({ day, metrics, stages })),
    };
  },
);

function alertView({ _id: _key, ...alert }: AlertDoc | CodeLockAlertDoc): AlertView {
  const at = alert.at.toISOString();
  return alert.kind === 'segment' ? { ...alert, at } : { ...alert, at, lockedUntil: alert.lockedUntil.toISOString() };
}
