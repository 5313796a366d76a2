import { z } from 'zod';
import { decideRefund } from '../../core/tiers/spend';
import { beijingDay } from '../../core/time/beijing';
import type { RefundResult } from '../../typings/api';
import type { RefundDoc, RoleDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { inTransaction, isDuplicateWrite, txGet } from '../platform/db';
import { AppError } from '../platform/errors';
import { postJournal } from '../points/post';
import { requireStaff } from '../platform/roles';
import { action } from '../platform/router';

export const refundInput = z.lazy(() =>
  z
    .object({
      purchaseId: z.string().regex(/^[A-Za-z0-9_:-]{3,160}$/),
      reason: z.string().trim().min(2).max(100),
    })
    .strict(),
);

/** Staff reverse a purchase of their own store. */
export const refundPurchase = action(
  () => refundInput,
  async (ctx, { purchaseId, reason }) => {
    const staff = await requireStaff(ctx);
    return refund(ctx, { ...staff, role: 'staff' }, purchaseId, reason, staff.storeId);
  },
);

/**
 * Refunds a purchase once, in one transaction: the refund record (its id makes a second
 * refund impossible), the negative spend line, the points taken back (as `decideRefund`
 * decides: never below zero) and the purchase marked refunded. Another store's purchase
 * is NOT_FOUND to staff, as if it did not exist.
 */
export async function refund(
  ctx: ServerContext,
  actor: RoleDoc & { role: 'staff' | 'operator' },
  purchaseId: string,
  reason: string,
  storeScope: string | null,
): Promise<RefundResult> {
  const now = ctx.clock.now();
  const today = beijingDay(now);
  try {
    return await inTransaction(ctx.db, async (tx) => {
      const purchase = await txGet(tx, 'purchases', purchaseId).catch(() => undefined);
      if (!purchase || (storeScope !== null && purchase.storeId !== storeScope)) throw new AppError('NOT_FOUND', '消费记录不存在');
      if (purchase.refundedAt) throw new AppError('PURCHASE_ALREADY_REFUNDED', '该笔消费已退款');
      const m = await txGet(tx, 'members', purchase.openid);
      const decision = decideRefund(
        m,
        {
          id: purchase._id,
          amount: purchase.amount,
          day: purchase.day,
          earnedPoints: purchase.result.points,
          counterparty: `store:${purchase.storeId}`,
        },
        { today, now },
      );
      const taken = -decision.pointLines.reduce((sum, line) => sum + line.delta, 0);
      const record: RefundDoc = {
        _id: decision.spendLine._id,
        purchaseId,
        openid: m.openid,
        storeId: purchase.storeId,
        amount: purchase.amount,
        pointsTakenBack: taken,
        pointsForgiven: decision.forgiven,
        by: actor._id,
        role: actor.role,
        reason,
        at: now,
        day: today,
      };
      await tx.collection('refunds').add({ data: record });
      await tx
        .collection('purchases')
        .doc(purchaseId)
        .update({ data: { refundedAt: now } });
      const balance = await postJournal(tx, m, decision.pointLines, decision.patch, [decision.spendLine]);
      return { purchaseId, amount: purchase.amount, pointsTakenBack: taken, pointsForgiven: decision.forgiven, balance };
    });
  } catch (err) {
    if (isDuplicateWrite(err)) throw new AppError('PURCHASE_ALREADY_REFUNDED', '该笔消费已退款');
    throw err;
  }
}
