import { type CouponTemplate, couponTemplateSchema } from '../../core/mall/catalogue';
import { cachedEdited, validated } from '../platform/config';
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

/**
 * A template by key, from this instance's cache (`cachedEdited`): every coupon issued
 * reads one. An operator's save is seen at once by the instance that saved it, by the
 * others within `CONFIG_TTL_MS` (locally, at once: the emulator restarts instances after
 * an edit from outside them).
 */
export async function loadCouponTemplate(ctx: ServerContext, key: string): Promise<CouponTemplate | undefined> {
  return validated(ctx, couponTemplateSchema, 'couponTemplates', await cachedEdited(ctx, 'couponTemplates', key));
}
