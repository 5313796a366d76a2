import { payOrderSource } from '../../core/mall/coupon';
import type { CouponTemplate, MallItem } from '../../core/mall/catalogue';
import type { TiersConfig } from '../../core/config/tiers';
import { orderFor } from '../../core/mall/redeem';
import { beijingDay } from '../../core/time/beijing';
import type { GroupDoc, MemberDoc, PayOrderDoc, PayOrderState } from '../../typings/documents';
import { issueCoupon } from '../coupons/issue';
import { bookCommission } from '../distribution/commissions';
import { returnUnit } from '../mall/catalogue';
import type { ServerContext } from '../platform/context';
import { type Tx, txGet } from '../platform/db';
import { bookPurchase } from '../tiers/spend';

/** A pay order's move to `state`, with its line in the history (see core/orders/order.ts for the moves). */
export const moved = (order: Pick<PayOrderDoc, 'history'>, state: PayOrderState, at: Date, note = '') => ({
  state,
  history: [...order.history, { state, at, note }],
});

/** What a paid order delivers, loaded before the transaction: the item, its coupon template, the tier rules. */
export interface Goods {
  item: MallItem | undefined;
  template: CouponTemplate | undefined;
  tiers: TiersConfig;
}

/** Money taken for an order (from WeChat Pay's confirmed notification). */
export interface Payment {
  transactionId: string;
  totalFee: number;
  /** When WeChat Pay took it (`time_end`), if it said. */
  at: Date | null;
}

/** What booking a payment did: the order's new state, the members whose orders it fulfilled, the group it filled. */
export interface Booked {
  state: PayOrderState;
  fulfilled: { member: MemberDoc; amount: number }[];
  group: GroupDoc | null;
}

/**
 * A paid order (waiting, or a group seat paid earlier) is fulfilled in the caller's
 * transaction: the purchase booked (`bookPurchase`: spend, points, a tier reached), the
 * coupon issued or the goods ordered, a share's commission booked. Returns the member as
 * they were, for activity.
 */
export async function fulfil(tx: Tx, order: PayOrderDoc, goods: Goods, now: Date, payment: Payment | null): Promise<MemberDoc> {
  const m = await txGet(tx, 'members', order.openid);
  let couponId: string | null = null;
  let fulfilment: string | null = null;
  if (order.kind === 'coupon' && goods.template)
    couponId = (await issueCoupon(tx, goods.template, m.openid, payOrderSource(order._id), now))._id;
  else if (order.kind !== 'coupon' && goods.item) {
    // What the member paid: the points part and the money (fen), as 兑换记录 shows it.
    const parcel = {
      ...orderFor({ ...goods.item, price: order.points }, order._id, m.openid, now, order._id.slice(-12).toUpperCase(), order.delivery),
      cash: order.amount,
    };
    await tx.collection('orders').add({ data: parcel });
    fulfilment = parcel._id;
  }
  const { result } = await bookPurchase(tx, m, goods.tiers, {
    id: order._id,
    amount: order.amount,
    counterparty: 'wechat-pay',
    today: beijingDay(now),
    now,
  });
  if (order.referral) await bookCommission(tx, order, order.referral, now);
  const paidOrder = order.state === 'paid' ? order : { ...order, ...moved(order, 'paid', now) };
  await tx
    .collection('payOrders')
    .doc(order._id)
    .update({
      data: {
        ...moved(paidOrder, 'fulfilled', now),
        ...(payment ? { paidAt: now, transactionId: payment.transactionId } : {}),
        couponId,
        orderId: fulfilment,
        earnedPoints: result.points,
      },
    });
  return m;
}

/** Gives an order's unit back where it was taken: its group or bargain deal's stock, or its item's. */
export function returnOrderUnit(ctx: ServerContext, order: Pick<PayOrderDoc, 'itemId' | 'group' | 'bargain'>): Promise<void> {
  if (order.group) return returnUnit(ctx, order.group.dealId, 'groupDeals');
  if (order.bargain) return returnUnit(ctx, order.bargain.dealId, 'bargainDeals');
  return returnUnit(ctx, order.itemId);
}

/** Whether the order counted towards its item's `limit` (group seats and bargains have their own rules). */
export const countsTowardsLimit = (order: Pick<PayOrderDoc, 'group' | 'bargain'>) => !order.group && !order.bargain;
