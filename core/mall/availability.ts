import type { Tier } from '../../typings/vocabulary';
import { type MallItem, tierRank } from '../config/mall';
import type { BusinessDay } from '../time/beijing';
import { type RedeemCounts, limitReached } from './limits';

export type RedeemBlock = 'ITEM_UNAVAILABLE' | 'SOLD_OUT' | 'REDEEM_LIMIT_REACHED' | 'INSUFFICIENT_POINTS';

/** Why a member cannot redeem `item` today, most fundamental reason first; null if they can. */
export function redeemBlock(
  item: MallItem,
  member: { tier: Tier; points: number },
  counts: RedeemCounts | undefined,
  today: BusinessDay,
): RedeemBlock | null {
  if (!item.enabled || (item.saleFrom && today < item.saleFrom) || (item.saleTo && today > item.saleTo)) return 'ITEM_UNAVAILABLE';
  if (tierRank(member.tier) < tierRank(item.minTier)) return 'ITEM_UNAVAILABLE';
  if (item.stock <= 0) return 'SOLD_OUT';
  if (limitReached(item.limit, counts, today)) return 'REDEEM_LIMIT_REACHED';
  if (member.points < item.price) return 'INSUFFICIENT_POINTS';
  return null;
}

export const BLOCK_MESSAGES: Record<RedeemBlock, string> = {
  ITEM_UNAVAILABLE: '该商品当前不可兑换',
  SOLD_OUT: '已兑完',
  REDEEM_LIMIT_REACHED: '已达兑换上限',
  INSUFFICIENT_POINTS: '积分不足',
};
