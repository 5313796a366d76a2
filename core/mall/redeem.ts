import type { RedeemResult } from '../../typings/api';
import type { LedgerEntryDoc, MemberDoc, OrderDoc } from '../../typings/documents';
import { countRedemption } from '../activity/rollup';
import type { MallItem } from './catalogue';
import { spending } from '../points/ledger';
import { type BusinessDay, addDays, beijingDay, startOfBeijingDay } from '../time/beijing';
import { WINDOW_DAYS } from '../retention/evaluate';
import { onSaleTo } from './availability';
import { countedOnce, limitReached } from './limits';
import { type Delivery, PICKUP } from '../orders/delivery';

/** The member's side of a redemption (a unit of stock is already held), or why not. */
export type RedeemDecision =
  | { rejection: 'ITEM_UNAVAILABLE' | 'REDEEM_LIMIT_REACHED' | 'INSUFFICIENT_POINTS' }
  | {
      rejection: null;
      lines: LedgerEntryDoc[];
      /** Member fields the redemption changes besides the balance: its count towards the item's limits (an update sets this item's only), its day's redemptions (the nightly pass's window of them). */
      patch: Pick<MemberDoc, 'limitCounts' | 'redeemDays'>;
      order: OrderDoc | null;
      result: Omit<RedeemResult, 'balance' | 'couponId'>;
    };

/**
 * Redeeming `item` under the request `key` as the member stands: whether it is on sale to
 * them, within their limits and affordable; then the debit (a line to post), the counts
 * after it and — for goods — the order (a virtual good delivered at once with
 * `voucherCode`, which the server draws; a physical one waiting for the operator, sent
 * or collected as `delivery` says). A coupon item's coupon is issued by the server from
 * its template.
 */
export function decideRedeem(
  member: MemberDoc,
  item: MallItem,
  key: string,
  today: BusinessDay,
  now: Date,
  voucherCode: string,
  delivery: Delivery = PICKUP,
): RedeemDecision {
  const counts = member.limitCounts?.[item._id];
  if (!onSaleTo(item, member, today)) return { rejection: 'ITEM_UNAVAILABLE' };
  if (limitReached(item.limit, counts, today)) return { rejection: 'REDEEM_LIMIT_REACHED' };
  if (member.points < item.price) return { rejection: 'INSUFFICIENT_POINTS' };
  const order = item.kind === 'coupon' ? null : orderFor(item, key, member.openid, now, voucherCode, delivery);
  return {
    rejection: null,
    lines: item.price > 0 ? [spending(`redemption:${key}`, member.openid, item.price, key, now, today)] : [],
    patch: {
      limitCounts: { [item._id]: countedOnce(item.limit, counts, today) },
      redeemDays: countRedemption(member.redeemDays, today, item.kind === 'coupon', addDays(today, 1 - WINDOW_DAYS)),
    },
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

export function orderFor(
  item: MallItem,
  key: string,
  openid: string,
  now: Date,
  voucherCode: string,
  delivery: Delivery = PICKUP,
): OrderDoc {
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
    ...(virtual ? {} : { delivery }),
  };
}
