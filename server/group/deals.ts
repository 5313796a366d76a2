import { type GroupDeal, groupDealSchema } from '../../core/group/deal';
import { validated } from '../config';
import type { ServerContext } from '../context';
import { findDocs, findOne } from '../db';

/** A group's id: `G` and its leader's pay order number (so a retried open finds its group). */
export const groupIdOf = (leaderOrderId: string) => `G${leaderOrderId.slice(1)}`;
export const GROUP_ID = /^G[0-9a-f]{30}$/;

/** A deal as operators defined it; one that fails the schema does not exist for members. */
export async function loadDeal(ctx: ServerContext, id: string): Promise<GroupDeal | undefined> {
  return validated(ctx, groupDealSchema, 'groupDeals', await findOne(ctx.db, 'groupDeals', id));
}

/** Every valid, enabled deal (invalid ones are logged and left out). */
export async function loadDeals(ctx: ServerContext): Promise<GroupDeal[]> {
  const docs = await findDocs<Record<string, unknown>>(ctx.db.collection('groupDeals').where({ enabled: true }).limit(100));
  return docs.flatMap((doc) => validated(ctx, groupDealSchema, 'groupDeals', doc) ?? []);
}
