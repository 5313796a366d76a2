import { z } from 'zod';
import { couponTemplateSchema, mallItemSchema } from '../../core/mall/catalogue';
import { taskSchema } from '../../core/tasks/definition';
import { bargainDealSchema } from '../../core/bargain/deal';
import { groupDealSchema } from '../../core/group/deal';
import { offerSchema } from '../../core/offers/offer';
import { EDITED_COLLECTIONS, describeIssues } from './edited';
import { saveVersioned } from './history';
import type { ConfigIssue } from '../../typings/api';
import { findDocs } from '../platform/db';
import { AppError } from '../platform/errors';
import { requireRole } from '../platform/roles';
import { action } from '../platform/router';
import { CONFIG_SPECS } from '../../core/config/specs';
import { parseConfig, readConfigDocs } from '../platform/config';

/**
 * An action that creates or replaces a document of an operator-edited collection. The
 * schema is the one that guards what members see, so a document this accepts is one
 * members get, and one it refuses comes back with every problem named. Every save is
 * kept (`saveVersioned`): operators read the history and roll back.
 */
function putDocument<F extends string>(collection: string, field: F, schema: z.ZodType<{ _id: string }>) {
  // The key is a parameter, so the schema's type is stated: `{ [field]: record }`.
  const input = z.object({ [field]: z.record(z.string(), z.unknown()) }).strict() as unknown as z.ZodType<
    Record<F, Record<string, unknown>>
  >;
  return action(
    () => input,
    async (ctx, edit): Promise<{ id: string; version: number }> => {
      const operator = await requireRole(ctx, 'operator');
      const parsed = schema.safeParse(edit[field]);
      if (!parsed.success) throw new AppError('INVALID_INPUT', describeIssues(parsed.error).join('; '));
      // The version saved is the history's count, whatever `version` the editor sent.
      const version = await saveVersioned(ctx, collection, parsed.data as { _id: string } & Record<string, unknown>, operator._id, '编辑');
      return { id: parsed.data._id, version };
    },
  );
}

export const putTask = putDocument('tasks', 'task', taskSchema);
export const putItem = putDocument('mallItems', 'item', mallItemSchema);
export const putCouponTemplate = putDocument('couponTemplates', 'template', couponTemplateSchema);
export const putGroupDeal = putDocument('groupDeals', 'deal', groupDealSchema);
export const putBargainDeal = putDocument('bargainDeals', 'deal', bargainDealSchema);
export const putOffer = putDocument('offers', 'offer', offerSchema);

/** Every operator-edited document that fails its schema (and is therefore ignored), with why. */
export const configIssues = action(
  () => z.object({}).strict(),
  async (ctx): Promise<ConfigIssue[]> => {
    await requireRole(ctx, 'operator');
    const issues: ConfigIssue[] = [];
    for (const [collection, schema] of EDITED_COLLECTIONS) {
      for (const doc of await findDocs<Record<string, unknown>>(ctx.db.collection(collection).where({}).limit(1000))) {
        const parsed = schema.safeParse(doc);
        if (!parsed.success) issues.push({ collection, id: String(doc['_id']), problems: describeIssues(parsed.error) });
      }
    }
    const docs = await readConfigDocs(
      ctx,
      CONFIG_SPECS.map((spec) => spec.key),
    );
    for (const spec of CONFIG_SPECS) {
      const doc = docs.get(spec.key);
      const parsed = doc && parseConfig(spec, doc);
      if (parsed && !parsed.success) issues.push({ collection: 'config', id: spec.key, problems: describeIssues(parsed.error) });
    }
    return issues;
  },
);
