import { z } from 'zod';
import type { ConfigSpec } from './spec';

const days = z.lazy(() => z.number().int().min(1).max(365));

/**
 * `config/lifecycle`: how members move through the stages, what the tags mean, and how
 * long raw events are kept. Operators write only what they change; `configIssues` names
 * any problem and members keep the defaults.
 */
export const lifecycleConfigSchema = z.lazy(() =>
  z
    .object({
      /** Distinct active days after which a new member has a habit (is active). */
      habitDays: z.number().int().min(1).max(60),
      /** Absent more than this many days → sleeping. */
      sleepingAfterDays: days,
      /** No login for more than this many days → churned. */
      churnedAfterDays: days,
      /** A churn risk at or above this moves an active member to sleeping before the absence rule does. */
      sleepingRisk: z.number().gt(0).max(1),
      /**
       * The exclusive limited coupon granted on the 3rd consecutive active day (once per
       * member); null turns it off, e.g. when the check-in day-3 milestone is meant to be it.
       */
      activeStreakCouponKey: z.string().min(1).max(64).nullable(),
      tags: z
        .object({
          /** high value: spend in the last 30 days above this (fen) and high behaviour density. */
          highValueSpend30: z.number().int().min(0),
          /** potential churn: no login for more than this many days and no open order. */
          potentialChurnDays: days,
          /** price sensitive: at least `minClaims` coupons claimed in 90 days, used at most `maxUseRate` of them. */
          priceSensitive: z.object({ minClaims: z.number().int().min(1), maxUseRate: z.number().min(0).max(1) }).strict(),
          /** high intent: one product viewed on at least `views` days within `days`. */
          highIntent: z.object({ views: z.number().int().min(1).max(31), days: z.number().int().min(1).max(31) }).strict(),
        })
        .strict(),
      /** A segment alert: participation more than `drop` below the mean of the `baselineDays` before, `days` nights running, in segments of at least `minMembers`. */
      segmentAlert: z
        .object({
          drop: z.number().gt(0).lt(1),
          days: z.number().int().min(1).max(14),
          baselineDays: z.number().int().min(1).max(28),
          minMembers: z.number().int().min(1),
        })
        .strict(),
      /** Raw `events` and `funnel` documents older than this are deleted (rollups stay). */
      eventRetentionDays: z.number().int().min(7).max(730),
      /** Members whose visit histories the weekly churn-model fit reads. */
      modelSampleSize: z.number().int().min(100).max(50_000),
    })
    .strict()
    .refine((c) => c.sleepingAfterDays < c.churnedAfterDays, { message: 'sleeping must start before churned', path: ['churnedAfterDays'] })
    .refine((c) => c.tags.highIntent.views <= c.tags.highIntent.days, {
      message: 'cannot view on more days than the window has',
      path: ['tags', 'highIntent'],
    }),
);
export type LifecycleConfig = z.infer<typeof lifecycleConfigSchema>;

export const DEFAULT_LIFECYCLE_CONFIG: LifecycleConfig = {
  habitDays: 3,
  sleepingAfterDays: 7,
  churnedAfterDays: 30,
  sleepingRisk: 0.8,
  activeStreakCouponKey: 'active-day3',
  tags: {
    highValueSpend30: 50_000,
    potentialChurnDays: 15,
    priceSensitive: { minClaims: 3, maxUseRate: 0.3 },
    highIntent: { views: 3, days: 7 },
  },
  segmentAlert: { drop: 0.15, days: 3, baselineDays: 7, minMembers: 20 },
  eventRetentionDays: 90,
  modelSampleSize: 5000,
};

export const LIFECYCLE_CONFIG: ConfigSpec<LifecycleConfig> = {
  key: 'lifecycle',
  schema: lifecycleConfigSchema,
  defaults: DEFAULT_LIFECYCLE_CONFIG,
};
