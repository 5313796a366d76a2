import { chunk } from 'lodash-es';
import { z } from 'zod';
import { type ActivityDoc, activityId, dayKey } from '../../core/activity/rollup';
import { configKey } from '../../core/config/key';
import { HOLDOUT } from '../../core/experiments/assign';
import { meanInterval, proportionDifference, wilson } from '../../core/experiments/stats';
import { addDays, beijingDay } from '../../core/time/beijing';
import type { OfferReadout, OfferRunView } from '../../typings/api';
import type { CouponDoc, OfferGrantDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { findAll, findIn, findOne } from '../platform/db';
import { AppError } from '../platform/errors';
import type { JobDoc } from '../platform/jobs';
import { requireRole } from '../platform/roles';
import { action } from '../platform/router';
import { audienceWhere, continueOffer, jobIdOf, loadOffer, runView } from './offers';

const OFFER_ID = z.lazy(() => z.object({ offerId: configKey }).strict());

/** How many members an offer would reach now (before the holdout is taken out), to check before issuing: one count. */
export const offerAudience = action(
  () => OFFER_ID,
  async (ctx, input): Promise<{ members: number; holdoutPercent: number }> => {
    await requireRole(ctx, 'operator');
    const offer = await loadOffer(ctx, input.offerId);
    const where = audienceWhere(ctx, offer.audience, beijingDay(ctx.clock.now()));
    const { total } = (await ctx.db.collection('members').where(where).count()) as unknown as { total: number };
    return { members: total, holdoutPercent: offer.holdoutPercent };
  },
);

/**
 * Issues an offer: every member in the audience is assigned to the offer or the holdout
 * (deterministically, by the offer's id), and those in the offer get it — each grant once
 * (`offerGrants/<offer>:<openid>`, the reward in the same transaction). The walk over the
 * members is resumable (a job): this call works for a while, the timer finishes it.
 * Issuing again continues, never repeats.
 */
export const issueOffer = action(
  () => OFFER_ID,
  async (ctx, input): Promise<OfferRunView> => {
    await requireRole(ctx, 'operator');
    const offer = await loadOffer(ctx, input.offerId);
    if (!offer.enabled) throw new AppError('ITEM_UNAVAILABLE', '活动未启用');
    return runView(await continueOffer(ctx, offer, 20_000));
  },
);

/**
 * How the offer did, per arm (the offer and its holdout): members, came back within 7 days
 * of the grant, used the offer's coupon, and spend per member since (fen), with 95 %
 * intervals; the offer's uplift in returns over the holdout.
 */
export const offerReadout = action(
  () => OFFER_ID,
  async (ctx, input): Promise<OfferReadout> => {
    await requireRole(ctx, 'operator');
    const offer = await loadOffer(ctx, input.offerId);
    const [grants, job] = await Promise.all([
      findAll<OfferGrantDoc>(ctx.db, 'offerGrants', { offerId: offer._id }),
      findOne<JobDoc>(ctx.db, 'jobs', jobIdOf(offer._id)),
    ]);
    const openids = grants.map((g) => g.openid);
    const activityIds = grants.flatMap((g) => [0, 7].map((d) => activityId(g.openid, addDays(g.day, d))));
    const since = new Date(grants.reduce((min, g) => Math.min(min, g.at.getTime()), ctx.clock.now().getTime()));
    const [activity, coupons, spentBy] = await Promise.all([
      findIn<ActivityDoc>(ctx.db, 'activity', '_id', activityIds),
      findIn<CouponDoc>(
        ctx.db,
        'coupons',
        'source',
        grants.map((g) => `reward:offer:${g._id}`),
      ),
      spendSince(ctx, openids, since),
    ]);
    const docs = new Map(activity.map((d) => [d._id, d]));
    const activeOn = (openid: string, day: string) => dayKey(day) in (docs.get(activityId(openid, day))?.days ?? {});
    // The grant's own day does not count: everyone in the audience was seen before it.
    const returned = (g: OfferGrantDoc) => Array.from({ length: 7 }, (_, i) => addDays(g.day, i + 1)).some((d) => activeOn(g.openid, d));
    const used = new Set(coupons.filter((c) => c.status === 'used').map((c) => c.source));
    const byArm = (arm: string) => grants.filter((g) => g.arm === arm);
    const arm = (name: string) => {
      const gs = byArm(name);
      return {
        arm: name,
        members: gs.length,
        returned7: wilson(gs.filter(returned).length, gs.length),
        couponUsed: wilson(gs.filter((g) => used.has(`reward:offer:${g._id}`)).length, gs.length),
        spendPerMember: meanInterval(gs.map((g) => spentBy.get(g.openid) ?? 0)),
      };
    };
    const [offered, held] = [byArm('offer'), byArm(HOLDOUT)];
    return {
      offerId: offer._id,
      title: offer.title,
      run: job ? runView(job) : null,
      arms: [arm('offer'), arm(HOLDOUT)],
      upliftReturned7: held.length
        ? proportionDifference(offered.filter(returned).length, offered.length, held.filter(returned).length, held.length)
        : null,
    };
  },
);

/** Each member's spend (fen) since the offer went out: one grouped aggregate per 1000 members. */
async function spendSince(ctx: ServerContext, openids: string[], since: Date): Promise<Map<string, number>> {
  const _ = ctx.db.command;
  const totals = new Map<string, number>();
  for (const ids of chunk(openids, 1000)) {
    const { list } = (await ctx.db
      .collection('spendLedger')
      .aggregate()
      .match({ openid: _.in(ids), at: _.gte(since) })
      .group({ _id: '$openid', total: _.aggregate.sum('$amount') })
      .limit(1000)
      .end()) as unknown as { list: { _id: string; total: number }[] };
    for (const row of list) totals.set(row._id, row.total);
  }
  return totals;
}
