import type { Tag, Tier } from '../../typings/vocabulary';
import type { MallItem } from './catalogue';
import { tierRank } from '../tiers/rank';
import { type BusinessDay, addDays } from '../time/beijing';
import { type RedeemCounts, limitReached } from './limits';

export type RedeemBlock = 'ITEM_UNAVAILABLE' | 'SOLD_OUT' | 'REDEEM_LIMIT_REACHED' | 'INSUFFICIENT_POINTS';

/** Why a member cannot redeem `item` today, most fundamental reason first; null if they can. */
export function redeemBlock(
  item: MallItem,
  member: { tier: Tier; points: number; tags?: readonly Tag[] | undefined },
  counts: RedeemCounts | undefined,
  today: BusinessDay,
): RedeemBlock | null {
  if (!onSaleTo(item, member, today)) return 'ITEM_UNAVAILABLE';
  if (item.stock <= 0) return 'SOLD_OUT';
  if (limitReached(item.limit, counts, today)) return 'REDEEM_LIMIT_REACHED';
  if (member.points < item.price) return 'INSUFFICIENT_POINTS';
  return null;
}

type SaleTerms = Pick<MallItem, 'enabled' | 'saleFrom' | 'saleTo' | 'earlyAccess' | 'minTier'>;

/** Whether the item is on sale to this member today: enabled, within its sale window (early for those with early access), their tier. */
export function onSaleTo(item: SaleTerms, member: { tier: Tier; tags?: readonly Tag[] | undefined }, today: BusinessDay): boolean {
  return notOnSaleBecause(item, member, today, () => '') === null;
}

/**
 * Why the item is not on sale to this member today, as the member reads it (已下架,
 * 3月12日开兑, 兑换已结束, 银卡专享 — `tierName` names a tier); null when it is.
 */
export function notOnSaleBecause(
  item: SaleTerms,
  member: { tier: Tier; tags?: readonly Tag[] | undefined },
  today: BusinessDay,
  tierName: (tier: Tier) => string,
): string | null {
  if (!item.enabled) return '已下架';
  const from = saleStartFor(item, member);
  if (from && today < from) return `${Number(from.slice(5, 7))}月${Number(from.slice(8, 10))}日开兑`;
  if (item.saleTo && today > item.saleTo) return '兑换已结束';
  if (tierRank(member.tier) < tierRank(item.minTier)) return `${tierName(item.minTier)}专享`;
  return null;
}

/** The first day the member may buy: the sale's start, or earlier with the item's early access (member day). */
export function saleStartFor(
  item: Pick<MallItem, 'saleFrom' | 'earlyAccess'>,
  member: { tier: Tier; tags?: readonly Tag[] | undefined },
): BusinessDay | undefined {
  const early = item.earlyAccess;
  if (!item.saleFrom || !early) return item.saleFrom;
  const entitled = early.tiers.includes(member.tier) || early.tags.some((t) => member.tags?.includes(t));
  return entitled ? addDays(item.saleFrom, -early.days) : item.saleFrom;
}

export const BLOCK_MESSAGES: Record<RedeemBlock, string> = {
  ITEM_UNAVAILABLE: '该商品当前不可兑换',
  SOLD_OUT: '已兑完',
  REDEEM_LIMIT_REACHED: '已达兑换上限',
  INSUFFICIENT_POINTS: '积分不足',
};
