import type { MallItem } from '../../core/mall/catalogue';
import { fromWechatPayTime } from '../../core/time/beijing';
import type { PayOrderDoc, PayOrderState } from '../../typings/documents';
import { recordActivity } from '../activity/record';
import { bargainBought, releaseBargain } from '../bargain/order';
import { loadCouponTemplate } from '../coupons/templates';
import { releaseSeat, seatPaid, tellGroup } from '../group/seats';
import { loadItem } from '../mall/catalogue';
import { type Booked, type Goods, type Payment, fulfil, moved } from '../orders/book';
import { type Release, expireOrder } from '../orders/expire';
import { attemptRefund, refundRequest } from '../orders/refunds';
import { loadConfig } from '../platform/config';
import { PAY_CONFIG, type PayConfig } from '../../core/config/pay';
import { TIERS_CONFIG } from '../../core/config/tiers';
import type { ServerContext } from '../platform/context';
import { findDocs, findOne, inTransaction, insertOnce, txGet } from '../platform/db';
import { AppError } from '../platform/errors';

/** What an unpaid order held in its group or bargain goes back with it. */
const releasePlace: Release = async (ctx, order) => {
  if (order.group) await releaseSeat(ctx, order);
  if (order.bargain) await releaseBargain(ctx, order);
};

/** An unpaid order ends (`expireOrder`), its seat or its bargain's claim with it. */
const expire = (ctx: ServerContext, orderId: string, note: string, item: MallItem | undefined) =>
  expireOrder(ctx, orderId, note, { item, release: releasePlace });

/**
 * WeChat Pay says the order is paid (checked with `queryOrder` by the caller). A waiting
 * order is paid and fulfilled in one transaction (`fulfil`); a group seat's order waits,
 * paid, for its group to fill (`seatPaid`). An order that expired meanwhile (its stock and
 * points went back), or that WeChat Pay says was paid after its expiry (its `timeExpire`
 * should have stopped that), is refunded — never fulfilled past its deal. A payment made in
 * time whose notification comes late counts. Anything else — a repeated notification —
 * changes nothing.
 */
export async function markPaid(ctx: ServerContext, orderId: string, paid: Payment): Promise<PayOrderState> {
  const now = ctx.clock.now();
  const found = await findOne(ctx.db, 'payOrders', orderId);
  if (!found) throw new AppError('NOT_FOUND', `no pay order ${orderId}`);
  if (paid.totalFee !== found.amount) {
    ctx.log.error('paid amount differs from the order; left for an operator', {
      order: orderId,
      paid: paid.totalFee,
      amount: found.amount,
    });
    await insertOnce(ctx.db, 'alerts', { _id: `pay-amount:${orderId}`, kind: 'payAmountMismatch', orderId, paid: paid.totalFee, at: now });
    return found.state;
  }
  const [item, tiers] = await Promise.all([loadItem(ctx, found.itemId), loadConfig(ctx, TIERS_CONFIG)]);
  if (found.state === 'created' && paid.at && paid.at > new Date(found.expiresAt)) await expire(ctx, orderId, '支付晚于订单有效期', item);
  const goods: Goods = { item, tiers, template: item?.couponKey ? await loadCouponTemplate(ctx, item.couponKey) : undefined };
  const outcome = await inTransaction(ctx.db, async (tx): Promise<Booked> => {
    const order = await txGet(tx, 'payOrders', orderId);
    if (order.state === 'expired') {
      await tx
        .collection('payOrders')
        .doc(orderId)
        .update({
          data: {
            ...moved(order, 'refunding', now, '过期后到账，自动退款'),
            paidAt: now,
            transactionId: paid.transactionId,
            refund: refundRequest('过期后到账', 'system', now),
          },
        });
      return { state: 'refunding', fulfilled: [], group: null };
    }
    if (order.state !== 'created') return { state: order.state, fulfilled: [], group: null };
    if (order.group) return seatPaid(tx, order, order.group, paid, goods, now);
    if (order.bargain) await bargainBought(tx, order.bargain);
    return { state: 'fulfilled', fulfilled: [{ member: await fulfil(tx, order, goods, now, paid), amount: order.amount }], group: null };
  });
  for (const { member, amount } of outcome.fulfilled)
    await recordActivity(ctx, member, { counts: { spend: amount, redeem: 1 }, action: true });
  if (outcome.group) await tellGroup(ctx, outcome.group, true);
  if (outcome.state === 'refunding') await attemptRefund(ctx, orderId);
  return outcome.state;
}

/**
 * Ends an unpaid order: closed at WeChat Pay first, so no money can come after it, then
 * expired (its stock, points and place go back) — unless WeChat Pay says it was paid
 * meanwhile, which then counts. 'open' when neither happened (WeChat Pay still says not
 * paid but would not close: tried again later).
 */
export async function closeUnpaid(
  ctx: ServerContext,
  order: PayOrderDoc,
  note: string,
  config: PayConfig,
): Promise<'expired' | 'paid' | 'open'> {
  const closed = await ctx.pay('closeOrder', { outTradeNo: order._id, subMchId: config.subMchId });
  if (closed.resultCode === 'SUCCESS') return (await expire(ctx, order._id, note, await loadItem(ctx, order.itemId))) ? 'expired' : 'open';
  const query = await ctx.pay('queryOrder', { outTradeNo: order._id, subMchId: config.subMchId });
  if (query['tradeState'] === 'SUCCESS') {
    await markPaid(ctx, order._id, {
      transactionId: String(query['transactionId'] ?? ''),
      totalFee: Number(query['totalFee']),
      at: fromWechatPayTime(String(query['timeEnd'] ?? '')),
    });
    return 'paid';
  }
  if (
    query['tradeState'] !== 'NOTPAY' &&
    (await expire(ctx, order._id, `支付状态 ${String(query['tradeState'])}`, await loadItem(ctx, order.itemId)))
  )
    return 'expired';
  return 'open';
}

/**
 * The timer's part: unpaid orders past their time are closed at WeChat Pay and expire —
 * unless WeChat Pay says they were paid (a late notification), which then counts; and
 * refunds due another attempt are tried again.
 */
export async function settleDuePayOrders(ctx: ServerContext): Promise<{ expired: number; paidLate: number; refundsRetried: number }> {
  const now = ctx.clock.now();
  const _ = ctx.db.command;
  const config = await loadConfig(ctx, PAY_CONFIG);
  const [overdue, refunding] = await Promise.all([
    findDocs<PayOrderDoc>(
      ctx.db
        .collection('payOrders')
        .where({ state: 'created', expiresAt: _.lt(now) })
        .limit(100),
    ),
    findDocs<PayOrderDoc>(
      ctx.db
        .collection('payOrders')
        .where({ state: 'refunding', 'refund.nextAttemptAt': _.lte(now) })
        .limit(100),
    ),
  ]);
  let expired = 0;
  let paidLate = 0;
  for (const order of overdue) {
    const outcome = await closeUnpaid(ctx, order, '超时未支付', config);
    if (outcome === 'expired') expired++;
    if (outcome === 'paid') paidLate++;
  }
  for (const order of refunding) await attemptRefund(ctx, order._id);
  return { expired, paidLate, refundsRetried: refunding.length };
}
