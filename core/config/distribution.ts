import { z } from 'zod';
import type { ConfigSpec } from './spec';

/**
 * Distribution (分销, docs/rules.md): a member shares an item with their referral code (their
 * invite code); a friend who buys it through the share earns the sharer a commission, in
 * points, once the order can no longer be refunded. `config/distribution`.
 */
export const distributionConfigSchema = z.lazy(() =>
  z
    .object({
      enabled: z.boolean(),
      /** Commission as a percent of what the friend paid. */
      ratePercent: z.number().min(0).max(50),
      /** Points per yuan of commission (commissions are paid in points). */
      pointsPerYuan: z.number().int().min(1).max(100),
      /** Days after payment during which a refund can still come; the commission is paid after them. */
      refundWindowDays: z.number().int().min(0).max(60),
    })
    .strict(),
);
export type DistributionConfig = z.infer<typeof distributionConfigSchema>;

export const DEFAULT_DISTRIBUTION_CONFIG: DistributionConfig = { enabled: true, ratePercent: 10, pointsPerYuan: 10, refundWindowDays: 7 };

export const DISTRIBUTION_CONFIG: ConfigSpec<DistributionConfig> = {
  key: 'distribution',
  schema: distributionConfigSchema,
  defaults: DEFAULT_DISTRIBUTION_CONFIG,
};
