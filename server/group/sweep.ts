import type { GroupDoc, PayOrderDoc } from '../../typings/documents';
import type { ServerContext } from '../context';
import { findDocs, findIn, findOne } from '../db';
import { AppError } from '../errors';
import { returnOrderUnit } from '../pay/book';
import { requestRefund } from '../pay/settle';
import { freeSlot } from '../pay/seats';

export interface SweepCounts {
  failed: number;
  refundsRequested: number;
  /** Groups left for the next firing: a seat's payment still in flight, or a refund request that conflicted. */
  waiting: number;
}

/**
 * The timer's part: groups past their deadline that did not fill fail (a conditional move,
 * once — a last payment booked first wins), and every paid seat's order is refunded through
 * `requestRefund` (one refund number per order, retried with backoff until WeChat Pay takes
 * it, operators alerted when it keeps failing). Seats' units go back to the deal and members'
 * slots are freed. A group stays unsettled until all of that was asked for, so a firing that
 * dies mid-way, or two racing firings, leave nothing undone and refund nothing twice.
 */
export async function failDueGroups(ctx: ServerContext, pageSize = 100): Promise<SweepCounts> {
  const now = ctx.clock.now();
  const _ = ctx.db.command;
  const due = await findDocs<GroupDoc>(
    ctx.db
      .collection('groups')
      .where({ settled: false, deadline: _.lte(now) })
      .limit(pageSize),
  );
  const counts: SweepCounts = { failed: 0, refundsRequested: 0, waiting: 0 };
  for (const candidate of due) {
    const moved = (await ctx.db
      .collection('groups')
      .where({ _id: candidate._id, state: _.in(['pending', 'open']) })
      .update({ data: { state: 'failed', closedAt: now } })) as { stats: { updated: number } };
    counts.failed += moved.stats.updated;
    const group = await findOne(ctx.db, 'groups', candidate._id);
    if (group?.state !== 'failed') continue;
    const orders = await findIn<PayOrderDoc>(
      ctx.db,
      'payOrders',
      '_id',
      group.seats.map((s) => s.payOrderId),
    );
    let waiting = false;
    for (const order of orders) {
      // An unpaid seat's order expires on its own (settleDuePayOrders), giving its seat back.
      if (order.state === 'created') waiting = true;
      else if (order.state === 'paid') {
        const asked = await requestRefund(ctx, order._id, '拼团未成功，自动退款', 'system').then(
          () => true,
          (err: unknown) => {
            if (err instanceof AppError && err.code === 'ORDER_STATUS_INVALID') return false;
            if (err instanceof AppError && err.code === 'CONFLICT') waiting = true;
            else throw err;
            return false;
          },
        );
        if (asked) counts.refundsRequested++;
      }
      if (order.state !== 'created') {
        await releaseUnit(ctx, order);
        await freeSlot(ctx, order._id);
      }
    }
    if (waiting) counts.waiting++;
    else
      await ctx.db
        .collection('groups')
        .doc(group._id)
        .update({ data: { settled: true } });
  }
  return counts;
}

/** The order's unit goes back to its deal, once (the flag is cleared conditionally first). */
async function releaseUnit(ctx: ServerContext, order: PayOrderDoc): Promise<void> {
  const cleared = (await ctx.db
    .collection('payOrders')
    .where({ _id: order._id, stockHeld: true })
    .update({ data: { stockHeld: false } })) as { stats: { updated: number } };
  if (cleared.stats.updated === 1) await returnOrderUnit(ctx, order);
}
