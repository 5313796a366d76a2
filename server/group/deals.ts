import { type GroupDeal, groupDealSchema } from '../../core/group/deal';
import { loadEdited, loadEnabled } from '../platform/config';
import type { ServerContext } from '../platform/context';

/** A group's id: `G` and its leader's pay order number (so a retried open finds its group). */
export const groupIdOf = (leaderOrderId: string) => `G${leaderOrderId.slice(1)}`;
export const GROUP_ID = /^G[0-9a-f]{30}$/;

/** A deal as operators defined it; one that fails the schema does not exist for members. */
export function loadDeal(ctx: ServerContext, id: string): Promise<GroupDeal | undefined> {
  return loadEdited(ctx, groupDealSchema, 'groupDeals', id);
}

/** Every valid, enabled deal (invalid ones are logged and left out). */
export function loadDeals(ctx: ServerContext): Promise<GroupDeal[]> {
  return loadEnabled(ctx, groupDealSchema, 'groupDeals', 100);
}
