import { z } from 'zod';
import { requestIdSchema } from '../platform/idempotency';
import { configKey } from '../../core/config/key';
import { addressSchema } from '../../core/orders/delivery';
import { type MallItem, mallItemSchema } from '../../core/mall/catalogue';
import { loadEdited, loadEnabled } from '../platform/config';
import type { ServerContext } from '../platform/context';
import { updatedCount } from '../platform/db';

/** An item as operators defined it; one that fails the schema does not exist for members. */
export function loadItem(ctx: ServerContext, id: string): Promise<MallItem | undefined> {
  return loadEdited(ctx, mallItemSchema, 'mallItems', id);
}

/** Every valid, enabled item (invalid ones are logged and left out). */
export function loadItems(ctx: ServerContext): Promise<MallItem[]> {
  return loadEnabled(ctx, mallItemSchema, 'mallItems');
}

/**
 * A member's request for an item: which, the id the client chose for this tap (a retry
 * sends it again), and for goods the address to send them to (none: collected at a store).
 */
export const itemRequest = z.lazy(() =>
  z
    .object({
      itemId: configKey,
      requestId: requestIdSchema,
      address: addressSchema.optional(),
    })
    .strict(),
);

/** Where a unit of stock is counted: a mall item's stock, or a group or bargain deal's (its units across all its groups or bargains). */
export type StockHome = 'mallItems' | 'groupDeals' | 'bargainDeals';

/** Takes one unit of an item's stock, never below zero (a conditional decrement: the stock is the one hot document). */
export async function takeUnit(ctx: ServerContext, itemId: string, home: StockHome = 'mallItems'): Promise<boolean> {
  const _ = ctx.db.command;
  const taken = await updatedCount(
    ctx.db
      .collection(home)
      .where({ _id: itemId, stock: _.gte(1) })
      .update({ data: { stock: _.inc(-1) } }),
  );
  return taken === 1;
}

/** Gives a held unit back. */
export async function returnUnit(ctx: ServerContext, itemId: string, home: StockHome = 'mallItems'): Promise<void> {
  await ctx.db
    .collection(home)
    .doc(itemId)
    .update({ data: { stock: ctx.db.command.inc(1) } });
}
