import { z } from 'zod';
import type { Reward } from '../../typings/vocabulary';
import type { ConfigSpec } from './spec';

/**
 * Operator-configurable check-in rules (config document `config/checkin`), with the
 * defaults from docs/rules.md. Day n of a streak earns base + step × (n − 1), capped.
 */
/** A milestone gives points, make-up cards or a coupon (badges come from streak lengths). */
export type MilestoneReward = Exclude<Reward, { type: 'badge' }>;
const reward = z.lazy(
  () =>
    z.discriminatedUnion('type', [
      z.object({ type: z.literal('points'), points: z.number().int().positive().max(100_000) }),
      z.object({ type: z.literal('makeupCard'), cards: z.number().int().positive().max(10) }),
      z.object({ type: z.literal('coupon'), couponKey: z.string().min(1).max(64), title: z.string().min(1).max(40) }),
    ]) satisfies z.ZodType<MilestoneReward>,
);

const milestone = z.lazy(() =>
  z.object({
    day: z.number().int().min(2).max(366),
    title: z.string().min(1).max(20),
    /** `member`: once in a member's life; `streak`: once per unbroken streak. */
    once: z.enum(['member', 'streak']),
    /** One entry is a fixed reward; several make a mystery gift drawn by weight. */
    pool: z
      .array(z.object({ weight: z.number().int().positive(), reward }))
      .min(1)
      .max(20),
  }),
);
export type Milestone = z.infer<typeof milestone>;

export const checkinConfigSchema = z.lazy(() =>
  z
    .object({
      version: z.number().int().positive(),
      basePoints: z.number().int().min(0).max(10_000),
      stepPoints: z.number().int().min(0).max(10_000),
      capPoints: z.number().int().min(0).max(100_000),
      newbieDays: z.number().int().min(0).max(90),
      newbieMultiplier: z.number().int().min(1).max(10),
      makeupWindowDays: z.number().int().min(1).max(31),
      milestones: z.array(milestone).max(20),
      /** Achievement badges for streak lengths, kept on the member for good. */
      badges: z
        .array(
          z.object({
            day: z.number().int().min(2).max(3650),
            badge: z.string().regex(/^[a-z0-9-]{2,32}$/),
            title: z.string().min(1).max(20),
          }),
        )
        .max(20),
    })
    .strict()
    .refine((c) => c.capPoints >= c.basePoints, { message: 'capPoints must be at least basePoints' })
    .refine((c) => new Set(c.milestones.map((m) => m.day)).size === c.milestones.length, { message: 'milestone days must be distinct' }),
);

export type CheckinConfig = z.infer<typeof checkinConfigSchema>;

export const DEFAULT_CHECKIN_CONFIG: CheckinConfig = {
  version: 1,
  basePoints: 5,
  stepPoints: 5,
  capPoints: 30,
  newbieDays: 7,
  newbieMultiplier: 2,
  makeupWindowDays: 7,
  milestones: [
    {
      day: 3,
      title: '连签3天专属券',
      once: 'member',
      pool: [{ weight: 1, reward: { type: 'coupon', couponKey: 'checkin-day3', title: '连签专属满100减20券' } }],
    },
    {
      day: 7,
      title: '连签7天神秘礼包',
      once: 'streak',
      pool: [
        { weight: 6, reward: { type: 'points', points: 50 } },
        { weight: 3, reward: { type: 'makeupCard', cards: 1 } },
        { weight: 1, reward: { type: 'coupon', couponKey: 'mystery-no-threshold-10', title: '10元无门槛券' } },
      ],
    },
  ],
  badges: [
    { day: 7, badge: 'streak-7', title: '连签7天' },
    { day: 30, badge: 'streak-30', title: '连签30天' },
    { day: 100, badge: 'streak-100', title: '连签100天' },
  ],
};

export const CHECKIN_CONFIG: ConfigSpec<CheckinConfig> = { key: 'checkin', schema: checkinConfigSchema, defaults: DEFAULT_CHECKIN_CONFIG };
