import { type MallItem, mallItemSchema } from '../../core/config/mall';
import { validated } from '../config';
import type { ServerContext } from '../context';
import { findDocs, findOne } from '../db';

/** An item as operators defined it; one that fails the schema does not exist for members. */
export async function loadItem(ctx: ServerContext, id: string): Promise<MallItem | undefined> {
  return validated(ctx, mallItemSchema, 'mallItems', await findOne(ctx.db, 'mallItems', id));
}

/** Every valid, enabled item (invalid ones are logged and left out). */
export async function loadItems(ctx: ServerContext): Promise<MallItem[]> {
  const docs = await findDocs<Record<string, unknown>>(ctx.db.collection('mallItems').where({ enabled: true }).limit(1000));
  return docs.flatMap((doc) => validated(ctx, mallItemSchema, 'mallItems', doc) ?? []);
}
