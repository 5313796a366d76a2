import { spreadId } from '../../core/distribution/commission';
import { earning, takeBack } from '../../core/points/ledger';
import { type BusinessDay, beijingDay } from '../../core/time/beijing';
import type { CommissionDoc, PayOrderDoc, SpreadDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { type Tx, findDocs, inTransaction, txGet } from '../platform/db';
import { postJournal } from '../points/post';

/**
 * A friend's order bought through a share, fulfilled in the caller's transaction: the
 * sharer's commission, pending until the refund window has passed (`payDueCommissions`
 * pays it; a refund asked for before then cancels it), and the share's conversion counted.
 */
export async function bookCommission(
  tx: Tx,
  order: Pick<PayOrderDoc, '_id' | 'openid' | 'itemId' | 'amount'>,
  referral: NonNullable<PayOrderDoc['referral']>,
  now: Date,
): Promise<void> {
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

/** A refund asked for within the refund window cancels the commission not yet paid, in the refund's transaction. */
export async function cancelPendingCommission(tx: Tx, orderId: string, now: Date): Promise<void> {
  const commission = await txGet(tx, 'commissions', orderId).catch(() => undefined);
  if (commission?.state === 'pending')
    await tx
      .collection('commissions')
      .doc(orderId)
      .update({ data: { state: 'cancelled', settledAt: now } });
}

/**
 * The timer's part: commissions whose refund window has passed are paid to the sharer in
 * points (ledger line `commission:<order>`, once), each in a transaction that re-reads it —
 * a commission whose order is being refunded by then is cancelled instead.
 */
export async function payDueCommissions(ctx: ServerContext): Promise<{ paid: number; cancelled: number }> {
  const now = ctx.clock.now();
  const due = await findDocs<CommissionDoc>(
    ctx.db
      .collection('commissions')
      .where({ state: 'pending', dueAt: ctx.db.command.lte(now) })
      .limit(200),
  );
  const counts = { paid: 0, cancelled: 0 };
  for (const c of due) {
    const outcome = await inTransaction(ctx.db, async (tx) => {
      const current = await txGet(tx, 'commissions', c._id);
      if (current.state !== 'pending') return null;
      const order = await txGet(tx, 'payOrders', c._id);
      const doc = tx.collection('commissions').doc(c._id);
      if (order.state !== 'fulfilled') {
        await doc.update({ data: { state: 'cancelled', settledAt: now } });
        return 'cancelled' as const;
      }
      const sharer = await txGet(tx, 'members', c.sharer);
      await postJournal(tx, sharer, [earning(`commission:${c._id}`, c.sharer, c.points, 'commission', c._id, now, beijingDay(now))]);
      await doc.update({ data: { state: 'paid', settledAt: now } });
      return 'paid' as const;
    });
    if (outcome) counts[outcome]++;
  }
  return counts;
}

/**
 * A paid commission's order was refunded: in the refund's transaction, the commission is
 * taken back from the sharer as far as their balance allows, the rest forgiven and
 * recorded (`reversed`). A payout racing the refund writes the same document, so the two
 * conflict and whichever goes second sees the other's outcome: a refunded order ends with
 * its commission cancelled (refund first) or reversed (payout first), never paid.
 */
export async function takeBackCommission(tx: Tx, orderId: string, at: { now: Date; today: BusinessDay }): Promise<void> {
  const c = await txGet(tx, 'commissions', orderId).catch(() => undefined);
  if (c?.state !== 'paid') return;
  const sharer = await txGet(tx, 'members', c.sharer);
  const { lines, takenBack, forgiven } = takeBack(
    `commission-refund:${orderId}`,
    c.sharer,
    c.points,
    sharer.points,
    orderId,
    at.now,
    at.today,
  );
  if (lines.length) await postJournal(tx, sharer, lines);
  await tx
    .collection('commissions')
    .doc(orderId)
    .update({ data: { state: 'reversed', reversal: { takenBack, forgiven, at: at.now } } });
}
