import { groupFilled, groupResultFields } from '../../core/group/deal';
import type { GroupDoc, PayOrderDoc } from '../../typings/documents';
import { type Booked, type Goods, type Payment, fulfil, moved } from '../orders/book';
import { refundRequest } from '../orders/refunds';
import type { ServerContext } from '../platform/context';
import { type Tx, txGet } from '../platform/db';
import { sendNotice } from '../reminders/notice';

/**
 * A group (拼团) seat's payment, booked in the caller's transaction. The seat is marked paid (the
 * leader's payment opens the group to friends); the payment that fills the group fulfils
 * every seat's order with it. A payment for a seat that is no longer held — its hold ran
 * out, or the group ended — is refunded (the payment raced the group: never kept).
 */
export async function seatPaid(
  tx: Tx,
  order: PayOrderDoc,
  place: NonNullable<PayOrderDoc['group']>,
  payment: Payment,
  goods: Goods,
  now: Date,
): Promise<Booked> {
  const group = await txGet(tx, 'groups', place.groupId);
  const orderDoc = tx.collection('payOrders').doc(order._id);
  const paidFields = { paidAt: now, transactionId: payment.transactionId };
  const held = group.seats.some((s) => s.payOrderId === order._id);
  if (!held || group.state === 'failed' || group.state === 'succeeded') {
    const paid = { ...order, ...moved(order, 'paid', now) };
    await orderDoc.update({
      data: { ...moved(paid, 'refunding', now, '拼团已结束，自动退款'), ...paidFields, refund: refundRequest('拼团已结束', 'system', now) },
    });
    return { state: 'refunding', fulfilled: [], group: null };
  }
  const seats = group.seats.map((s) => (s.payOrderId === order._id ? { ...s, paid: true } : s));
  const groupDoc = tx.collection('groups').doc(group._id);
  if (!groupFilled({ size: group.size, seats })) {
    await orderDoc.update({ data: { ...moved(order, 'paid', now), ...paidFields } });
    await groupDoc.update({ data: { seats, state: 'open' } });
    return { state: 'paid', fulfilled: [], group: null };
  }
  // The last payment: every seat's order is fulfilled with it, in this transaction.
  const fulfilled: Booked['fulfilled'] = [];
  for (const seat of seats) {
    const o = seat.payOrderId === order._id ? order : await txGet(tx, 'payOrders', seat.payOrderId);
    fulfilled.push({ member: await fulfil(tx, o, goods, now, o === order ? payment : null), amount: o.amount });
  }
  const done: GroupDoc = { ...group, seats, state: 'succeeded', closedAt: now, settled: true };
  await groupDoc.update({ data: { seats, state: done.state, closedAt: now, settled: true } });
  return { state: 'fulfilled', fulfilled, group: done };
}

/**
 * A seat whose order ended unpaid goes back to its group (a conditional pull: once), and
 * the member's slot in the deal with it. A leader's group that never opened ends there.
 */
export async function releaseSeat(
  ctx: ServerContext,
  { _id: payOrderId, group: place }: Pick<PayOrderDoc, '_id' | 'group'>,
): Promise<void> {
  if (!place) return;
  const _ = ctx.db.command;
  const groups = ctx.db.collection('groups');
  await groups
    .where({ _id: place.groupId, 'seats.payOrderId': payOrderId })
    .update({ data: { seats: _.pull({ payOrderId }), taken: _.inc(-1) } });
  if (place.leader)
    await groups
      .where({ _id: place.groupId, state: 'pending' })
      .update({ data: { state: 'failed', closedAt: ctx.clock.now(), settled: true } });
  await freeSlot(ctx, payOrderId);
}

/** The member's place among the deal's groups goes back (they may try another group). */
export async function freeSlot(ctx: ServerContext, payOrderId: string): Promise<void> {
  await ctx.db.collection('dealSlots').where({ payOrderId }).remove();
}

/** Tells the group's paid members how it ended (once per member and group, within their consent). */
export async function tellGroup(ctx: ServerContext, group: GroupDoc, succeeded: boolean): Promise<void> {
  for (const seat of group.seats.filter((s) => s.paid))
    await sendNotice(ctx, seat.openid, {
      campaign: 'group-result',
      occasion: group._id,
      template: 'groupResult',
      fields: groupResultFields(group.title, succeeded),
      page: `deals/group/index?id=${group._id}`,
    });
}
