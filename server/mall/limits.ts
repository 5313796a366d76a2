import type { MallItem } from '../../core/mall/catalogue';
import { countedBack } from '../../core/mall/limits';
import type { BusinessDay } from '../../core/time/beijing';
import { type Tx, txGet } from '../platform/db';

/** An order that did not go through (cancelled, expired, refunded) stops counting towards the member's limit on the item. */
export async function countBack(tx: Tx, openid: string, itemId: string, limit: MallItem['limit'], orderedDay: BusinessDay): Promise<void> {
  if (limit.lifetime === undefined && limit.perPeriod === undefined) return;
  const countsId = `${openid}:${itemId}`;
  const counts = await txGet(tx, 'redeemCounts', countsId).catch(() => undefined);
  if (counts)
    await tx
      .collection('redeemCounts')
      .doc(countsId)
      .set({ data: { ...countedBack(limit, counts, orderedDay) } });
}
