import { PAY_ORDER_ID, refundNumber } from '../../core/orders/order';
import { fromWechatPayTime } from '../../core/time/beijing';
import { z } from 'zod';
import { loadConfig } from '../platform/config';
import { PAY_CONFIG } from '../../core/config/pay';
import type { ServerContext } from '../platform/context';
import { findOne } from '../platform/db';
import { confirmRefund } from '../orders/refunds';
import { markPaid } from './settle';

/** What WeChat Pay's notifications carry that this reads (the rest is ignored). */
const paymentEvent = z.lazy(() =>
  z.object({
    returnCode: z.literal('SUCCESS'),
    resultCode: z.string(),
    outTradeNo: z.string().regex(PAY_ORDER_ID),
    transactionId: z.string().min(1).max(64),
    totalFee: z.number().int().positive(),
  }),
);
const refundEvent = z.lazy(() =>
  z.object({
    returnCode: z.literal('SUCCESS'),
    outTradeNo: z.string().regex(PAY_ORDER_ID),
    outRefundNo: z.string().min(1).max(64),
    refundStatus: z.string(),
  }),
);

/** What the notifying platform is told: `errcode: 0` acknowledges; anything else makes it deliver again. */
export type Acknowledgement = { errcode: number; errmsg: string };
const ACK: Acknowledgement = { errcode: 0, errmsg: 'OK' };

/**
 * A WeChat Pay notification (payment or refund result). Anyone may be able to reach the
 * `pay` function (web-SDK and HTTP-access calls carry no OPENID), so a notification is
 * believed only as far as WeChat Pay confirms it: a payment with `queryOrder` (paid, same
 * amount), a refund with `queryRefund` (our refund number, the order's amount, succeeded).
 * A forged or stale event changes nothing. The same notification twice finds the order
 * already moved and changes nothing. Unknown orders and events that are not notifications
 * are acknowledged and logged (redelivery would not help).
 */
export async function onPayNotification(ctx: ServerContext, event: unknown): Promise<Acknowledgement> {
  const refund = refundEvent.safeParse(event);
  if (refund.success) {
    await onRefundNotification(ctx, refund.data);
    return ACK;
  }
  const payment = paymentEvent.safeParse(event);
  if (!payment.success) {
    ctx.log.error('not a pay notification', { issues: payment.error.issues.length });
    return ACK;
  }
  const { outTradeNo, resultCode } = payment.data;
  if (resultCode !== 'SUCCESS' || !(await findOne(ctx.db, 'payOrders', outTradeNo))) return ACK;
  const config = await loadConfig(ctx, PAY_CONFIG);
  const truth = await ctx.pay('queryOrder', { outTradeNo, subMchId: config.subMchId });
  if (truth['tradeState'] !== 'SUCCESS' && truth['tradeState'] !== 'REFUND') {
    ctx.log.error('notification not confirmed by WeChat Pay', { order: outTradeNo, tradeState: truth['tradeState'] });
    return ACK;
  }
  await markPaid(ctx, outTradeNo, {
    transactionId: String(truth['transactionId'] ?? payment.data.transactionId),
    totalFee: Number(truth['totalFee']),
    at: fromWechatPayTime(String(truth['timeEnd'] ?? '')),
  });
  return ACK;
}

/**
 * A refund result notification. It is believed only when WeChat Pay confirms it
 * (`confirmRefund`); one naming another refund number than the order's, or that WeChat Pay
 * does not confirm, is forged or stale: logged, and nothing changes (the order stays
 * refunding, its attempts go on).
 */
async function onRefundNotification(
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
