import type { PayOrderView } from '../../typings/api';
import { api } from '../api/client';

export type PaymentOutcome = 'paid' | 'cancelled' | 'failed';

/** `wx.requestPayment` for an order the server prepared: paid, or why not. */
export async function payOrder(order: Pick<PayOrderView, 'payment' | 'state'>): Promise<PaymentOutcome> {
  if (!order.payment) return order.state === 'created' ? 'failed' : 'paid';
  try {
    await wx.requestPayment({ ...(order.payment as unknown as WechatMiniprogram.RequestPaymentOption) });
    return 'paid';
  } catch (err) {
    return /cancel/.test(String((err as { errMsg?: string }).errMsg ?? '')) ? 'cancelled' : 'failed';
  }
}

/** What a member reads when a payment did not go through. The order waits for its time: paying again resumes it. */
export const PAYMENT_NOTICES: Record<Exclude<PaymentOutcome, 'paid'>, string> = {
  cancelled: '已取消支付',
  failed: '支付未完成，请稍后重试',
};

/** The order once WeChat Pay's notification has been booked (it may come a moment after the payment), or null. */
export async function followOrder(orderId: string): Promise<PayOrderView | null> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const reply = await api.member.payOrder(orderId);
    if (reply.ok && reply.data.state !== 'created') return reply.data;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return null;
}
