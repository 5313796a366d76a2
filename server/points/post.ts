import { balanceOf } from '../../core/points/ledger';
import type { LedgerEntryDoc, MemberDoc, SpendLineDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { type Tx, updatedCount } from '../platform/db';
import { AppError } from '../platform/errors';

/** Fields of the member document a posting may change along with the balance (never the balance itself). */
export type MemberPatch = Record<string, unknown> & { points?: never };

/**
 * The one way points and money move. A posting is a journal: lines between the member's
 * accounts and named counter-accounts — points against a system account (issuance,
 * redemption, expiry), money (fen) against the store that took it — each keyed for
 * idempotency (its `_id`: a second posting of the same key fails the caller's
 * transaction). Inside the caller's transaction it writes the lines, then the member's
 * cached balances — with any other member fields the same decision changed — in one
 * update, and returns the new points balance, which can never go below zero. A posting
 * with money lines carries the member's new `spend` (its months are the decision's to
 * shape); its total must equal the old total plus the lines.
 */
export async function postJournal(
  tx: Tx,
  member: Pick<MemberDoc, 'openid' | 'points' | 'spend'>,
  lines: readonly LedgerEntryDoc[],
  patch: MemberPatch = {},
  money: readonly SpendLineDoc[] = [],
): Promise<number> {
  if ([...lines, ...money].some((line) => line.openid !== member.openid))
    throw new Error(`a posting for ${member.openid} carries another member's line`);
  if ('points' in patch) throw new Error('the balance is the posting’s to set');
  const spendTotal = (member.spend?.total ?? 0) + money.reduce((sum, line) => sum + line.amount, 0);
  if (money.length > 0 ? (patch['spend'] as MemberDoc['spend'])?.total !== spendTotal : 'spend' in patch)
    throw new Error('the cached spend must move with its lines');
  const balance = member.points + balanceOf(lines);
  if (balance < 0) throw new AppError('INSUFFICIENT_POINTS', '积分不足');
  for (const line of lines) await tx.collection('ledger').add({ data: line });
  for (const line of money) await tx.collection('spendLedger').add({ data: line });
  await tx
    .collection('members')
    .doc(member.openid)
    .update({ data: { ...patch, points: balance } });
  return balance;
}

/**
 * Reconciliation's correction: sets a cached balance the ledger disagrees with to the
 * ledger's sum, conditional on it still being the value that was checked (a posting racing
 * it wins). Not a posting — no points move — and so not in the ledger.
 */
export async function correctCachedBalance(ctx: ServerContext, openid: string, cached: number, ledger: number): Promise<boolean> {
  const res = await updatedCount(
    ctx.db
      .collection('members')
      .where({ _id: openid, points: cached })
      .update({ data: { points: ledger } }),
  );
  return res === 1;
}
