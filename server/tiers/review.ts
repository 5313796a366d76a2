import type { TiersConfig } from '../../core/config/tiers';
import { reviewTier } from '../../core/tiers/spend';
import type { BusinessDay } from '../../core/time/beijing';
import type { MemberDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { inTransaction, txGet } from '../platform/db';

/**
 * Tonight's tier review of one member (`reviewTier`). Most nights change nothing and cost
 * nothing; a warning, its cancellation or a downgrade is decided again on the member read
 * inside a transaction, so a purchase racing the night is never overwritten. Returns what
 * was done, for the night's counts.
 */
export async function reviewMemberTier(
  ctx: ServerContext,
  member: MemberDoc,
  config: TiersConfig,
  today: BusinessDay,
): Promise<'keep' | 'warn' | 'cancel' | 'downgrade'> {
  if (member.tier === 'bronze' && !member.tierReview) return 'keep';
  const now = ctx.clock.now();
  if (reviewTier(member, config, today, now).kind === 'keep') return 'keep';
  return inTransaction(ctx.db, async (tx) => {
    const m = await txGet(tx, 'members', member.openid);
    const decision = reviewTier(m, config, today, now);
    const members = tx.collection('members').doc(m.openid);
    if (decision.kind === 'warn') await members.update({ data: { tierReview: decision.review } });
    if (decision.kind === 'cancel') await members.update({ data: { tierReview: null } });
    if (decision.kind === 'downgrade') {
      await tx.collection('tierHistory').add({ data: decision.history });
      await members.update({ data: { ...decision.patch, tierReview: null } });
    }
    return decision.kind;
  });
}
