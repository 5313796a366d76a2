import { z } from 'zod';
import type { ReferralsView } from '../../typings/api';
import type { CommissionDoc, SpreadDoc } from '../../typings/documents';
import { findDocs } from '../platform/db';
import { requireRole } from '../platform/roles';
import { action } from '../platform/router';

/**
 * The spread path for operators: who brought whom to which item (newest first), how often
 * they opened it and whether they bought, and the commissions with their state. Optionally
 * for one sharer.
 */
export const referrals = action(
  () => z.object({ sharer: z.string().min(1).max(64).optional() }).strict(),
  async (ctx, input): Promise<ReferralsView> => {
    await requireRole(ctx, 'operator');
    const where = input.sharer ? { sharer: input.sharer } : {};
    const [spreads, commissions] = await Promise.all([
      findDocs<SpreadDoc>(ctx.db.collection('spreads').where(where).orderBy('at', 'desc').limit(200)),
      findDocs<CommissionDoc>(ctx.db.collection('commissions').where(where).orderBy('at', 'desc').limit(200)),
    ]);
    return {
      spreads: spreads.map((s) => ({
        sharer: s.sharer,
        viewer: s.viewer,
        itemId: s.itemId,
        at: s.at.toISOString(),
        opens: s.opens,
        conversions: s.conversions,
      })),
      commissions: commissions.map((c) => ({
        orderId: c._id,
        sharer: c.sharer,
        buyer: c.buyer,
        itemId: c.itemId,
        amount: c.amount,
        points: c.points,
        state: c.state,
        dueAt: c.dueAt.toISOString(),
        reversal: c.reversal ? { takenBack: c.reversal.takenBack, forgiven: c.reversal.forgiven } : null,
      })),
    };
  },
);
