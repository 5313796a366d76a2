import { chunk } from 'lodash-es';
import { z } from 'zod';
import { configKey } from '../../core/config/key';
import { HOLDOUT, assignArm } from '../../core/experiments/assign';
import { meanInterval, proportionDifference, wilson } from '../../core/experiments/stats';
import { type Audience, type Offer, inAudience, offerSchema } from '../../core/offers/offer';
import { earning } from '../../core/points/ledger';
import { type BusinessDay, addDays, beijingDay, startOfBeijingDay } from '../../core/time/beijing';
import { dayKey, activityId, type ActivityDoc } from '../../core/activity/rollup';
import type { OfferReadout, OfferRunView } from '../../typings/api';
import type { CouponDoc, MemberDoc, OfferGrantDoc } from '../../typings/documents';
import { loadEdited } from '../platform/config';
import type { ServerContext } from '../platform/context';
import { findAll, findDocs, findIn, findOne, inTransaction, insertOnce, isDuplicateWrite, txGet } from '../platform/db';
import { AppError } from '../platform/errors';
import { recordReward } from '../coupons/issue';
import { type JobDoc, forEachMember, jobSummary } from '../platform/jobs';
import { postJournal } from '../points/post';
import { requireRole } from '../platform/roles';
import { action } from '../platform/router';

const OFFER_ID = z.object({ offerId: configKey }).strict();
const jobIdOf = (offerId: string) => `offer:${offerId}`;

async function loadOffer(ctx: ServerContext, id: string): Promise<Offer> {
  const offer = await loadEdited(ctx, offerSchema, 'offers', id);
  if (!offer) throw new AppError('NOT_FOUND', '没有这个活动');
  return offer;
}

/**
 * `inAudience` as a members query, so the audience is counted by the database rather than
 * read member by member. Days away are Beijing days: seen within N days is "last seen on or
 * after the start of the day N days ago". The offer tests hold the two to the same count.
 */
function audienceWhere(ctx: ServerContext, audience: Audience, today: BusinessDay): Record<string, unknown> {
  const _ = ctx.db.command;
  const where: Record<string, unknown> = {};
  if (audience.tags) where['tags'] = _.in(audience.tags);
  if (audience.segments) where['segment'] = _.in(audience.segments);
  if (audience.tiers) where['tier'] = _.in(audience.tiers);
  if (audience.stages) where['stage'] = _.in(audience.stages);
  const seen = [
    ...(audience.seenWithinDays === undefined ? [] : [_.gte(startOfBeijingDay(addDays(today, -audience.seenWithinDays)))]),
    ...(audience.awayAtLeastDays === undefined ? [] : [_.lt(startOfBeijingDay(addDays(today, 1 - audience.awayAtLeastDays)))]),
  ];
  const [from, before] = seen;
  if (from) where['lastSeenAt'] = before ? from.and(before) : from;
  return where;
}

/** How many members an offer would reach now (before the holdout is taken out), to check before issuing: one count. */
export const offerAudience = action(OFFER_ID, async (ctx, input): Promise<{ members: number; holdoutPercent: number }> => {
  await requireRole(ctx, 'operator');
  const offer = await loadOffer(ctx, input.offerId);
  const where = audienceWhere(ctx, offer.audience, beijingDay(ctx.clock.now()));
  const { total } = (await ctx.db.collection('members').where(where).count()) as unknown as { total: number };
  return { members: total, holdoutPercent: offer.holdoutPercent };
});

/**
 * Issues an offer: every member in the audience is assigned to the offer or the holdout
 * (deterministically, by the offer's id), and those in the offer get it — each grant once
 * (`offerGrants/<offer>:<openid>`, the reward in the same transaction). The walk over the
 * members is resumable (a job): this call works for a while, the timer finishes it.
 * Issuing again continues, never repeats.
 */
export const issueOffer = action(OFFER_ID, async (ctx, input): Promise<OfferRunView> => {
  await requireRole(ctx, 'operator');
  const offer = await loadOffer(ctx, input.offerId);
  if (!offer.enabled) throw new AppError('ITEM_UNAVAILABLE', '活动未启用');
  return runView(await continueOffer(ctx, offer, 20_000));
});

/** The timer's part: offers still being issued go on. */
export async function continueOffers(ctx: ServerContext): Promise<number> {
  const _ = ctx.db.command;
  // Offer jobs are `offer:<id>` (';' sorts right after ':'); few run at once.
  const running = await findDocs<JobDoc>(
    ctx.db
      .collection('jobs')
      .where({ _id: _.gte('offer:').and(_.lt('offer;')), done: false })
      .limit(20),
  );
  for (const job of running) {
    const offer = await loadOffer(ctx, job._id.slice('offer:'.length)).catch(() => undefined);
    if (offer?.enabled) await continueOffer(ctx, offer, 20_000);
  }
  return running.length;
}

async function continueOffer(ctx: ServerContext, offer: Offer, budgetMs: number): Promise<JobDoc> {
  const today = beijingDay(ctx.clock.now());
  const arms = { id: offer._id, holdoutPercent: offer.holdoutPercent, variants: [{ key: 'offer', weight: 1 }] };
  return forEachMember(ctx, jobIdOf(offer._id), { pageSize: 200, budgetMs }, async (member) => {
    if (!inAudience(member, offer.audience, today)) return {};
    const arm = assignArm(arms, member.openid) === HOLDOUT ? HOLDOUT : 'offer';
    return { [await grant(ctx, offer, member, arm)]: 1 };
  });
}

/** One member's grant (or holdout record), once. */
async function grant(ctx: ServerContext, offer: Offer, member: MemberDoc, arm: string): Promise<string> {
  const now = ctx.clock.now();
  const doc: OfferGrantDoc = {
    _id: `${offer._id}:${member.openid}`,
    offerId: offer._id,
    openid: member.openid,
    arm,
    day: beijingDay(now),
    at: now,
  };
  if (arm === HOLDOUT) return (await insertOnce(ctx.db, 'offerGrants', doc)) ? 'holdout' : 'already';
  try {
    await inTransaction(ctx.db, async (tx) => {
      await tx.collection('offerGrants').add({ data: doc });
      const source = `offer:${doc._id}`;
      if (offer.reward.type === 'points') {
        const m = await txGet(tx, 'members', member.openid);
        await postJournal(tx, m, [earning(source, m.openid, offer.reward.points, 'grant', offer._id, now, doc.day)]);
      } else
        await recordReward(ctx, tx, {
          _id: source,
          openid: member.openid,
          source: 'offer',
          title: offer.title,
          reward: { type: 'coupon', couponKey: offer.reward.couponKey, title: offer.title },
          at: now,
        });
    });
    return 'issued';
  } catch (err) {
    if (isDuplicateWrite(err)) return 'already';
    throw err;
  }
}

function runView(job: JobDoc): OfferRunView {
  const summary = jobSummary(job);
  return {
    done: job.done,
    processed: job.processed,
    issued: summary?.stats['issued'] ?? 0,
    holdout: summary?.stats['holdout'] ?? 0,
  };
}

/**
 * How the offer did, per arm (the offer and its holdout): members, came back within 7 days
 * of the grant, used the offer's coupon, and spend per member since (fen), with 95 %
 * intervals; the offer's uplift in returns over the holdout.
 */
export const offerReadout = action(OFFER_ID, async (ctx, input): Promise<OfferReadout> => {
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
});

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
