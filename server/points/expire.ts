import { balanceOf, expiring } from '../../core/points/ledger';
import { expiredLots } from '../../core/points/lots';
import type { BusinessDay } from '../../core/time/beijing';
import type { ServerContext } from '../platform/context';
import { inTransaction, isDuplicateWrite, txGet } from '../platform/db';
import { memberEntries } from './entries';
import { postJournal } from './post';

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
      const m = await txGet(tx, 'members', openid);
      if (m.points !== balanceOf(entries)) return 0; // moved meanwhile: the next run sees it
      await postJournal(
        tx,
        m,
        lots.map((lot) => expiring(openid, lot.remaining, lot.expiresOn, now, today)),
      );
      return total;
    });
  } catch (err) {
    if (isDuplicateWrite(err)) return 0;
    throw err;
  }
}
