import { PAY_ORDER_ID } from '../../core/pay/order';
import { z } from 'zod';
import { PAY_CONFIG, loadConfig } from '../config';
import type { ServerContext } from '../context';
import { findOne } from '../db';
import { markPaid, refundDone } from './settle';

/** What WeChat Pay's notifications carry that this reads (the rest is ignored). */
const paymentEvent = z.object({
  returnCode: z.literal('SUCCESS'),
  resultCode: z.string(),
  outTradeNo: z.string().regex(PAY_ORDER_ID),
  transactionId: z.string().min(1).max(64),
  totalFee: z.number().int().positive(),
});
const refundEvent = z.object({
  returnCode: z.literal('SUCCESS'),
  outTradeNo: z.string().regex(PAY_ORDER_ID),
  outRefundNo: z.string().min(1).max(64),
  refundStatus: z.string(),
});

/** What the notifying platform is told: `errcode: 0` acknowledges; anything else makes it deliver again. */
export type Acknowledgement = { errcode: number; errmsg: string };
const ACK: Acknowledgement = { errcode: 0, errmsg: 'OK' };

/**
 * A WeChat Pay notification (payment or refund result). It is believed only as far as
 * WeChat Pay confirms it: a payment is checked with `queryOrder` (paid, same amount)
 * before it counts, so a forged or stale event changes nothing. The same notification
 * twice finds the order already moved and changes nothing. Unknown orders and events
 * that are not notifications are acknowledged and logged (redelivery would not help).
 */
export async function onPayNotification(ctx: ServerContext, event: unknown): Promise<Acknowledgement> {
  const refund = refundEvent.safeParse(event);
  if (refund.success) {
    if (refund.data.refundStatus === 'SUCCESS') await refundDone(ctx, refund.data.outTradeNo);
    else
      ctx.log.error('refund did not go through; it will be tried again', {
        order: refund.data.outTradeNo,
        status: refund.data.refundStatus,
      });
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
  });
  return ACK;
}
