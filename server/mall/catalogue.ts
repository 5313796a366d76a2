import type { z } from 'zod';
import { type CouponTemplate, type MallItem, couponTemplateSchema, mallItemSchema } from '../../core/config/mall';
import type { ServerContext } from '../context';
import { findDocs, findOne } from '../db';

function validated<T>(ctx: ServerContext, schema: z.ZodType<T>, collection: string, doc: Record<string, unknown> | undefined): T | undefined {
  if (!doc) return undefined;
  const parsed = schema.safeParse(doc);
  if (parsed.success) return parsed.data;
  ctx.log.error('invalid document ignored', { collection, id: doc['_id'], issues: parsed.error.issues });
  return undefined;
}

/** An item as operators defined it; one that fails the schema does not exist for members. */
export async function loadItem(ctx: ServerContext, id: string): Promise<MallItem | undefined> {
  return validated(ctx, mallItemSchema, 'mallItems', await findOne(ctx.db, 'mallItems', id));
}

/** Every valid, enabled item (invalid ones are logged and left out). */
export async function loadItems(ctx: ServerContext): Promise<MallItem[]> {
  const docs = await findDocs<Record<string, unknown>>(ctx.db.collection('mallItems').where({ enabled: true }).limit(1000));
  return docs.flatMap((doc) => validated(ctx, mallItemSchema, 'mallItems', doc) ?? []);
}

/** The valid templates among `keys`, in one read. */
export async function loadCouponTemplates(ctx: ServerContext, keys: string[]): Promise<Map<string, CouponTemplate>> {
  const unique = [...new Set(keys)];
  if (!unique.length) return new Map();
  const docs = await findDocs<Record<string, unknown>>(ctx.db.collection('couponTemplates').where({ _id: ctx.db.command.in(unique) }).limit(unique.length));
  return new Map(docs.flatMap((doc) => validated(ctx, couponTemplateSchema, 'couponTemplates', doc) ?? []).map((t) => [t._id, t]));
}

export async function loadCouponTemplate(ctx: ServerContext, key: string): Promise<CouponTemplate | undefined> {
  return validated(ctx, couponTemplateSchema, 'couponTemplates', await findOne(ctx.db, 'couponTemplates', key));
}
