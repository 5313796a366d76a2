import type { CouponTemplate, MallItem } from '../../core/config/mall';
import type { TiersConfig } from '../../core/config/tiers';
import { spreadId } from '../../core/distribution/commission';
import { orderFor } from '../../core/mall/redeem';
import { decidePurchase } from '../../core/tiers/spend';
import { beijingDay } from '../../core/time/beijing';
import type { CommissionDoc, MemberDoc, PayOrderDoc, PayOrderState, SpreadDoc } from '../../typings/documents';
import { issueCoupon } from '../coupons/issue';
import type { ServerContext } from '../platform/context';
import { type Tx, txGet } from '../platform/db';
import { returnUnit } from '../mall/catalogue';
import { postJournal } from '../points/post';

/** A pay order's move to `state`, with its line in the history (see core/pay/order.ts for the moves). */
export const moved = (order: Pick<PayOrderDoc, 'history'>, state: PayOrderState, at: Date, note = '') => ({
  state,
  history: [...order.history, { state, at, note }],
});

export const refundRequest = (reason: string, by: string, now: Date): NonNullable<PayOrderDoc['refund']> => ({
  reason,
  by,
  requestedAt: now,
  attempts: 0,
  nextAttemptAt: now,
  lastError: null,
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

/**
 * A paid order (waiting, or a group seat paid earlier) is fulfilled in the caller's
 * transaction: the spend and the points it earns posted, the tier moved up if reached, the
 * coupon issued or the goods ordered. Returns the member as they were, for activity.
 */
export async function fulfil(tx: Tx, order: PayOrderDoc, goods: Goods, now: Date, payment: Payment | null): Promise<MemberDoc> {
  const m = await txGet(tx, 'members', order.openid);
  const decision = decidePurchase(m, goods.tiers, {
    id: order._id,
    amount: order.amount,
    counterparty: 'wechat-pay',
    today: beijingDay(now),
    now,
  });
  let couponId: string | null = null;
  let fulfilment: string | null = null;
  if (order.kind === 'coupon' && goods.template)
    couponId = (await issueCoupon(tx, goods.template, m.openid, `payorder:${order._id}`, now))._id;
  else if (order.kind !== 'coupon' && goods.item) {
    const parcel = orderFor({ ...goods.item, price: 0 }, order._id, m.openid, now, order._id.slice(-12).toUpperCase());
    await tx.collection('orders').add({ data: parcel });
    fulfilment = parcel._id;
  }
  if (decision.history) await tx.collection('tierHistory').add({ data: decision.history });
  await postJournal(tx, m, decision.pointLines, decision.patch, [decision.spendLine]);
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
        earnedPoints: decision.result.points,
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

/**
 * A friend's order bought through a share: the sharer's commission, pending until the
 * refund window has passed (the timer pays it; a refund before then cancels it), and the
 * share's conversion counted.
 */
async function bookCommission(tx: Tx, order: PayOrderDoc, referral: NonNullable<PayOrderDoc['referral']>, now: Date): Promise<void> {
  const commission: CommissionDoc = {
    _id: order._id,
    sharer: referral.sharer,
    buyer: order.openid,
    itemId: order.itemId,
    amount: order.amount,
    points: referral.points,
    state: 'pending',
    dueAt: new Date(now.getTime() + referral.refundWindowDays * 86_400_000),
    at: now,
    settledAt: null,
  };
  await tx.collection('commissions').add({ data: commission });
  const spreadDoc = tx.collection('spreads').doc(spreadId(order.itemId, order.openid));
  const spread = (await spreadDoc.get().catch(() => undefined))?.data as SpreadDoc | undefined;
  if (spread) await spreadDoc.update({ data: { conversions: spread.conversions + 1 } });
}
