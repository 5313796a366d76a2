import { z } from 'zod';
import { configKey } from '../config/key';
import { type CouponRule, TIERS } from '../../typings/vocabulary';
import { businessDaySchema } from '../time/schema';
import { fileIdSchema } from '../storage/file-id';

const day = businessDaySchema;
const key = configKey;
const fen = z.lazy(() => z.number().int().positive().max(10_000_000));

/** What a coupon takes off an order; amounts in fen (1元 = 100). */
export const couponRuleSchema = z.lazy(
  () =>
    z.discriminatedUnion('type', [
      /** 满减: `amount` off an order of at least `threshold`. */
      z
        .object({ type: z.literal('threshold'), threshold: fen, amount: fen })
        .refine((r) => r.amount < r.threshold, { message: 'amount must be below threshold' }),
      /** 折扣: pay `percent`% (80 = 8折), at most `maxOff` off if set. */
      z.object({ type: z.literal('discount'), percent: z.number().int().min(10).max(99), maxOff: fen.optional() }),
      /** 无门槛: `amount` off any order (never more than the order). */
      z.object({ type: z.literal('noThreshold'), amount: fen }),
    ]) satisfies z.ZodType<CouponRule>,
);

export const validitySchema = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('fixed'), from: day, to: day }).refine((v) => v.from <= v.to, { message: 'from must not be after to' }),
    z.object({ type: z.literal('relative'), days: z.number().int().min(1).max(366) }),
  ]),
);
export type Validity = z.infer<typeof validitySchema>;

/**
 * `couponTemplates/<key>`: what a kind of coupon is. Instances (in `coupons`) are issued
 * from it by redemption and by every reward that names its key.
 */
export const couponTemplateSchema = z.lazy(() =>
  z
    .object({
      _id: key,
      title: z.string().min(1).max(20),
      description: z.string().max(80).default(''),
      rule: couponRuleSchema,
      validity: validitySchema,
      /** Stores where it can be written off; empty means every store. */
      storeIds: z.array(z.string().min(1).max(64)).max(100).default([]),
      /** Lowest member tier that may use it at the till. */
      minTier: z.enum(TIERS).default('bronze'),
    })
    .strict(),
);
export type CouponTemplate = z.infer<typeof couponTemplateSchema>;

const limitSchema = z.lazy(() =>
  z
    .object({
      lifetime: z.number().int().min(1).max(10_000).optional(),
      perPeriod: z
        .object({ period: z.enum(['day', 'week', 'month']), count: z.number().int().min(1).max(10_000) })
        .strict()
        .optional(),
    })
    .strict(),
);

/**
 * `mallItems/<id>`: something members buy with points. `stock` is what is left; the
 * redemption path decrements it conditionally, operators set it.
 */
export const mallItemSchema = z.lazy(() =>
  z
    .object({
      _id: key,
      title: z.string().min(1).max(30),
      description: z.string().max(200).default(''),
      kind: z.enum(['coupon', 'physical', 'virtual']),
      /** Pictures in cloud storage, the first the cover (up to 9, as a product gallery shows them). */
      images: z.array(fileIdSchema).max(9).default([]),
      /** For coupon items: the template each redemption issues. */
      couponKey: key.optional(),
      /** Points price (with `cashPrice`: the points part of points + cash); 0 only with `free: true` or a cash price. */
      price: z.number().int().min(0).max(10_000_000),
      /** List price in fen, paid with WeChat Pay (members pay their tier's price); absent for points-only items. */
      cashPrice: fen.optional(),
      free: z.boolean().default(false),
      stock: z.number().int().min(0).max(100_000_000),
      limit: limitSchema.default({}),
      saleFrom: day.optional(),
      saleTo: day.optional(),
      /**
       * Member-day early access (docs/rules.md): members with one of these tags or tiers may buy
       * `days` before `saleFrom` (e.g. high-value members a day early).
       */
      earlyAccess: z
        .object({
          days: z.number().int().min(1).max(14),
          tags: z
            .array(z.enum(['high_value', 'potential_churn', 'price_sensitive', 'high_intent']))
            .max(4)
            .default([]),
          tiers: z.array(z.enum(TIERS)).max(3).default([]),
        })
        .strict()
        .refine((e) => e.tags.length + e.tiers.length > 0, { message: 'early access needs a tag or a tier' })
        .optional(),
      minTier: z.enum(TIERS).default('bronze'),
      /** For physical items: stores where it can be picked up; empty means shipped or any store. */
      storeIds: z.array(z.string().min(1).max(64)).max(100).default([]),
      /** For virtual goods: days the delivered code stays valid. */
      validDays: z.number().int().min(1).max(366).optional(),
      order: z.number().int().min(0).max(10_000).default(100),
      enabled: z.boolean(),
      /** The save's number in the item's history (every save moves it): what a redemption's cached copy is checked against. */
      version: z.number().int().positive().default(1),
      holds: z.array(z.unknown()).optional(),
    })
    .strict()
    .refine((i) => i.price > 0 || i.free || i.cashPrice !== undefined, {
      message: 'price 0 needs free: true or a cashPrice',
      path: ['price'],
    })
    .refine((i) => (i.kind === 'coupon') === (i.couponKey !== undefined), {
      message: 'couponKey is required for coupon items and only for them',
      path: ['couponKey'],
    })
    .refine((i) => !i.saleFrom || !i.saleTo || i.saleFrom <= i.saleTo, { message: 'saleFrom must not be after saleTo', path: ['saleFrom'] })
    .refine((i) => !i.earlyAccess || i.saleFrom, { message: 'early access needs a saleFrom to be early for', path: ['earlyAccess'] })
    // The redemption path's bookkeeping on the document (server/mall/holds.ts), not the operator's: read past, never saved.
    .transform(({ holds: _holds, ...item }) => item),
);
export type MallItem = z.infer<typeof mallItemSchema>;
