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
