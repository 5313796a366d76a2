import { randomInt } from 'node:crypto';
import { BLOCK_MESSAGES, type RedeemBlock, redeemBlock } from '../../core/mall/availability';
import { decideRedeem } from '../../core/mall/redeem';
import { beijingDay } from '../../core/time/beijing';
import type { RedeemResult } from '../../typings/api';
import type { RedemptionDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { findDocs, findOne, inTransaction, insertOnce, txGet } from '../platform/db';
import { AppError } from '../platform/errors';
import { issueCoupon } from '../coupons/issue';
import { recordActivity } from '../activity/record';
import { ensureMember } from '../member/registration';
import { action } from '../platform/router';
import { samePayload } from '../platform/idempotency';
import { loadCouponTemplate } from '../coupons/templates';
import { itemRequest, loadItem, returnUnit, takeUnit } from './catalogue';
import { postJournal } from '../points/post';

/**
 * Redeems an item for points. Stock is the one hot document, so it is taken by a
 * conditional decrement (never below zero) instead of inside a transaction that a
 * thousand buyers would all conflict on; everything that is the member's own — the points
 * debit and ledger entry, the limit counter, the coupon or order, the redemption record —
 * then commits in one transaction. If that fails, the held unit goes back. The redemption
 * record, keyed by member and request id, is written first, so a retried or doubled
 * request replays the first outcome instead of redeeming twice; a refusal before it
 * (unavailable, not enough points) replays an earlier outcome of the same request.
 */
export const redeem = action(itemRequest, async (ctx, { itemId, requestId }): Promise<RedeemResult> => {
  const { member } = await ensureMember(ctx);
  const key = `${member.openid}:${requestId}`;
  // A refusal before anything is held: a repeat of a request that went through answers
  // as it did then (its stock or points may be gone now), anything else is refused.
  const refuse = async (code: RedeemBlock | 'NOT_FOUND', message: string): Promise<RedeemResult> => {
    const previous = await findOne(ctx.db, 'redemptions', key);
    if (previous) return replay(ctx, previous, itemId);
    throw new AppError(code, message);
  };
  const now = ctx.clock.now();
  const today = beijingDay(now);
  const item = await loadItem(ctx, itemId);
  if (!item) return refuse('NOT_FOUND', '商品不存在');
  if (item.cashPrice !== undefined) return refuse('ITEM_UNAVAILABLE', '该商品需微信支付购买');
  // The limit is checked in the transaction, with the counts it reads there.
  const block = redeemBlock(item, member, undefined, today);
  if (block) return refuse(block, BLOCK_MESSAGES[block]);
  const template = item.couponKey === undefined ? undefined : await loadCouponTemplate(ctx, item.couponKey);
  if (item.kind === 'coupon' && !template) return refuse('ITEM_UNAVAILABLE', BLOCK_MESSAGES.ITEM_UNAVAILABLE);

  const record: RedemptionDoc = {
    _id: key,
    openid: member.openid,
    itemId,
    price: item.price,
    status: 'pending',
    stockHeld: false,
    at: now,
    result: null,
    failure: null,
  };
  // The record is the request's idempotency key, written before any stock is taken: a
  // doubled request finds it and answers as the first did.
  if (!(await insertOnce(ctx.db, 'redemptions', record))) return replay(ctx, await settled(ctx, key), itemId);

  if (!(await takeUnit(ctx, itemId))) {
    await fail(ctx, key, new AppError('SOLD_OUT', BLOCK_MESSAGES.SOLD_OUT));
    throw new AppError('SOLD_OUT', BLOCK_MESSAGES.SOLD_OUT);
  }
  await ctx.db
    .collection('redemptions')
    .doc(key)
    .update({ data: { stockHeld: true } });

  let result: RedeemResult;
  try {
    result = await inTransaction(ctx.db, async (tx) => {
      const r = await txGet(tx, 'redemptions', key);
      if (r.status !== 'pending') throw new AppError('CONFLICT', '兑换已结束，请刷新');
      const m = await txGet(tx, 'members', member.openid);
      const countsId = `${member.openid}:${itemId}`;
      const current = await txGet(tx, 'redeemCounts', countsId).catch(() => undefined);
      const decision = decideRedeem(m, item, current, key, today, now, String(randomInt(10 ** 12)).padStart(12, '0'));
      if (decision.rejection) throw new AppError(decision.rejection, BLOCK_MESSAGES[decision.rejection]);
      await tx
        .collection('redeemCounts')
        .doc(countsId)
        .set({ data: { ...decision.counts } });
      const balance = await postJournal(tx, m, decision.lines);
      if (decision.order) await tx.collection('orders').add({ data: decision.order });
      const couponId = template ? (await issueCoupon(tx, template, m.openid, `redemption:${key}`, now))._id : null;
      const result: RedeemResult = { ...decision.result, balance, couponId };
      await tx
        .collection('redemptions')
        .doc(key)
        .update({ data: { status: 'done', result } });
      return result;
    });
  } catch (err) {
    await fail(ctx, key, err);
    throw err;
  }
  await recordActivity(ctx, member, { counts: { redeem: 1, ...(item.kind === 'coupon' ? { couponClaim: 1 } : {}) }, action: true });
  return result;
});

/**
 * Ends a pending redemption as failed and returns its unit of stock. The conditional
 * update makes the compensation happen once, whoever gets here first.
 */
async function fail(ctx: ServerContext, key: string, err: unknown): Promise<void> {
  const failure =
    err instanceof AppError ? { code: err.code, message: err.message } : { code: 'INTERNAL' as const, message: '兑换失败，积分未扣除' };
  const res = (await ctx.db
    .collection('redemptions')
    .where({ _id: key, status: 'pending' })
    .update({ data: { status: 'failed', failure } })) as { stats: { updated: number } };
  if (res.stats.updated !== 1) return;
  const record = await findOne(ctx.db, 'redemptions', key);
  if (record?.stockHeld) await returnUnit(ctx, record.itemId);
}

/** The outcome of a request that is being handled by a concurrent call, once it settles. */
async function settled(ctx: ServerContext, key: string): Promise<RedemptionDoc> {
  for (let i = 0; i < 40; i++) {
    const record = await findOne(ctx.db, 'redemptions', key);
    if (record && record.status !== 'pending') return record;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new AppError('CONFLICT', '兑换处理中，请稍后查看');
}

/** The first outcome of a request id, if this request is for the same item; another item is a reused key. */
async function replay(ctx: ServerContext, record: RedemptionDoc, itemId: string): Promise<RedeemResult> {
  if (!samePayload(record, { itemId })) throw new AppError('IDEMPOTENCY_KEY_REUSED', '该请求号已用于另一次兑换');
  const done = record.status === 'pending' ? await settled(ctx, record._id) : record;
  if (done.status === 'done' && done.result) return done.result;
  throw new AppError(done.failure?.code ?? 'INTERNAL', done.failure?.message ?? '兑换失败');
}

/** A redemption still pending this long was abandoned (its function died: the limit is 60 s). */
const ABANDONED_AFTER_MS = 10 * 60_000;

/**
 * Ends redemptions whose function died mid-way and returns the stock they held. Run by
 * each timer firing; the conditional update in `fail` keeps it from racing a live call.
 */
export async function releaseAbandonedRedemptions(ctx: ServerContext): Promise<number> {
  const before = new Date(ctx.clock.now().getTime() - ABANDONED_AFTER_MS);
  const stale = await findDocs<RedemptionDoc>(
    ctx.db
      .collection('redemptions')
      .where({ status: 'pending', at: ctx.db.command.lt(before) })
      .limit(100),
  );
  for (const r of stale) await fail(ctx, r._id, new AppError('INTERNAL', '兑换未完成，积分未扣除'));
  return stale.length;
}
