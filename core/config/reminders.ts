import { z } from 'zod';
import { configKey } from './key';
import type { GiftPack } from '../../typings/vocabulary';
import type { ConfigSpec } from './spec';

export const CAMPAIGNS = [
  'streak-evening',
  'absent-7',
  'return-10',
  'coupon-15',
  'return-gift',
  'tier-downgrade',
  'birthday',
  'group-result',
] as const;
/** The campaigns due after days away; the latest one reached wins the day (its priority). */
export const ABSENCE_CAMPAIGNS = ['absent-7', 'return-10', 'coupon-15', 'return-gift'] as const;

const hour = z.lazy(() => z.number().int().min(0).max(23));
const cap = z.lazy(() => z.object({ count: z.number().int().min(1).max(50), days: z.number().int().min(1).max(60) }).strict());
/**
 * An experiment on a campaign: members are assigned deterministically (core/experiments);
 * `holdoutPercent` of them get nothing, the rest one of the variants by weight. A variant
 * may change the coupon (`couponKey`, coupon campaigns), the message's closing line
 * (`note`, ≤ 20 characters: a template `thing`) and the hour it is sent (`sendHour`,
 * Beijing; the pass finds the member at its own hour and the message waits until then).
 */
const experiment = z.lazy(() =>
  z
    .object({
      id: configKey,
      holdoutPercent: z.number().min(0).max(50).default(10),
      variants: z
        .array(
          z
            .object({
              key: z.string().regex(/^[a-z0-9-]{1,32}$/),
              weight: z.number().positive().max(100),
              couponKey: z.string().min(1).max(64).optional(),
              note: z.string().min(1).max(20).optional(),
              sendHour: z.number().int().min(0).max(23).optional(),
            })
            .strict(),
        )
        .min(1)
        .max(5),
    })
    .strict()
    .refine((e) => new Set(e.variants.map((v) => v.key)).size === e.variants.length && !e.variants.some((v) => v.key === 'holdout'), {
      message: 'variant keys must be unique and not "holdout"',
    }),
);
export type Experiment = z.infer<typeof experiment>;
export type Variant = Experiment['variants'][number];
const campaign = z.lazy(() => z.object({ enabled: z.boolean(), experiment: experiment.optional() }).strict());
/** An absence campaign: due once the member has been away `afterDays` days. */
const absence = z.lazy(() =>
  campaign
    .unwrap()
    .extend({ afterDays: z.number().int().min(1).max(365) })
    .strict(),
);
const days = z.lazy(() => z.number().int().min(1).max(365));
/** What a return gift pack (回归礼包) holds; at least one thing. */
const giftPack = z.lazy(
  () =>
    z
      .object({
        points: z.number().int().min(0).max(10_000),
        makeupCards: z.number().int().min(0).max(5),
        couponKey: z.string().min(1).max(64).nullable(),
      })
      .strict()
      .refine((p) => p.points > 0 || p.makeupCards > 0 || p.couponKey !== null, {
        message: 'a gift pack must hold points, make-up cards or a coupon',
      }) satisfies z.ZodType<GiftPack>,
);

/**
 * `config/reminders`: when and how often members are reminded. Caps are per segment, by
 * days since last seen (defaults: active ≤ 7, normal ≤ 14, sleeping ≤ 30; churned, beyond,
 * gets no reminders). A bad document is refused by `configIssues` and members
 * keep the defaults.
 */
export const remindersConfigSchema = z.lazy(() =>
  z
    .object({
      /** No sends from quietStart to quietEnd (Beijing hours, wrapping midnight). */
      quietStart: hour,
      quietEnd: hour,
      /** The absence pass runs from this hour, the streak pass from `eveningHour`. */
      dayHour: hour,
      eveningHour: hour,
      segments: z.object({ activeDays: days, normalDays: days, sleepingDays: days }).strict(),
      caps: z.object({ active: cap, normal: cap, sleeping: cap }).strict(),
      campaigns: z
        .object({
          'streak-evening': campaign
            .unwrap()
            .extend({ minStreak: z.number().int().min(1).max(365) })
            .strict(),
          'absent-7': absence,
          'return-10': absence,
          'coupon-15': absence
            .unwrap()
            .extend({ couponKey: z.string().min(1).max(64) })
            .strict(),
          /**
           * The return gift pack for members the nightly pass tagged potential churn (away
           * and no open order), `afterDays` away: reserved then, handed over when they open
           * the mini-program within `validDays`. A variant's `couponKey` replaces the pack's.
           */
          'return-gift': absence
            .unwrap()
            .extend({ pack: giftPack, validDays: z.number().int().min(1).max(90) })
            .strict(),
          /**
           * The tier downgrade warning, on the day the nightly review warns (the message names
           * the day and the spend that keeps the tier). Later than the other keys, so stored
           * documents without it keep working.
           */
          'tier-downgrade': campaign.default({ enabled: true }),
          /** The birthday greeting on the day (the night gave the tier's birthday pack). */
          birthday: campaign.default({ enabled: true }),
          /** A group's result (拼团成功 / 未成功，已退款) to its members, as it happens (a notice: consent only, no caps). */
          'group-result': campaign.default({ enabled: true }),
        })
        .strict(),
      /** An open counts for the member's latest reminder of the campaign sent within this many days. */
      openAttributionDays: z.number().int().min(1).max(30),
      /** Template ids the console assigned, by the key in db/templates.json. */
      templates: z
        .object({
          streakReminder: z.string().min(1).max(128),
          returnReminder: z.string().min(1).max(128),
          groupResult: z.string().min(1).max(128).default('local-tmpl-group-result'),
        })
        .strict(),
    })
    .strict()
    .refine((c) => c.segments.activeDays < c.segments.normalDays && c.segments.normalDays < c.segments.sleepingDays, {
      message: 'segments must grow: active < normal < sleeping',
      path: ['segments'],
    })
    .refine((c) => c.quietStart !== c.quietEnd, { message: 'quiet hours must not be empty or the whole day', path: ['quietEnd'] })
    .refine((c) => !isQuietHour(c, c.dayHour) && !isQuietHour(c, c.eveningHour), {
      message: 'the reminder passes must start outside quiet hours',
      path: ['eveningHour'],
    })
    .refine(
      (c) =>
        CAMPAIGNS.every((k) =>
          (c.campaigns[k].experiment?.variants ?? []).every((v) => v.sendHour === undefined || sendHourFits(c, k, v.sendHour)),
        ),
      {
        message: 'a variant sendHour must be outside quiet hours, not before its pass starts, and a day-pass one before the evening pass',
        path: ['campaigns'],
      },
    )
    .refine((c) => ABSENCE_CAMPAIGNS.every((k) => c.campaigns[k].afterDays <= c.segments.sleepingDays), {
      message: 'an absence campaign after segments.sleepingDays would reach only churned members, who get none',
      path: ['campaigns'],
    }),
);
export type RemindersConfig = z.infer<typeof remindersConfigSchema>;

/** A send hour the campaign's pass can keep: same day, after the pass starts, not quiet. */
function sendHourFits(
  c: { quietStart: number; quietEnd: number; dayHour: number; eveningHour: number },
  campaign: (typeof CAMPAIGNS)[number],
  hour: number,
): boolean {
  const [from, to] = campaign === 'streak-evening' ? [c.eveningHour, 24] : [c.dayHour, c.eveningHour];
  return hour >= from && hour < to && !isQuietHour(c, hour);
}

export function isQuietHour(config: { quietStart: number; quietEnd: number }, hour: number): boolean {
  const { quietStart: start, quietEnd: end } = config;
  return start < end ? hour >= start && hour < end : hour >= start || hour < end;
}

export const DEFAULT_REMINDERS_CONFIG: RemindersConfig = {
  quietStart: 22,
  quietEnd: 8,
  dayHour: 10,
  eveningHour: 20,
  segments: { activeDays: 7, normalDays: 14, sleepingDays: 30 },
  caps: { active: { count: 4, days: 7 }, normal: { count: 2, days: 7 }, sleeping: { count: 1, days: 30 } },
  campaigns: {
    'streak-evening': { enabled: true, minStreak: 3 },
    'coupon-15': { enabled: true, afterDays: 15, couponKey: 'return-50-no-threshold' },
    'return-10': { enabled: true, afterDays: 10 },
    'absent-7': { enabled: true, afterDays: 7 },
    'return-gift': {
      enabled: true,
      afterDays: 16,
      pack: { points: 100, makeupCards: 1, couponKey: 'return-gift-100-minus-20' },
      validDays: 30,
    },
    'tier-downgrade': { enabled: true },
    birthday: { enabled: true },
    'group-result': { enabled: true },
  },
  openAttributionDays: 7,
  templates: {
    streakReminder: 'local-tmpl-streak-reminder',
    returnReminder: 'local-tmpl-return-reminder',
    groupResult: 'local-tmpl-group-result',
  },
};

export const REMINDERS_CONFIG: ConfigSpec<RemindersConfig> = {
  key: 'reminders',
  schema: remindersConfigSchema,
  defaults: DEFAULT_REMINDERS_CONFIG,
};
