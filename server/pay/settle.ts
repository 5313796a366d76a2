import type { MallItem } from '../../core/config/mall';
import { canMove, refundConfirmed, refundNumber, refundRetryAt } from '../../core/pay/order';
import { refund as returned } from '../../core/points/ledger';
import { decideRefund } from '../../core/tiers/spend';
import { beijingDay, fromWechatPayTime } from '../../core/time/beijing';
import type { PayOrderDoc, PayOrderState } from '../../typings/documents';
import { recordActivity } from '../activity/record';
import { PAY_CONFIG, TIERS_CONFIG, loadConfig } from '../platform/config';
import type { ServerContext } from '../platform/context';
import { type Tx, findDocs, findOne, inTransaction, insertOnce, txGet } from '../platform/db';
import { AppError } from '../platform/errors';
import { loadCouponTemplate } from '../coupons/templates';
import { loadItem } from '../mall/catalogue';
import { countBack } from '../mall/limits';
import { postJournal } from '../points/post';
import { takeBackCommission } from '../distribution/payout';
import { type Booked, releaseSeat, seatPaid, tellGroup } from './seats';
import { type Goods, type Payment, countsTowardsLimit, fulfil, moved, refundRequest, returnOrderUnit } from './book';

/** The points part of an order goes back to the member, once (its line's key). */
async function returnPoints(tx: Tx, order: PayOrderDoc, now: Date): Promise<void> {
  if (order.points === 0) return;
  const taken = await txGet(tx, 'ledger', `pay:${order._id}`).catch(() => undefined);
  const back = await txGet(tx, 'ledger', `pay-return:${order._id}`).catch(() => undefined);
  if (!taken || back) return;
  const m = await txGet(tx, 'members', order.openid);
  await postJournal(tx, m, [returned(`pay-return:${order._id}`, order.openid, order.points, order._id, now, beijingDay(now))]);
}

/**
 * An unpaid order ends: created → expired, once (the state is checked in the transaction),
 * and what it held goes back — its unit of stock, its points part and its count towards
 * the item's limit (`item`: the order's item, as the caller has it).
 */
export async function expireOrder(ctx: ServerContext, orderId: string, note: string, item: MallItem | undefined): Promise<boolean> {
  const now = ctx.clock.now();
  const order = await inTransaction(ctx.db, async (tx) => {
    const o = await txGet(tx, 'payOrders', orderId);
    if (!canMove(o.state, 'expired')) return null;
    await tx
      .collection('payOrders')
      .doc(orderId)
      .update({ data: { ...moved(o, 'expired', now, note), stockHeld: false } });
    await returnPoints(tx, o, now);
    if (o.stockHeld && item && countsTowardsLimit(o)) await countBack(tx, o.openid, o.itemId, item.limit, beijingDay(o.createdAt));
    return o;
  });
  if (!order) return false;
  if (order.stockHeld) await returnOrderUnit(ctx, order);
  if (order.group) await releaseSeat(ctx, order._id, order.group);
  // A bargain's owner may buy again (at the price then) while the bargain lasts.
  if (order.bargain)
    await ctx.db
      .collection('bargains')
      .where({ _id: order.bargain.bargainId, orderId: order._id })
      .update({ data: { orderId: null } });
  return true;
}

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
  if (found.state === 'created' && paid.at && paid.at > new Date(found.expiresAt))
    await expireOrder(ctx, orderId, '支付晚于订单有效期', item);
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
    if (order.bargain)
      await tx
        .collection('bargains')
        .doc(order.bargain.bargainId)
        .update({ data: { state: 'bought' } });
    return { state: 'fulfilled', fulfilled: [{ member: await fulfil(tx, order, goods, now, paid), amount: order.amount }], group: null };
  });
  for (const { member, amount } of outcome.fulfilled)
    await recordActivity(ctx, member, { counts: { spend: amount, redeem: 1 }, action: true });
  if (outcome.group) await tellGroup(ctx, outcome.group, true);
  if (outcome.state === 'refunding') await attemptRefund(ctx, orderId);
  return outcome.state;
}

/**
 * An operator refunds a paid order: paid/fulfilled → refunding, once. A coupon it
 * delivered stops working at once (a used one blocks the refund); goods are the
 * operator's to take back. The refund itself is `attemptRefund`, retried until it goes.
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
    // A share's commission not yet paid is cancelled with the refund.
    const commission = order.referral ? await txGet(tx, 'commissions', orderId).catch(() => undefined) : undefined;
    if (commission?.state === 'pending')
      await tx
        .collection('commissions')
        .doc(orderId)
        .update({ data: { state: 'cancelled', settledAt: now } });
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
 * it, confirmed (`onRefundNotification`); until then a later attempt first asks WeChat Pay
 * whether it went through, then asks for it again, harmlessly.
 */
export async function attemptRefund(ctx: ServerContext, orderId: string): Promise<void> {
  const [order, config] = await Promise.all([findOne(ctx.db, 'payOrders', orderId), loadConfig(ctx, PAY_CONFIG)]);
  if (order?.state !== 'refunding' || !order.refund) return;
  // Asked before: the refund may have gone through with its notification lost.
  if (order.refund.attempts > 0 && (await confirmRefund(ctx, order, config.subMchId))) return;
  const now = ctx.clock.now();
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
  const attempts = order.refund.attempts + 1;
  const accepted = reply.resultCode === 'SUCCESS';
  // Accepted: a late check in case the notification never comes; refused: backoff.
  const nextAttemptAt = accepted ? new Date(now.getTime() + config.refundRecheckMinutes * 60_000) : refundRetryAt(attempts, now);
  await ctx.db
    .collection('payOrders')
    .where({ _id: orderId, state: 'refunding' })
    .update({
      data: { refund: { ...order.refund, attempts, nextAttemptAt, lastError: accepted ? null : (reply.errCodeDes ?? 'refund refused') } },
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

/**
 * A refund result notification. It is believed only when WeChat Pay confirms it
 * (`confirmRefund`); one naming another refund number than the order's, or that WeChat Pay
 * does not confirm, is forged or stale: logged, and nothing changes (the order stays
 * refunding, its attempts go on).
 */
export async function onRefundNotification(
  ctx: ServerContext,
  event: { outTradeNo: string; outRefundNo: string; refundStatus: string },
): Promise<void> {
  const [order, config] = await Promise.all([findOne(ctx.db, 'payOrders', event.outTradeNo), loadConfig(ctx, PAY_CONFIG)]);
  if (!order || event.outRefundNo !== refundNumber(order)) {
    ctx.log.error('refund notification for no refund of ours: ignored', { order: event.outTradeNo, refund: event.outRefundNo });
    return;
  }
  if (order.state !== 'refunding') return;
  if (!(await confirmRefund(ctx, order, config.subMchId)))
    ctx.log.error('refund notification not confirmed by WeChat Pay: ignored', { order: order._id, status: event.refundStatus });
}

/** Whether WeChat Pay (`queryRefund`) says the order's refund went through in full; if so the order is refunded. */
async function confirmRefund(ctx: ServerContext, order: PayOrderDoc, subMchId: string): Promise<boolean> {
  const outRefundNo = refundNumber(order);
  const reply = await ctx.pay('queryRefund', { outRefundNo, subMchId }).catch(() => ({}));
  if (!refundConfirmed(reply, outRefundNo, order.amount)) return false;
  await refundDone(ctx, order._id);
  return true;
}

/**
 * WeChat Pay refunded the order: refunding → refunded, once. A fulfilled order's spend
 * comes off and the points it earned are taken back as far as the balance allows
 * (`decideRefund`); the points part goes back.
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
    const closed = await ctx.pay('closeOrder', { outTradeNo: order._id, subMchId: config.subMchId });
    if (closed.resultCode === 'SUCCESS') {
      if (await expireOrder(ctx, order._id, '超时未支付', await loadItem(ctx, order.itemId))) expired++;
      continue;
    }
    const query = await ctx.pay('queryOrder', { outTradeNo: order._id, subMchId: config.subMchId });
    if (query['tradeState'] === 'SUCCESS') {
      await markPaid(ctx, order._id, {
        transactionId: String(query['transactionId'] ?? ''),
        totalFee: Number(query['totalFee']),
        at: fromWechatPayTime(String(query['timeEnd'] ?? '')),
      });
      paidLate++;
    } else if (
      query['tradeState'] !== 'NOTPAY' &&
      (await expireOrder(ctx, order._id, `支付状态 ${String(query['tradeState'])}`, await loadItem(ctx, order.itemId)))
    )
      expired++;
  }
  for (const order of refunding) await attemptRefund(ctx, order._id);
  return { expired, paidLate, refundsRetried: refunding.length };
}
