import { z } from 'zod';
import { configKey } from '../config/key';
import type { Reward } from '../../typings/vocabulary';
import { businessDaySchema } from '../time/schema';

/** What a member does that can count towards a task; counted server-side only. */
export const TASK_TRIGGERS = ['checkin', 'browse_product', 'share', 'invite_registered', 'profile_completed'] as const;
export type TaskTrigger = (typeof TASK_TRIGGERS)[number];

const day = businessDaySchema;

export const taskRewardSchema = z.lazy(
  () =>
    z.discriminatedUnion('type', [
      z.object({ type: z.literal('points'), points: z.number().int().positive().max(100_000) }),
      z.object({ type: z.literal('makeupCard'), cards: z.number().int().positive().max(10) }),
      z.object({ type: z.literal('coupon'), couponKey: z.string().min(1).max(64), title: z.string().min(1).max(40) }),
      z.object({ type: z.literal('badge'), badge: z.string().min(1).max(32), title: z.string().min(1).max(20) }),
    ]) satisfies z.ZodType<Reward>,
);
export type TaskReward = Reward;

/**
 * A task as operators define it, one document per task in `tasks`. A document that fails
 * this schema is skipped (and logged), never shown to members.
 */
export const taskSchema = z.lazy(() =>
  z
    .object({
      _id: configKey,
      version: z.number().int().positive(),
      title: z.string().min(1).max(20),
      description: z.string().max(60).default(''),
      kind: z.enum(['daily', 'weekly', 'once', 'newbie']),
      trigger: z.enum(TASK_TRIGGERS),
      target: z.number().int().min(1).max(100),
      reward: taskRewardSchema,
      activeFrom: day.optional(),
      activeTo: day.optional(),
      order: z.number().int().min(0).max(10_000),
      difficulty: z.enum(['easy', 'medium', 'hard']),
      enabled: z.boolean(),
    })
    .strict()
    .refine((t) => !t.activeFrom || !t.activeTo || t.activeFrom <= t.activeTo, { message: 'activeFrom must not be after activeTo' }),
);
export type TaskDefinition = z.infer<typeof taskSchema>;
