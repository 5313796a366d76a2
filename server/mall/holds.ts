import { findIn, updatedCount } from '../platform/db';
import type { ServerContext } from '../platform/context';
import type { CouponDoc, OrderDoc, StockHold } from '../../typings/documents';

/**
 * A mall item's stock, taken by redemptions. The item document is the one hot document
 * every buyer of the item writes, so a unit is taken by one conditional decrement outside
 * any transaction (inside one, a thousand buyers would all conflict on it). The same
 * update pushes the redemption's hold (its key, when): the record of a unit taken and not
 * yet turned into a coupon or order — which is what lets a redemption write nothing before
 * it takes its unit:
 *  - a doubled request cannot take a second unit (the decrement requires no hold of its
 *    key) and finds its twin's hold instead of answering a false SOLD_OUT;
 *  - a redemption that fails gives its unit back and drops its hold, in one update;
 *  - a redemption whose function died is found by the timer: a hold past
 *    `ABANDONED_AFTER_MS` whose key made no coupon or order gave its unit to no one.
 * A successful redemption leaves its hold; the timer drops it once it is old.
 */

/** Holds kept on an item at most (a hold pushed out of the list can no longer be released: an under-sale, never an oversell). */
const HOLDS_KEPT = 500;

/** A hold still there this long was abandoned (its function died: the platform's limit is 60 s). */
export const ABANDONED_AFTER_MS = 10 * 60_000;

/**
 * Takes a unit of the item for the redemption `key`, if the item is still the one the
 * caller knows (`version`, as stored: undefined when the document has none) and on sale
 * for points. False when nothing was taken — no such item, edited since, not on sale for
 * points, sold out, or a unit already held for `key`.
 */
export async function takeHeldUnit(ctx: ServerContext, itemId: string, key: string, version: unknown): Promise<boolean> {
  const _ = ctx.db.command;
  const hold: StockHold = { key, at: ctx.clock.now() };
  const taken = await updatedCount(
    ctx.db
      .collection('mallItems')
      .where({
        _id: itemId,
        version: version === undefined ? _.exists(false) : version,
        stock: _.gte(1),
        enabled: true,
        cashPrice: _.exists(false),
        'holds.key': _.neq(key),
      })
      .update({ data: { stock: _.inc(-1), holds: _.push({ each: [hold], slice: -HOLDS_KEPT }) } }),
  );
  return taken === 1;
}

/** Gives the unit held for `key` back, once: conditional on the hold still being there (an operator's save drops holds with the stock it sets). */
export async function releaseHeldUnit(ctx: ServerContext, itemId: string, key: string): Promise<boolean> {
  const _ = ctx.db.command;
  const released = await updatedCount(
    ctx.db
      .collection('mallItems')
      .where({ _id: itemId, 'holds.key': key })
      .update({ data: { stock: _.inc(1), holds: _.pull({ key }) } }),
  );
  return released === 1;
}

/** Whether a unit of the item is held for `key` now. */
export function holdsFor(item: Record<string, unknown> | undefined, key: string): boolean {
  return ((item?.['holds'] as StockHold[] | undefined) ?? []).some((h) => h.key === key);
}

/** What redemptions made under these keys: their coupons (by source) and orders (by id). */
export async function redemptionOutcomes(ctx: ServerContext, keys: string[]): Promise<Map<string, CouponDoc | OrderDoc>> {
  const [coupons, orders] = await Promise.all([
    findIn<CouponDoc>(
      ctx.db,
      'coupons',
      'source',
      keys.map((k) => `redemption:${k}`),
    ),
    findIn<OrderDoc>(ctx.db, 'orders', '_id', keys),
  ]);
  return new Map<string, CouponDoc | OrderDoc>([
    ...coupons.map((c) => [c.source.slice('redemption:'.length), c] as const),
    ...orders.map((o) => [o._id, o] as const),
  ]);
}

/**
 * Gives back the units of redemptions that died holding them, and drops the holds of
 * those that went through, on items with holds older than `ABANDONED_AFTER_MS`. Run by
 * each timer firing; a unit comes back once (conditional on its hold), whoever gets there first.
 */
export async function releaseAbandonedHolds(ctx: ServerContext): Promise<number> {
  const _ = ctx.db.command;
  const before = new Date(ctx.clock.now().getTime() - ABANDONED_AFTER_MS);
  const items = (
    (await ctx.db
      .collection('mallItems')
      .where({ 'holds.at': _.lt(before) })
      .limit(100)
      .get()) as unknown as { data: { _id: string; holds: StockHold[] }[] }
  ).data;
  let released = 0;
  for (const item of items) {
    const old = item.holds.filter((h) => new Date(h.at) < before);
    const outcomes = await redemptionOutcomes(
      ctx,
      old.map((h) => h.key),
    );
    for (const lost of old.filter((h) => !outcomes.has(h.key))) if (await releaseHeldUnit(ctx, item._id, lost.key)) released++;
    const done = old.filter((h) => outcomes.has(h.key)).map((h) => h.key);
    if (done.length)
      await ctx.db
        .collection('mallItems')
        .doc(item._id)
        .update({ data: { holds: _.pull({ key: _.in(done) }) } });
  }
  return released;
}
