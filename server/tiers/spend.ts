import type { TiersConfig } from '../../core/config/tiers';
import { type Purchase, type PurchaseDecision, decidePurchase } from '../../core/tiers/spend';
import type { MemberDoc } from '../../typings/documents';
import { postJournal } from '../points/post';
import type { Tx } from '../platform/db';

/**
 * A purchase booked in the caller's transaction, wherever it was paid (at a till or with
 * WeChat Pay): the spend and the points it earns posted, and a member whose qualifying
 * spend now reaches a higher tier moved up at once, with its tier-history entry. `alsoOnMember`
 * is written on the member with the posting (e.g. their day's activity). Returns what was
 * decided and the member's new points balance.
 */
export async function bookPurchase(
  tx: Tx,
  member: MemberDoc,
  tiers: TiersConfig,
  purchase: Purchase,
  alsoOnMember: Record<string, unknown> = {},
): Promise<{ result: PurchaseDecision['result']; balance: number }> {
  const decision = decidePurchase(member, tiers, purchase);
  if (decision.history) await tx.collection('tierHistory').add({ data: decision.history });
  const balance = await postJournal(tx, member, decision.pointLines, { ...alsoOnMember, ...decision.patch }, [decision.spendLine]);
  return { result: decision.result, balance };
}
