import { balanceOf } from '../../core/points/ledger';
import { expiredLots } from '../../core/points/lots';
import type { BusinessDay } from '../../core/time/beijing';
import type { LedgerEntryDoc, MemberDoc } from '../../typings/documents';
import type { ServerContext } from '../context';
import { inTransaction, isDuplicateWrite, txGet } from '../db';
import { memberEntries } from './entries';

/**
 * Expires a member's points whose last valid day is before `today`, oldest first. One
 * ledger entry per expiry day (`expiry:<openid>:<day>`), so a re-run expires nothing
 * twice. The entries were read before the transaction; the transaction goes ahead only
 * if the member's balance still equals their sum, i.e. nothing moved in between.
 */
export async function expireMemberPoints(ctx: ServerContext, openid: string, today: BusinessDay): Promise<number> {
  const entries = await memberEntries(ctx, openid);
  const lots = expiredLots(entries, today);
  if (lots.length === 0) return 0;
  const now = ctx.clock.now();
  const total = lots.reduce((sum, lot) => sum + lot.remaining, 0);
  try {
    return await inTransaction(ctx.db, async (tx) => {
      const m = await txGet<MemberDoc>(tx, 'members', openid);
      if (m.points !== balanceOf(entries)) return 0; // moved meanwhile: the next run sees it
      for (const lot of lots) {
        const entry: LedgerEntryDoc = { _id: `expiry:${openid}:${lot.expiresOn}`, openid, delta: -lot.remaining, counterparty: 'system:expiry', reason: 'expiry', sourceRef: lot.expiresOn, at: now, day: today, expiresOn: null };
        await tx.collection('ledger').add({ data: entry });
      }
      await tx.collection('members').doc(openid).update({ data: { points: m.points - total } });
      return total;
    });
  } catch (err) {
    if (isDuplicateWrite(err)) return 0;
    throw err;
  }
}
