import { type CouponTemplate, couponTemplateSchema } from '../../core/mall/catalogue';
import { loadEdited, validated } from '../platform/config';
import type { ServerContext } from '../platform/context';
import { findDocs } from '../platform/db';

/** The valid templates among `keys`, in one read. */
export async function loadCouponTemplates(ctx: ServerContext, keys: string[]): Promise<Map<string, CouponTemplate>> {
  const unique = [...new Set(keys)];
  if (!unique.length) return new Map();
  const docs = await findDocs<Record<string, unknown>>(
    ctx.db
      .collection('couponTemplates')
      .where({ _id: ctx.db.command.in(unique) })
      .limit(unique.length),
  );
  return new Map(docs.flatMap((doc) => validated(ctx, couponTemplateSchema, 'couponTemplates', doc) ?? []).map((t) => [t._id, t]));
}

export async function loadCouponTemplate(ctx: ServerContext, key: string): Promise<CouponTemplate | undefined> {
  return loadEdited(ctx, couponTemplateSchema, 'couponTemplates', key);
}
