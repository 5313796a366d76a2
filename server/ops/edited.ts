import type { z } from 'zod';
import { bargainDealSchema } from '../../core/bargain/deal';
import { couponTemplateSchema, mallItemSchema } from '../../core/mall/catalogue';
import { taskSchema } from '../../core/tasks/definition';
import { groupDealSchema } from '../../core/group/deal';
import { offerSchema } from '../../core/offers/offer';

/** Operator-edited collections and the schema each document must pass (the one that guards what members see). */
export const EDITED_COLLECTIONS: [string, z.ZodType][] = [
  ['tasks', taskSchema],
  ['mallItems', mallItemSchema],
  ['couponTemplates', couponTemplateSchema],
  ['groupDeals', groupDealSchema],
  ['bargainDeals', bargainDealSchema],
  ['offers', offerSchema],
];

/** Issues as operators read them: where, and what is wrong. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`);
}
