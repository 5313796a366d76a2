import type { DistributionConfig } from '../config/distribution';
import type { CommissionDoc, PayOrderState } from '../../typings/documents';

/** The sharer's commission for a friend's payment of `amount` fen, in whole points. */
export function commissionPoints(amount: number, config: Pick<DistributionConfig, 'ratePercent' | 'pointsPerYuan'>): number {
  return Math.floor((amount * config.ratePercent * config.pointsPerYuan) / 10_000);
}

/**
 * Whether a share from `sharer` to `viewer` would close a loop: the viewer is the sharer,
 * or somewhere up the chain of who brought the sharer to the item (`upstream`: the
 * sharer's referrer, theirs, …). Loops earn nothing.
 */
export function closesLoop(viewer: string, sharer: string, upstream: readonly string[]): boolean {
  return viewer === sharer || upstream.includes(viewer);
}

/** `spreads/<item>:<viewer>`: who first brought a member to an item (one per member and item). */
export const spreadId = (itemId: string, viewer: string) => `${itemId}:${viewer}`;

/**
 * Whether a commission's state agrees with its order's (what `reconcile` checks): pending
 * or paid only while the order stands (a paid one also while its refund is under way:
 * it is taken back when the money has gone back), cancelled only once a refund was asked
 * for, reversed only after the refund.
 */
export function commissionAgrees(commission: CommissionDoc['state'], order: PayOrderState | undefined): boolean {
  if (order === undefined) return false;
  switch (commission) {
    case 'pending':
      return order === 'fulfilled';
    case 'paid':
      return order === 'fulfilled' || order === 'refunding';
    case 'cancelled':
      return order === 'refunding' || order === 'refunded';
    case 'reversed':
      return order === 'refunded';
  }
}
