import { HOLDOUT, assignArm } from '../../core/experiments/assign';
import { type Audience, type Offer, inAudience, offerSchema } from '../../core/offers/offer';
import { earning } from '../../core/points/ledger';
import { type BusinessDay, addDays, beijingDay, startOfBeijingDay } from '../../core/time/beijing';
import type { OfferRunView } from '../../typings/api';
import type { MemberDoc, OfferGrantDoc } from '../../typings/documents';
import { loadEdited } from '../platform/config';
import type { ServerContext } from '../platform/context';
import { findDocs, inTransaction, insertOnce, isDuplicateWrite, txGet } from '../platform/db';
import { AppError } from '../platform/errors';
import { recordReward } from '../coupons/issue';
import { type JobDoc, forEachMember, jobSummary } from '../platform/jobs';
import { postJournal } from '../points/post';

export const jobIdOf = (offerId: string) => `offer:${offerId}`;

export async function loadOffer(ctx: ServerContext, id: string): Promise<Offer> {
  const offer = await loadEdited(ctx, offerSchema, 'offers', id);
  if (!offer) throw new AppError('NOT_FOUND', '没有这个活动');
  return offer;
}

/**
 * `inAudience` as a members query, so the audience is counted by the database rather than
 * read member by member. Days away are Beijing days: seen within N days is "last seen on or
 * after the start of the day N days ago". The offer tests hold the two to the same count.
 */
export function audienceWhere(ctx: ServerContext, audience: Audience, today: BusinessDay): Record<string, unknown> {
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

export async function continueOffer(ctx: ServerContext, offer: Offer, budgetMs: number): Promise<JobDoc> {
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

export function runView(job: JobDoc): OfferRunView {
  const summary = jobSummary(job);
  return {
    done: job.done,
    processed: job.processed,
    issued: summary?.stats['issued'] ?? 0,
    holdout: summary?.stats['holdout'] ?? 0,
  };
}
