import { z } from 'zod';
import { TIERS, type Tier } from '../../typings/vocabulary';
import { type GivenBirthday, isBenefitBirthday } from '../member/birthday';
import type { ConfigSpec } from './spec';

const tierDefinition = z.lazy(() =>
  z
    .object({
      key: z.enum(TIERS),
      name: z.string().min(1).max(10),
      /** Qualifying spend (fen) over the rolling window that reaches this tier. */
      threshold: z.number().int().min(0).max(100_000_000_00),
      /** Cash prices at this tier, in percent of the list price (95 = 95折). */
      pricePercent: z.number().int().min(50).max(100),
      /** Points earned on spend are multiplied by this. */
      pointsMultiplier: z.number().min(1).max(5),
      /** The coupon template of the birthday pack, if the tier has one. */
      birthdayCouponKey: z.string().min(1).max(64).nullable(),
      memberDay: z.boolean(),
    })
    .strict(),
);
export type TierDefinition = z.infer<typeof tierDefinition>;

/**
 * Operator config `config/tiers` (docs/rules.md, Tiers): bronze / silver / gold by qualifying
 * spend over a rolling window of months, each with its benefits; points earned per yuan
 * spent; the largest single purchase staff may record.
 */
export const tiersConfigSchema = z.lazy(() =>
  z
    .object({
      version: z.number().int().positive(),
      /** The rolling window: this calendar month and the ones before it, Beijing time. */
      windowMonths: z.number().int().min(1).max(36),
      /** Days between the downgrade warning and the downgrade. */
      protectionDays: z.number().int().min(0).max(180),
      /** Points per yuan (100 fen) spent, before the tier multiplier; fractions are dropped. */
      pointsPerYuan: z.number().min(0).max(100),
      /** The largest purchase (fen) one entry may record. */
      maxPurchase: z.number().int().min(100).max(100_000_000),
      /** Points earned on the member's birthday count this many times (newbie and birthday multipliers do not stack). */
      birthdayMultiplier: z.number().min(1).max(5),
      /** Birthday benefits (the doubling, the pack) only for a birthday given at least this many days before. */
      birthdayNoticeDays: z.number().int().min(0).max(366),
      tiers: z.array(tierDefinition).length(TIERS.length),
    })
    .strict()
    .refine((c) => c.tiers.every((t, i) => t.key === TIERS[i]), {
      message: 'tiers must be bronze, silver, gold in that order',
      path: ['tiers'],
    })
    .refine((c) => c.tiers[0]?.threshold === 0, { message: 'the first tier starts at 0', path: ['tiers', 0, 'threshold'] })
    .refine((c) => c.tiers.every((t, i) => i === 0 || t.threshold > (c.tiers[i - 1]?.threshold ?? 0)), {
      message: 'thresholds must rise from tier to tier',
      path: ['tiers'],
    }),
);
export type TiersConfig = z.infer<typeof tiersConfigSchema>;

export const DEFAULT_TIERS_CONFIG: TiersConfig = {
  version: 1,
  windowMonths: 12,
  protectionDays: 30,
  pointsPerYuan: 1,
  maxPurchase: 5_000_000,
  birthdayMultiplier: 2,
  birthdayNoticeDays: 30,
  tiers: [
    {
      key: 'bronze',
      name: '铜卡',
      threshold: 0,
      pricePercent: 100,
      pointsMultiplier: 1,
      birthdayCouponKey: 'birthday-10',
      memberDay: false,
    },
    {
      key: 'silver',
      name: '银卡',
      threshold: 100_000,
      pricePercent: 95,
      pointsMultiplier: 1.2,
      birthdayCouponKey: 'birthday-10',
      memberDay: true,
    },
    {
      key: 'gold',
      name: '金卡',
      threshold: 500_000,
      pricePercent: 90,
      pointsMultiplier: 1.5,
      birthdayCouponKey: 'birthday-30',
      memberDay: true,
    },
  ],
};

export const TIERS_CONFIG: ConfigSpec<TiersConfig> = { key: 'tiers', schema: tiersConfigSchema, defaults: DEFAULT_TIERS_CONFIG };

export const tierDefinitionOf = (config: TiersConfig, tier: Tier): TierDefinition =>
  config.tiers.find((t) => t.key === tier) ?? (config.tiers[0] as TierDefinition);

/** The birthday multiplier if today is the member's birthday and its benefits apply, else null. */
export function birthdayMultiplierFor(member: GivenBirthday, config: TiersConfig, today: string): number | null {
  return isBenefitBirthday(member, today, config.birthdayNoticeDays) ? config.birthdayMultiplier : null;
}
