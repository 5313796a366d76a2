import { z } from 'zod';
import { configKey } from '../config/key';
import type { MemberDoc } from '../../typings/documents';
import type { Stage, Tag, Tier } from '../../typings/vocabulary';
import { type BusinessDay, beijingDay, daysBetween } from '../time/beijing';

const TAGS = ['high_value', 'potential_churn', 'price_sensitive', 'high_intent'] as const satisfies readonly Tag[];
const TIERS = ['bronze', 'silver', 'gold'] as const satisfies readonly Tier[];
const STAGES = ['potential', 'new', 'active', 'sleeping', 'churned'] as const satisfies readonly Stage[];

/**
 * Who a targeted offer is for: members matching every condition given (within one, any of
 * its values) — tags, segments, tiers, lifecycle stages, and how long since they were seen.
 */
export const audienceSchema = z.lazy(() =>
  z
    .object({
      tags: z.array(z.enum(TAGS)).min(1).max(4).optional(),
      segments: z
        .array(z.string().regex(/^(low|mid|high)-(low|high)$/))
        .min(1)
        .max(6)
        .optional(),
      tiers: z.array(z.enum(TIERS)).min(1).max(3).optional(),
      stages: z.array(z.enum(STAGES)).min(1).max(5).optional(),
      /** Seen within this many days… */
      seenWithinDays: z.number().int().min(0).max(365).optional(),
      /** …or away at least this many. */
      awayAtLeastDays: z.number().int().min(1).max(365).optional(),
    })
    .strict()
    .refine((a) => Object.keys(a).length > 0, { message: 'an audience needs at least one condition (not every member)' }),
);
export type Audience = z.infer<typeof audienceSchema>;

/**
 * `offers/<id>`: a targeted offer (docs/rules.md) — an audience, what they get (a coupon of a
 * template, or points) and the share held out to measure it against.
 */
export const offerSchema = z.lazy(() =>
  z
    .object({
      _id: configKey,
      version: z.number().int().positive(),
      title: z.string().min(1).max(20),
      audience: audienceSchema,
      reward: z.discriminatedUnion('type', [
        z.object({ type: z.literal('coupon'), couponKey: z.string().min(1).max(64) }).strict(),
        z.object({ type: z.literal('points'), points: z.number().int().min(1).max(10_000) }).strict(),
      ]),
      holdoutPercent: z.number().min(0).max(50).default(10),
      enabled: z.boolean(),
    })
    .strict(),
);
export type Offer = z.infer<typeof offerSchema>;

/** Whether a member is in the audience on `today` (Beijing). */
export function inAudience(
  member: Pick<MemberDoc, 'tier' | 'lastSeenAt' | 'tags' | 'segment' | 'stage'>,
  audience: Audience,
  today: BusinessDay,
): boolean {
  const away = daysBetween(beijingDay(member.lastSeenAt), today);
  return (
    (!audience.tags || audience.tags.some((t) => member.tags?.includes(t))) &&
    (!audience.segments || (member.segment !== undefined && audience.segments.includes(member.segment))) &&
    (!audience.tiers || audience.tiers.includes(member.tier)) &&
    (!audience.stages || (member.stage !== undefined && audience.stages.includes(member.stage))) &&
    (audience.seenWithinDays === undefined || away <= audience.seenWithinDays) &&
    (audience.awayAtLeastDays === undefined || away >= audience.awayAtLeastDays)
  );
}
