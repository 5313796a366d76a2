import { z } from 'zod';
import type { CommissionDoc, PayOrderState } from '../../typings/documents';

/**
 * Distribution (分销, RULES.md): a member shares an item with their referral code (their
 * invite code); a friend who buys it through the share earns the sharer a commission, in
 * points, once the order can no longer be refunded. `config/distribution`.
 */
export const distributionConfigSchema = z
  .object({
    enabled: z.boolean(),
    /** Commission as a percent of what the friend paid. */
    ratePercent: z.number().min(0).max(50),
    /** Points per yuan of commission (commissions are paid in points). */
    pointsPerYuan: z.number().int().min(1).max(100),
    /** Days after payment during which a refund can still come; the commission is paid after them. */
    refundWindowDays: z.number().int().min(0).max(60),
  })
  .strict();
export type DistributionConfig = z.infer<typeof distributionConfigSchema>;

export const DEFAULT_DISTRIBUTION_CONFIG: DistributionConfig = { enabled: true, ratePercent: 10, pointsPerYuan: 10, refundWindowDays: 7 };

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
