import { activeDays, productsByViewDays } from '../../core/activity/rollup';
import type { GiftPack } from '../../typings/vocabulary';
import { redeemBlock } from '../../core/mall/availability';
import { earning } from '../../core/points/ledger';
import { WINDOW_DAYS } from '../../core/retention/evaluate';
import { type BusinessDay, addDays } from '../../core/time/beijing';
import type { WelcomeBack } from '../../typings/api';
import type { GiftDoc, LedgerEntryDoc, MemberDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { inTransaction, txGet } from '../platform/db';
import { recordReward } from '../coupons/issue';
import { rollupsOf } from '../lifecycle/nightly';
import { loadItem } from '../mall/catalogue';
import { type MemberPatch, postJournal } from '../points/post';

/** The first of the member's most-viewed products (90 days of rollups) that the mall still offers. */
async function recommendationFor(ctx: ServerContext, member: MemberDoc, today: BusinessDay): Promise<GiftDoc['recommendation']> {
  const rollups = (await rollupsOf(ctx.db, [member.openid], today)).get(member.openid) ?? [];
  for (const itemId of productsByViewDays(activeDays(rollups, today, WINDOW_DAYS)).slice(0, 5)) {
    const item = await loadItem(ctx, itemId);
    const block = item && redeemBlock(item, member, undefined, today);
    if (item && block !== 'ITEM_UNAVAILABLE' && block !== 'SOLD_OUT') return { itemId, title: item.title };
  }
  return null;
}

/**
 * Reserves a return gift pack under `id` (the reminder's id: one pack per occasion) and
 * marks it on the member, so their next visit hands it over. A re-run finds the pack
 * already there and returns it unchanged.
 */
export async function reserveGift(
  ctx: ServerContext,
  member: MemberDoc,
  id: string,
  pack: GiftPack,
  validDays: number,
  today: BusinessDay,
): Promise<GiftDoc> {
  const recommendation = await recommendationFor(ctx, member, today);
  return inTransaction(ctx.db, async (tx) => {
    const existing = await txGet(tx, 'gifts', id).catch(() => undefined);
    if (existing) return existing;
    const gift: GiftDoc = {
      _id: id,
      openid: member.openid,
      campaign: 'return-gift',
      pack,
      recommendation,
      status: 'waiting',
      day: today,
      expiresDay: addDays(today, validDays - 1),
      grantedAt: null,
    };
    await tx.collection('gifts').add({ data: gift });
    await tx
      .collection('members')
      .doc(member.openid)
      .update({ data: { waitingGift: id } });
    return gift;
  });
}

/**
 * Hands the member's waiting gift pack over on their visit: points (ledger), make-up
 * cards and the coupon, in one transaction that also clears the member's marker, so
 * racing visits hand it over once. A pack past its last day expires instead.
 */
export async function claimWaitingGift(ctx: ServerContext, member: MemberDoc, today: BusinessDay): Promise<WelcomeBack | null> {
  if (!member.waitingGift) return null;
  const now = ctx.clock.now();
  const openid = member.openid;
  return inTransaction(ctx.db, async (tx) => {
    const m = await txGet(tx, 'members', openid);
    if (!m.waitingGift) return null;
    const gift = await txGet(tx, 'gifts', m.waitingGift).catch(() => undefined);
    const update: MemberPatch = { waitingGift: null };
    const lines: LedgerEntryDoc[] = [];
    let welcome: WelcomeBack | null = null;
    if (gift?.status === 'waiting' && today > gift.expiresDay) {
      await tx
        .collection('gifts')
        .doc(gift._id)
        .update({ data: { status: 'expired' } });
    } else if (gift?.status === 'waiting') {
      const { points, makeupCards, couponKey } = gift.pack;
      if (points > 0) lines.push(earning(`gift:${gift._id}`, openid, points, 'gift', gift._id, now, today));
      if (makeupCards > 0) update['makeupCards'] = (m.makeupCards ?? 0) + makeupCards;
      // The reward id is the reminder's, like the day-15 coupon's, so experiment readouts find it.
      const reward = couponKey
        ? await recordReward(ctx, tx, {
            _id: `reminder:${gift._id}`,
            openid,
            source: 'reminder-return-gift',
            title: '回归礼包',
            reward: { type: 'coupon', couponKey, title: '回归礼包' },
            at: now,
          })
        : null;
      await tx
        .collection('gifts')
        .doc(gift._id)
        .update({ data: { status: 'granted', grantedAt: now } });
      welcome = { points, makeupCards, coupon: reward?.coupon?.title ?? null, recommendation: gift.recommendation };
    }
    await postJournal(tx, m, lines, update);
    return welcome;
  });
}
