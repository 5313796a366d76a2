import { z } from 'zod';
import { configKey } from '../config/key';
import type { BusinessDay } from '../time/beijing';
import { businessDaySchema } from '../time/schema';

/**
 * Bargaining (砍价, docs/rules.md): operator-defined deals in `bargainDeals/<id>`. A member
 * starts a bargain on the deal's item at its list price; friends — real members, once each,
 * never the owner — each cut a server-drawn amount between `minCut` and `maxCut`; the price
 * never goes below `floorPrice`. The owner buys at the price reached before the bargain
 * expires (`durationHours` after it started).
 */
export const bargainDealSchema = z.lazy(() =>
  z
    .object({
      _id: configKey,
      version: z.number().int().positive(),
      /** The mall item sold (its cash price is where a bargain starts). */
      itemId: configKey,
      title: z.string().min(1).max(30),
      /** The lowest price a bargain can reach (fen). */
      floorPrice: z.number().int().min(1).max(100_000_000),
      /** Each help cuts between these (fen), never past the floor. */
      minCut: z.number().int().min(1).max(10_000_000),
      maxCut: z.number().int().min(1).max(10_000_000),
      /** Hours a bargain stays open for helps and for the owner to buy. */
      durationHours: z.number().int().min(1).max(168).default(24),
      /** Units across all bargains of the deal (taken when the owner buys). */
      stock: z.number().int().min(0).max(1_000_000),
      from: businessDaySchema,
      to: businessDaySchema,
      enabled: z.boolean(),
    })
    .strict()
    .refine((d) => d.from <= d.to, { message: 'from must not be after to', path: ['from'] })
    .refine((d) => d.minCut <= d.maxCut, { message: 'minCut must not be above maxCut', path: ['minCut'] }),
);
export type BargainDeal = z.infer<typeof bargainDealSchema>;

/** Whether members can start bargains of the deal on `today` (Beijing). */
export function bargainOpen(deal: BargainDeal, today: BusinessDay): boolean {
  return deal.enabled && deal.from <= today && today <= deal.to;
}

/**
 * A help's cut (fen): drawn uniformly between the deal's bounds from `random` (in [0, 1),
 * the server's — never the client's), and never more than what is left above the floor.
 */
export function drawCut(price: number, deal: Pick<BargainDeal, 'floorPrice' | 'minCut' | 'maxCut'>, random: number): number {
  const drawn = deal.minCut + Math.floor(random * (deal.maxCut - deal.minCut + 1));
  return Math.max(0, Math.min(drawn, price - deal.floorPrice));
}

export type HelpRejection = 'BARGAIN_EXPIRED' | 'BARGAIN_OWN' | 'BARGAIN_FLOOR_REACHED';

/** Why `helper` cannot cut the bargain now, or null. (Helping twice is refused by the help's unique id.) */
export function helpRejection(
  bargain: { owner: string; price: number; floorPrice: number; expiresAt: Date; state: string },
  helper: string,
  now: Date,
): HelpRejection | null {
  if (bargain.owner === helper) return 'BARGAIN_OWN';
  if (bargain.state !== 'open' || now >= bargain.expiresAt) return 'BARGAIN_EXPIRED';
  if (bargain.price <= bargain.floorPrice) return 'BARGAIN_FLOOR_REACHED';
  return null;
}
