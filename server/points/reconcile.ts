import type { ReconcileResult } from '../../typings/api';
import { commissionAgrees } from '../../core/distribution/commission';
import type { CommissionDoc, MemberDoc, PayOrderDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { findDocs, findIn } from '../platform/db';
import { correctCachedBalance } from './post';

/**
 * Checks one page of members (in `_id` order after `cursor`): is the cached balance the
 * sum of their ledger, and the cached spend the sum of their spend ledger? The sums come from one aggregate per page, so a full pass reads
 * each ledger entry once and never holds more than a page in memory. With `fix`, a wrong
 * cache is rebuilt by a conditional update on the value seen, so a concurrent check-in
 * (which moves both ledger and cache) is never overwritten.
 */
export async function reconcilePage(ctx: ServerContext, cursor: string, pageSize: number, fix: boolean): Promise<ReconcileResult> {
  const _ = ctx.db.command;
  const $ = _.aggregate;
  const members = await findDocs<MemberDoc>(
    ctx.db
      .collection('members')
      .where({ _id: _.gt(cursor) })
      .orderBy('_id', 'asc')
      .limit(pageSize),
  );
  if (members.length === 0)
    return { checked: 0, mismatches: [], spendMismatches: [], commissionMismatches: [], fixed: 0, nextCursor: null };
  const ids = members.map((m) => m._id);
  const sumsOf = async (collection: 'ledger' | 'spendLedger', field: string) =>
    new Map(
      (
        (await ctx.db
          .collection(collection)
          .aggregate()
          .match({ openid: _.in(ids) })
          .group({ _id: '$openid', total: $.sum(field) })
          .limit(pageSize)
          .end()) as unknown as { list: { _id: string; total: number }[] }
      ).list.map((s) => [s._id, s.total]),
    );
  const [ledger, spent, commissionMismatches] = await Promise.all([
    sumsOf('ledger', '$delta'),
    sumsOf('spendLedger', '$amount'),
    commissionsAgainstOrders(ctx, ids),
  ]);
  const mismatches = members
    .filter((m) => (ledger.get(m._id) ?? 0) !== m.points)
    .map((m) => ({ openid: m._id, cached: m.points, ledger: ledger.get(m._id) ?? 0 }));
  // Spend is reported, not rebuilt: its monthly buckets come from the lines' days, which an operator should look at.
  const spendMismatches = members
    .filter((m) => (spent.get(m._id) ?? 0) !== (m.spend?.total ?? 0))
    .map((m) => ({ openid: m._id, cached: m.spend?.total ?? 0, ledger: spent.get(m._id) ?? 0 }));
  let fixed = 0;
  if (fix) {
    for (const m of mismatches) {
      if (await correctCachedBalance(ctx, m.openid, m.cached, m.ledger)) fixed++;
    }
  }
  return {
    checked: members.length,
    mismatches,
    spendMismatches,
    commissionMismatches,
    fixed,
    nextCursor: members.length < pageSize ? null : (ids.at(-1) ?? null),
  };
}

/** The commissions these members earned as sharers whose state disagrees with their order's (`commissionAgrees`). */
async function commissionsAgainstOrders(ctx: ServerContext, sharers: string[]): Promise<ReconcileResult['commissionMismatches']> {
  const commissions = await findIn<CommissionDoc>(ctx.db, 'commissions', 'sharer', sharers);
  const orders = new Map(
    (
      await findIn<PayOrderDoc>(
        ctx.db,
        'payOrders',
        '_id',
        commissions.map((c) => c._id),
      )
    ).map((o) => [o._id, o.state]),
  );
  return commissions
    .filter((c) => !commissionAgrees(c.state, orders.get(c._id)))
    .map((c) => ({ orderId: c._id, sharer: c.sharer, commission: c.state, order: orders.get(c._id) ?? null }));
}
