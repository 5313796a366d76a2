import type { PayOrderDoc, PayOrderState } from '../../typings/documents';
import type { Tier } from '../../typings/vocabulary';
import { type TiersConfig, tierDefinitionOf } from '../config/tiers';

/**
 * Where a WeChat Pay order may go from each state — the only moves there are:
 *
 *   created → paid → fulfilled → refunding → refunded
 *   created → expired (unpaid in time: stock and points go back)
 *   expired → refunding (the money came after all: it goes back too)
 *   paid → refunding (fulfilment impossible)
 */
const MOVES: Record<PayOrderState, readonly PayOrderState[]> = {
  created: ['paid', 'expired'],
  paid: ['fulfilled', 'refunding'],
  fulfilled: ['refunding'],
  expired: ['refunding'],
  refunding: ['refunded'],
  refunded: [],
};

export function canMove(from: PayOrderState, to: PayOrderState): boolean {
  return MOVES[from].includes(to);
}

/** What a member of `tier` pays for a list price (fen): the tier's price percent, rounded to the fen. */
export function tierPrice(listPrice: number, tier: Tier, config: TiersConfig): number {
  return Math.round((listPrice * tierDefinitionOf(config, tier).pricePercent) / 100);
}

/** An order number as `payOrderId` makes them: what an order id from outside must look like. */
export const PAY_ORDER_ID = /^P[0-9a-f]{30}$/;

/** The order number WeChat Pay sees (`out_trade_no`, ≤ 32): derived from the member's request, so a retry finds its order. */
export function payOrderId(hash: (text: string) => string, openid: string, requestId: string): string {
  return `P${hash(`${openid}:${requestId}`).slice(0, 30)}`;
}

/** A failed refund is tried again after 1, 2, 4… minutes, at most every 6 hours, until it goes through. */
export function refundRetryAt(attempts: number, now: Date): Date {
  const minutes = Math.min(2 ** Math.max(0, attempts - 1), 360);
  return new Date(now.getTime() + minutes * 60_000);
}

/** The refund number for an order: one per order, so however often a refund is asked for, WeChat Pay refunds once. */
export const refundNumber = (order: Pick<PayOrderDoc, '_id'>) => `R${order._id.slice(1)}`;

/**
 * Whether `cloudPay.queryRefund`'s reply confirms that WeChat Pay refunded `amount` fen under
 * `outRefundNo` (status SUCCESS). The cloud reply lists refunds as arrays (`outRefundNoList`,
 * `refundStatusList`, `refundFeeList`, measured by developers); WeChat Pay's own v2 reply
 * numbers them (`outRefundNo0`, `refundStatus0`, `refundFee0`): either is read. Anything
 * else — another number, another amount, still processing, a failed query — is no.
 */
export function refundConfirmed(reply: Record<string, unknown>, outRefundNo: string, amount: number): boolean {
  if (reply['returnCode'] !== 'SUCCESS' || reply['resultCode'] !== 'SUCCESS') return false;
  const listed = (name: string, i: number): unknown => {
    const list = reply[`${name}List`];
    return Array.isArray(list) && list.length > i ? list[i] : reply[`${name}${i}`];
  };
  for (let i = 0; ; i++) {
    const number = listed('outRefundNo', i);
    if (number === undefined) return false;
    if (number === outRefundNo) return listed('refundStatus', i) === 'SUCCESS' && Number(listed('refundFee', i)) === amount;
  }
}
