import { canMove, refundConfirmed, refundNumber, refundRetryAt } from '../../core/orders/order';
import { refund as returned } from '../../core/points/ledger';
import { decideRefund } from '../../core/tiers/spend';
import { beijingDay } from '../../core/time/beijing';
import type { PayOrderDoc } from '../../typings/documents';
import { cancelPendingCommission, takeBackCommission } from '../distribution/commissions';
import { loadItem } from '../mall/catalogue';
import { countBack } from '../mall/limits';
import { loadConfig } from '../platform/config';
import { PAY_CONFIG } from '../../core/config/pay';
import type { ServerContext } from '../platform/context';
import { type Tx, findOne, inTransaction, insertOnce, txGet, updatedCount } from '../platform/db';
import { AppError } from '../platform/errors';
import { postJournal } from '../points/post';
import { countsTowardsLimit, moved, returnOrderUnit } from './book';

export const refundRequest = (reason: string, by: string, now: Date): NonNullable<PayOrderDoc['refund']> => ({
  reason,
  by,
  requestedAt: now,
  attempts: 0,
  nextAttemptAt: now,
  lastError: null,
});

/** The points part of an order goes back to the member, once (its line's key). */
export async function returnPoints(tx: Tx, order: PayOrderDoc, now: Date): Promise<void> {
  if (order.points === 0) return;
  const taken = await txGet(tx, 'ledger', `pay:${order._id}`).catch(() => undefined);
  const back = await txGet(tx, 'ledger', `pay-return:${order._id}`).catch(() => undefined);
  if (!taken || back) return;
  const m = await txGet(tx, 'members', order.openid);
  await postJournal(tx, m, [returned(`pay-return:${order._id}`, order.openid, order.points, order._id, now, beijingDay(now))]);
}

/**
 * A paid order is refunded (by an operator, or as a failed group's seat): paid/fulfilled →
 * refunding, once. A coupon it delivered stops working at once (a used one blocks the
 * refund); goods are the operator's to take back. The refund itself is `attemptRefund`,
 * retried until it goes.
 */
export async function requestRefund(ctx: ServerContext, orderId: string, reason: string, by: string): Promise<PayOrderDoc> {
  const now = ctx.clock.now();
  const returnedUnit = await inTransaction(ctx.db, async (tx) => {
    const order = await txGet(tx, 'payOrders', orderId).catch(() => undefined);
    if (!order) throw new AppError('NOT_FOUND', '订单不存在');
    if (!canMove(order.state, 'refunding') || order.state === 'expired')
      throw new AppError('ORDER_STATUS_INVALID', order.state === 'refunding' || order.state === 'refunded' ? '该订单已退款' : '订单未支付');
    if (order.couponId) {
      const coupon = await txGet(tx, 'coupons', order.couponId);
      if (coupon.status === 'used') throw new AppError('ORDER_STATUS_INVALID', '券已使用，无法退款');
      await tx
        .collection('coupons')
        .doc(order.couponId)
        .update({ data: { validTo: now } });
    }
    if (order.referral) await cancelPendingCommission(tx, orderId, now);
    // Goods not yet on their way are cancelled with the refund, and their unit goes back.
    let unshipped = false;
    if (order.orderId) {
      const goods = await txGet(tx, 'orders', order.orderId);
      unshipped = goods.status === 'pending';
      if (unshipped)
        await tx
          .collection('orders')
          .doc(goods._id)
          .update({ data: { status: 'cancelled', history: [...goods.history, { status: 'cancelled', at: now, by: `refund:${by}` }] } });
    }
    await tx
      .collection('payOrders')
      .doc(orderId)
      .update({ data: { ...moved(order, 'refunding', now, reason), refund: refundRequest(reason, by, now) } });
    return unshipped ? order : null;
  });
  if (returnedUnit) await returnOrderUnit(ctx, returnedUnit);
  await attemptRefund(ctx, orderId);
  return (await findOne(ctx.db, 'payOrders', orderId)) as PayOrderDoc;
}

/**
 * Asks WeChat Pay to refund a refunding order (one refund number per order, so asking
 * again never refunds twice). Refused or unreachable: tried again later with backoff, and
 * after a few failures operators are alerted. Accepted: the result notification finishes
 * it, confirmed (`confirmRefund`); until then a later attempt first asks WeChat Pay
 * whether it went through, then asks for it again, harmlessly.
 * Each attempt is claimed on the order first, only when due (its number, its backoff
 * already set), so callers at once (timer firings, a payment notification) make one
 * attempt, not a refused one and an immediate retry; an attempt that dies is retried
 * after its backoff.
 */
export async function attemptRefund(ctx: ServerContext, orderId: string): Promise<void> {
  const [order, config] = await Promise.all([findOne(ctx.db, 'payOrders', orderId), loadConfig(ctx, PAY_CONFIG)]);
  if (order?.state !== 'refunding' || !order.refund) return;
  const now = ctx.clock.now();
  const attempts = order.refund.attempts + 1;
  const mine = { _id: orderId, state: 'refunding', 'refund.attempts': attempts };
  const claimed = await updatedCount(
    ctx.db
      .collection('payOrders')
      .where({
        _id: orderId,
        state: 'refunding',
        'refund.attempts': order.refund.attempts,
        'refund.nextAttemptAt': ctx.db.command.lte(now),
      })
      .update({ data: { 'refund.attempts': attempts, 'refund.nextAttemptAt': refundRetryAt(attempts, now) } }),
  );
  if (claimed !== 1) return;
  // Asked before: the refund may have gone through with its notification lost.
  if (attempts > 1 && (await confirmRefund(ctx, order, config.subMchId))) return;
  const reply = await ctx
    .pay('refund', {
      outTradeNo: order._id,
      outRefundNo: refundNumber(order),
      totalFee: order.amount,
      refundFee: order.amount,
      subMchId: config.subMchId,
      functionName: config.notifyFunction,
    })
    .catch((err: unknown) => ({ resultCode: 'FAIL', errCodeDes: String((err as Error).message ?? err) }));
  const accepted = reply.resultCode === 'SUCCESS';
  // Accepted: a late check in case the notification never comes; refused: the backoff set with the claim.
  await ctx.db
    .collection('payOrders')
    .where(mine)
    .update({
      data: accepted
        ? { 'refund.nextAttemptAt': new Date(now.getTime() + config.refundRecheckMinutes * 60_000), 'refund.lastError': null }
        : { 'refund.lastError': reply.errCodeDes ?? 'refund refused' },
    });
  if (!accepted && attempts >= config.refundAlertAfter)
    await insertOnce(ctx.db, 'alerts', {
      _id: `refund-failing:${orderId}`,
      kind: 'refundFailing',
      orderId,
      attempts,
      lastError: reply.errCodeDes ?? '',
      at: now,
    });
}

/** Whether WeChat Pay (`queryRefund`) says the order's refund went through in full; if so the order is refunded. */
export async function confirmRefund(ctx: ServerContext, order: PayOrderDoc, subMchId: string): Promise<boolean> {
  const outRefundNo = refundNumber(order);
  const reply = await ctx.pay('queryRefund', { outRefundNo, subMchId }).catch(() => ({}));
  if (!refundConfirmed(reply, outRefundNo, order.amount)) return false;
  await refundDone(ctx, order._id);
  return true;
}

/**
 * WeChat Pay refunded the order: refunding → refunded, once. A fulfilled order's spend
 * comes off and the points it earned are taken back as far as the balance allows
 * (`decideRefund`), a paid commission is taken back from its sharer, and the points part
 * goes back.
 */
async function refundDone(ctx: ServerContext, orderId: string): Promise<void> {
  const now = ctx.clock.now();
  const today = beijingDay(now);
  const known = await findOne(ctx.db, 'payOrders', orderId);
  const item = known ? await loadItem(ctx, known.itemId) : undefined;
  await inTransaction(ctx.db, async (tx) => {
    const order = await txGet(tx, 'payOrders', orderId).catch(() => undefined);
    if (order?.state !== 'refunding') return;
    if (order.history.some((h) => h.state === 'fulfilled')) {
      const m = await txGet(tx, 'members', order.openid);
      const decision = decideRefund(
        m,
        {
          id: orderId,
          amount: order.amount,
          day: beijingDay(order.paidAt as Date),
          earnedPoints: order.earnedPoints,
          counterparty: 'wechat-pay',
        },
        { today, now },
      );
      await postJournal(tx, m, decision.pointLines, decision.patch, [decision.spendLine]);
    }
    await returnPoints(tx, order, now);
    if (order.referral) await takeBackCommission(tx, orderId, { now, today });
    // An order that expired before its payment came already stopped counting.
    if (item && countsTowardsLimit(order) && order.history.some((h) => h.state === 'fulfilled'))
      await countBack(tx, order.openid, order.itemId, item.limit, beijingDay(order.createdAt));
    await tx
      .collection('payOrders')
      .doc(orderId)
      .update({ data: moved(order, 'refunded', now) });
  });
}
