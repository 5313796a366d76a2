import type { MallItem } from '../../core/mall/catalogue';
import { canMove } from '../../core/orders/order';
import { beijingDay } from '../../core/time/beijing';
import type { PayOrderDoc } from '../../typings/documents';
import { countBack } from '../mall/limits';
import type { ServerContext } from '../platform/context';
import { inTransaction, txGet } from '../platform/db';
import { countsTowardsLimit, moved, returnOrderUnit } from './book';
import { returnPoints } from './refunds';

/** Gives back what an order held in its group or bargain (a seat, the bargain's claim) when it ends unpaid. */
export type Release = (ctx: ServerContext, order: PayOrderDoc) => Promise<void>;

/** What an order holds besides its unit and its points part: its count towards `item`'s limit, and what `release` gives back. */
export interface Held {
  item: MallItem | undefined;
  release?: Release;
}

/**
 * An unpaid order ends: created → expired, once (the state is checked in the transaction),
 * and what it held goes back — its unit of stock, its points part, its count towards the
 * item's limit (the item as the caller has it), then its place in a group or bargain.
 */
export async function expireOrder(ctx: ServerContext, orderId: string, note: string, { item, release }: Held): Promise<boolean> {
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
  if (release) await release(ctx, order);
  return true;
}
