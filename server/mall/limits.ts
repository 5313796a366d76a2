import type { MallItem } from '../../core/mall/catalogue';
import { BLOCK_MESSAGES } from '../../core/mall/availability';
import { countedBack, countedOnce, limitReached } from '../../core/mall/limits';
import type { BusinessDay } from '../../core/time/beijing';
import { type Tx, txGet } from '../platform/db';
import { AppError } from '../platform/errors';

/*
 * A member's counts towards items' limits live on the member (`members.limitCounts`): a
 * redemption writes them with its points (core/mall/redeem.ts); the transactions here are
 * the other ways an order counts or stops counting. An update names the item's counts
 * only (the SDK writes nested fields by path), so other items' counts stay as they are.
 */

const limited = (limit: MallItem['limit']) => limit.lifetime !== undefined || limit.perPeriod !== undefined;

/** The member's limit on the item counted once for an order (a WeChat Pay one), in the caller's transaction — or refused. */
export async function countOrder(tx: Tx, item: MallItem, openid: string, today: BusinessDay): Promise<void> {
  if (!limited(item.limit)) return;
  const counts = (await txGet(tx, 'members', openid)).limitCounts?.[item._id];
  if (limitReached(item.limit, counts, today)) throw new AppError('REDEEM_LIMIT_REACHED', BLOCK_MESSAGES.REDEEM_LIMIT_REACHED);
  await tx
    .collection('members')
    .doc(openid)
    .update({ data: { limitCounts: { [item._id]: countedOnce(item.limit, counts, today) } } });
}

/** An order that did not go through (cancelled, expired, refunded) stops counting towards the member's limit on the item. */
export async function countBack(tx: Tx, openid: string, itemId: string, limit: MallItem['limit'], orderedDay: BusinessDay): Promise<void> {
  if (!limited(limit)) return;
  const counts = (await txGet(tx, 'members', openid).catch(() => undefined))?.limitCounts?.[itemId];
  if (counts)
    await tx
      .collection('members')
      .doc(openid)
      .update({ data: { limitCounts: { [itemId]: countedBack(limit, counts, orderedDay) } } });
}
