import { z } from 'zod';
import type { MyCommissions } from '../../typings/api';
import type { CommissionDoc } from '../../typings/documents';
import { loadItems } from '../mall/catalogue';
import { ensureMember } from '../member/registration';
import { findDocs } from '../platform/db';
import { action } from '../platform/router';

/**
 * 我的推广: what the member's shares earned, newest first — each commission with the item
 * bought (by its name), the order's amount, the points, and where it stands (pending until
 * the order's refund window passes, then paid; cancelled or taken back by a refund) — and
 * the totals pending and paid. Who bought is not shown: a friend's purchase is theirs.
 */
export const myCommissions = action(
  () => z.object({}).strict(),
  async (ctx): Promise<MyCommissions> => {
    const { member } = await ensureMember(ctx);
    const [commissions, items] = await Promise.all([
      findDocs<CommissionDoc>(ctx.db.collection('commissions').where({ sharer: member.openid }).orderBy('at', 'desc').limit(100)),
      loadItems(ctx),
    ]);
    const titles = new Map(items.map((i) => [i._id, i.title]));
    const total = (state: CommissionDoc['state']) => commissions.filter((c) => c.state === state).reduce((sum, c) => sum + c.points, 0);
    return {
      pendingPoints: total('pending'),
      paidPoints: total('paid'),
      commissions: commissions.map((c) => ({
        id: c._id,
        title: titles.get(c.itemId) ?? '已下架商品',
        amount: c.amount,
        points: c.points,
        state: c.state,
        dueAt: c.dueAt.toISOString(),
        at: c.at.toISOString(),
      })),
    };
  },
);
