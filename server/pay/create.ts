import { createHash } from 'node:crypto';
import { z } from 'zod';
import { BLOCK_MESSAGES, redeemBlock } from '../../core/mall/availability';
import { PAY_ORDER_ID, payOrderId, tierPrice } from '../../core/pay/order';
import type { MallItem } from '../../core/config/mall';
import { countedOnce, limitReached } from '../../core/mall/limits';
import { spending } from '../../core/points/ledger';
import { beijingDay } from '../../core/time/beijing';
import type { PayOrderView } from '../../typings/api';
import type { PayOrderDoc } from '../../typings/documents';
import { PAY_CONFIG, TIERS_CONFIG, loadConfigs } from '../config';
import type { ServerContext } from '../context';
import { type Tx, findOne, inTransaction, insertOnce, txGet } from '../db';
import { AppError } from '../errors';
import { samePayload } from '../idempotency';
import { itemRequest, loadItem, returnUnit, takeUnit } from '../mall/catalogue';
import { ensureMember } from '../member/registration';
import { postJournal } from '../points/post';
import { action } from '../router';
import { expireOrder } from './settle';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Prepares a WeChat Pay order for an item with a cash price: the order record first (its
 * number comes from the member's request, so a retry finds it), then a unit of stock
 * (conditional decrement) and the points part (posted), then `cloudPay.unifiedOrder`. The
 * member pays what their tier pays. Anything that fails on the way gives back what was
 * taken (the order expires at once). Replies with what `wx.requestPayment` takes.
 */
export const createPayOrder = action(itemRequest, async (ctx, { itemId, requestId }): Promise<PayOrderView> => {
  const { member } = await ensureMember(ctx);
  const id = payOrderId(sha256, member.openid, requestId);
  const [item, [tiers, config], previous] = await Promise.all([
    loadItem(ctx, itemId),
    loadConfigs(ctx, TIERS_CONFIG, PAY_CONFIG),
    findOne(ctx.db, 'payOrders', id),
  ]);
  if (previous) {
    if (!samePayload(previous, { itemId })) throw new AppError('IDEMPOTENCY_KEY_REUSED', '该请求号已用于另一笔订单');
    return payOrderView(
      previous,
      previous.state === 'created' ? await prepare(ctx, previous, config.subMchId, config.notifyFunction) : null,
    );
  }
  if (!item || item.cashPrice === undefined) throw new AppError('NOT_FOUND', '商品不存在或不支持微信支付');
  const now = ctx.clock.now();
  const block = redeemBlock(item, member, undefined, beijingDay(now));
  if (block) throw new AppError(block, BLOCK_MESSAGES[block]);
  const order: PayOrderDoc = {
    _id: id,
    openid: member.openid,
    requestId,
    itemId,
    title: item.title,
    kind: item.kind,
    listPrice: item.cashPrice,
    amount: tierPrice(item.cashPrice, member.tier, tiers),
    points: item.price,
    tier: member.tier,
    state: 'created',
    stockHeld: false,
    createdAt: now,
    expiresAt: new Date(now.getTime() + config.orderMinutes * 60_000),
    paidAt: null,
    transactionId: null,
    couponId: null,
    orderId: null,
    earnedPoints: 0,
    refund: null,
    history: [{ state: 'created', at: now, note: '' }],
  };
  if (!(await insertOnce(ctx.db, 'payOrders', order))) {
    // A doubled tap: the twin made the order; this one answers with the same payment.
    const raced = (await findOne(ctx.db, 'payOrders', id)) as PayOrderDoc;
    return payOrderView(raced, raced.state === 'created' ? await prepare(ctx, raced, config.subMchId, config.notifyFunction) : null);
  }
  if (!(await takeUnit(ctx, itemId))) {
    await expireOrder(ctx, id, '已售罄', item);
    throw new AppError('SOLD_OUT', BLOCK_MESSAGES.SOLD_OUT);
  }
  try {
    // The unit held, the item's limit counted and the points part taken together: what
    // expiry gives back, it finds here.
    await inTransaction(ctx.db, async (tx) => {
      await tx
        .collection('payOrders')
        .doc(id)
        .update({ data: { stockHeld: true } });
      await countLimit(tx, item, member.openid, beijingDay(now));
      if (order.points === 0) return;
      const m = await txGet(tx, 'members', member.openid);
      await postJournal(tx, m, [spending(`pay:${id}`, m.openid, order.points, id, now, beijingDay(now))]);
    });
  } catch (err) {
    await returnUnit(ctx, itemId);
    await expireOrder(ctx, id, err instanceof AppError ? err.message : '下单失败', item);
    throw err;
  }
  const payment = await prepare(ctx, order, config.subMchId, config.notifyFunction).catch(async (err: unknown) => {
    await expireOrder(ctx, id, '支付下单失败', item);
    throw err;
  });
  return payOrderView(order, payment);
});

/** The member's limit on the item (`limit`, as for redemptions), counted once for this order, or refused. */
async function countLimit(tx: Tx, item: MallItem, openid: string, today: string): Promise<void> {
  if (item.limit.lifetime === undefined && item.limit.perPeriod === undefined) return;
  const countsId = `${openid}:${item._id}`;
  const counts = await txGet(tx, 'redeemCounts', countsId).catch(() => undefined);
  if (limitReached(item.limit, counts, today)) throw new AppError('REDEEM_LIMIT_REACHED', BLOCK_MESSAGES.REDEEM_LIMIT_REACHED);
  await tx
    .collection('redeemCounts')
    .doc(countsId)
    .set({ data: { ...countedOnce(item.limit, counts, today) } });
}

/** `cloudPay.unifiedOrder` for the order (the same number and fee again answers the same). */
async function prepare(ctx: ServerContext, order: PayOrderDoc, subMchId: string, notifyFunction: string): Promise<Record<string, string>> {
  const reply = await ctx.pay('unifiedOrder', {
    body: order.title,
    outTradeNo: order._id,
    totalFee: order.amount,
    spbillCreateIp: '127.0.0.1',
    subMchId,
    functionName: notifyFunction,
  });
  if (reply.resultCode !== 'SUCCESS' || !reply['payment']) {
    ctx.log.error('unifiedOrder refused', { order: order._id, reason: reply.errCodeDes });
    throw new AppError('PAYMENT_UNAVAILABLE', '支付暂不可用，请稍后再试');
  }
  return reply['payment'] as Record<string, string>;
}

/** The member's order, and how it stands. */
export const payOrder = action(z.object({ orderId: z.string().regex(PAY_ORDER_ID) }).strict(), async (ctx, input) => {
  const { member } = await ensureMember(ctx);
  const order = await findOne(ctx.db, 'payOrders', input.orderId);
  if (!order || order.openid !== member.openid) throw new AppError('NOT_FOUND', '订单不存在');
  return payOrderView(order, null);
});

export function payOrderView(order: PayOrderDoc, payment: Record<string, string> | null): PayOrderView {
  return {
    orderId: order._id,
    itemId: order.itemId,
    title: order.title,
    listPrice: order.listPrice,
    amount: order.amount,
    points: order.points,
    state: order.state,
    expiresAt: new Date(order.expiresAt).toISOString(),
    couponId: order.couponId,
    fulfilmentOrderId: order.orderId,
    payment,
  };
}
