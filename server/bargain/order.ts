import type { PayOrderDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import type { Tx } from '../platform/db';

/** The owner paid for the bargain: it is bought, in the payment's transaction. */
export async function bargainBought(tx: Tx, place: NonNullable<PayOrderDoc['bargain']>): Promise<void> {
  await tx
    .collection('bargains')
    .doc(place.bargainId)
    .update({ data: { state: 'bought' } });
}

/** A bargain's order ended unpaid: its owner may buy again (at the price then) while the bargain lasts. */
export async function releaseBargain(ctx: ServerContext, order: Pick<PayOrderDoc, '_id' | 'bargain'>): Promise<void> {
  if (!order.bargain) return;
  await ctx.db
    .collection('bargains')
    .where({ _id: order.bargain.bargainId, orderId: order._id })
    .update({ data: { orderId: null } });
}
