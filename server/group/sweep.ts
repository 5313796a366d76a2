import { chunk } from 'lodash-es';
import type { GroupDoc, PayOrderDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { findDocs, findIn, findOne, updatedCount } from '../platform/db';
import { AppError } from '../platform/errors';
import { returnOrderUnit } from '../orders/book';
import { requestRefund } from '../orders/refunds';
import { freeSlot, tellGroup } from './seats';

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
  const due = await findDocs<GroupDoc>(
    ctx.db
      .collection('groups')
      .where({ settled: false, deadline: ctx.db.command.lte(now) })
      .limit(pageSize),
  );
  const counts: SweepCounts = { failed: 0, refundsRequested: 0, waiting: 0 };
  // A few groups at a time: each waits on its own requests, not on the others'.
  for (const batch of chunk(due, PARALLEL_GROUPS))
    for (const one of await Promise.all(batch.map((g) => failGroup(ctx, g._id, now)))) {
      counts.failed += one.failed;
      counts.refundsRequested += one.refundsRequested;
      counts.waiting += one.waiting;
    }
  return counts;
}

const PARALLEL_GROUPS = 8;

/** One group past its deadline: failed (unless it filled first), its paid seats refunded, its units and slots given back, then settled. */
async function failGroup(ctx: ServerContext, groupId: string, now: Date): Promise<SweepCounts> {
  const _ = ctx.db.command;
  const moved = await updatedCount(
    ctx.db
      .collection('groups')
      .where({ _id: groupId, state: _.in(['pending', 'open']) })
      .update({ data: { state: 'failed', closedAt: now } }),
  );
  const counts: SweepCounts = { failed: moved, refundsRequested: 0, waiting: 0 };
  const group = await findOne(ctx.db, 'groups', groupId);
  if (group?.state !== 'failed') return counts;
  const orders = await findIn<PayOrderDoc>(
    ctx.db,
    'payOrders',
    '_id',
    group.seats.map((s) => s.payOrderId),
  );
  const outcomes = await Promise.all(orders.map((order) => refundSeat(ctx, order)));
  counts.refundsRequested = outcomes.filter((o) => o === 'asked').length;
  if (outcomes.includes('waiting')) return { ...counts, waiting: 1 };
  await tellGroup(ctx, group, false);
  await ctx.db
    .collection('groups')
    .doc(group._id)
    .update({ data: { settled: true } });
  return counts;
}

/**
 * A seat of a failed group: a paid order is refunded (asked once; already refunding is
 * fine), its unit and the member's slot go back. An unpaid seat's order expires on its own
 * (settleDuePayOrders), giving its seat back: the group waits for it.
 */
async function refundSeat(ctx: ServerContext, order: PayOrderDoc): Promise<'asked' | 'done' | 'waiting'> {
  if (order.state === 'created') return 'waiting';
  let outcome: 'asked' | 'done' | 'waiting' = 'done';
  if (order.state === 'paid')
    outcome = await requestRefund(ctx, order._id, '拼团未成功，自动退款', 'system').then(
      () => 'asked' as const,
      (err: unknown) => {
        if (err instanceof AppError && err.code === 'ORDER_STATUS_INVALID') return 'done' as const;
        if (err instanceof AppError && err.code === 'CONFLICT') return 'waiting' as const;
        throw err;
      },
    );
  await releaseUnit(ctx, order);
  await freeSlot(ctx, order._id);
  return outcome;
}

/** The order's unit goes back to its deal, once (the flag is cleared conditionally first). */
async function releaseUnit(ctx: ServerContext, order: PayOrderDoc): Promise<void> {
  const cleared = await updatedCount(
    ctx.db
      .collection('payOrders')
      .where({ _id: order._id, stockHeld: true })
      .update({ data: { stockHeld: false } }),
  );
  if (cleared === 1) await returnOrderUnit(ctx, order);
}
