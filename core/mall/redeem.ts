import type { RedeemResult } from '../../typings/api';
import type { LedgerEntryDoc, MemberDoc, OrderDoc, RedeemCountDoc } from '../../typings/documents';
import type { MallItem } from './catalogue';
import { spending } from '../points/ledger';
import { type BusinessDay, addDays, beijingDay, startOfBeijingDay } from '../time/beijing';
import { type RedeemCounts, countedOnce, limitReached } from './limits';

/** The member's side of a redemption (stock is held before, by a conditional decrement), or why not. */
export type RedeemDecision =
  | { rejection: 'INSUFFICIENT_POINTS' | 'REDEEM_LIMIT_REACHED' }
  | {
      rejection: null;
      lines: LedgerEntryDoc[];
      counts: RedeemCounts;
      order: OrderDoc | null;
      result: Omit<RedeemResult, 'balance' | 'couponId'>;
    };

/**
 * Redeeming `item` under the request `key` as the member stands: the debit (a line to
 * post), the limit counts after it, and — for goods — the order (a virtual good delivered
 * at once with `voucherCode`, which the server draws; a physical one waiting for the
 * operator). A coupon item's coupon is issued by the server from its template.
 */
export function decideRedeem(
  member: MemberDoc,
  item: MallItem,
  counts: RedeemCountDoc | undefined,
  key: string,
  today: BusinessDay,
  now: Date,
  voucherCode: string,
): RedeemDecision {
  if (member.points < item.price) return { rejection: 'INSUFFICIENT_POINTS' };
  if (limitReached(item.limit, counts, today)) return { rejection: 'REDEEM_LIMIT_REACHED' };
  const order = item.kind === 'coupon' ? null : orderFor(item, key, member.openid, now, voucherCode);
  return {
    rejection: null,
    lines: item.price > 0 ? [spending(`redemption:${key}`, member.openid, item.price, key, now, today)] : [],
    counts: countedOnce(item.limit, counts, today),
    order,
    result: {
      redemptionId: key,
      itemId: item._id,
      title: item.title,
      kind: item.kind,
      price: item.price,
      orderId: order?._id ?? null,
      voucherCode: order?.voucherCode ?? null,
    },
  };
}

export function orderFor(item: MallItem, key: string, openid: string, now: Date, voucherCode: string): OrderDoc {
  const virtual = item.kind === 'virtual';
  const validTo = virtual && item.validDays ? startOfBeijingDay(addDays(beijingDay(now), item.validDays + 1)) : null;
  return {
    _id: key,
    openid,
    itemId: item._id,
    title: item.title,
    kind: virtual ? 'virtual' : 'physical',
    price: item.price,
    // Virtual goods are delivered at once; physical ones wait for the operator.
    status: virtual ? 'done' : 'pending',
    voucherCode: virtual ? voucherCode : null,
    validTo,
    at: now,
    history: [{ status: virtual ? 'done' : 'pending', at: now, by: 'system' }],
  };
}
