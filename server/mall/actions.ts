import { z } from 'zod';
import { configKey } from '../../core/config/key';
import type { CouponTemplate, MallItem } from '../../core/mall/catalogue';
import { BLOCK_MESSAGES, notOnSaleBecause, redeemBlock } from '../../core/mall/availability';
import { describeRule } from '../../core/mall/coupon';
import { limitText } from '../../core/mall/limits';
import { beijingDay } from '../../core/time/beijing';
import type { MallItemView, MallList } from '../../typings/api';
import type { MemberDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { AppError } from '../platform/errors';
import { ensureMember } from '../member/registration';
import { action } from '../platform/router';
import { loadCouponTemplates } from '../coupons/templates';
import { loadItem, loadItems } from './catalogue';
import { loadConfig } from '../platform/config';
import { type TiersConfig, TIERS_CONFIG, tierDefinitionOf } from '../../core/config/tiers';
import { tierPrice } from '../../core/orders/order';

/** The URLs of these files that exist (a missing file is left out). */
const urlsOf = (fileIds: string[], urls: Map<string, string>) => fileIds.flatMap((id) => urls.get(id) ?? []);

/** An item as the member sees it; `images` are the picture URLs to show (`urlsOf`). */
function itemView(
  ctx: ServerContext,
  item: MallItem,
  member: MemberDoc,
  templates: Map<string, CouponTemplate>,
  tiers: TiersConfig,
  images: string[],
): MallItemView {
  const template = item.couponKey === undefined ? undefined : templates.get(item.couponKey);
  const today = beijingDay(ctx.clock.now());
  const blockedBy = redeemBlock(item, member, member.limitCounts?.[item._id], today);
  return {
    id: item._id,
    title: item.title,
    description: item.description,
    kind: item.kind,
    images,
    price: item.price,
    cashPrice: item.cashPrice ?? null,
    memberCashPrice: item.cashPrice === undefined ? null : tierPrice(item.cashPrice, member.tier, tiers),
    stock: item.stock,
    ruleText: template ? describeRule(template.rule) : null,
    minTier: item.minTier,
    saleTo: item.saleTo ?? null,
    redeemable: blockedBy === null,
    blockedBy,
    blockedText:
      blockedBy === 'ITEM_UNAVAILABLE'
        ? notOnSaleBecause(item, member, today, (tier) => tierDefinitionOf(tiers, tier).name)
        : blockedBy && BLOCK_MESSAGES[blockedBy],
    limitText: limitText(item.limit),
  };
}

const mallInput = z.lazy(() =>
  z
    .object({
      kind: z.enum(['coupon', 'physical', 'virtual']).optional(),
      page: z.number().int().min(0).max(1000).optional(),
      pageSize: z.number().int().min(1).max(50).optional(),
    })
    .strict(),
);

/**
 * The mall, a page at a time: what the member can redeem first (then by the operators'
 * order), sold-out items last. The catalogue is operator config (at most 1000 items), so
 * it is ranked whole and the page cut from it.
 */
export const mall = action(
  () => mallInput,
  async (ctx, input): Promise<MallList> => {
    const { member } = await ensureMember(ctx);
    const [catalogue, tiers] = await Promise.all([loadItems(ctx), loadConfig(ctx, TIERS_CONFIG)]);
    const items = catalogue.filter((i) => !input.kind || i.kind === input.kind);
    const today = beijingDay(ctx.clock.now());
    const rank = (i: MallItem) => {
      const block = redeemBlock(i, member, member.limitCounts?.[i._id], today);
      return block === null ? 0 : block === 'SOLD_OUT' ? 2 : 1;
    };
    const ranked = items.sort((a, b) => a.order - b.order).sort((a, b) => rank(a) - rank(b));
    const pageSize = input.pageSize ?? 20;
    const start = (input.page ?? 0) * pageSize;
    const page = ranked.slice(start, start + pageSize);
    // The list shows each item's cover: one picture per item of the page.
    const covers = (i: MallItem) => i.images.slice(0, 1);
    const [templates, urls] = await Promise.all([
      loadCouponTemplates(
        ctx,
        page.flatMap((i) => i.couponKey ?? []),
      ),
      ctx.fileUrls(page.flatMap(covers)),
    ]);
    return {
      balance: member.points,
      tier: member.tier,
      items: page.map((i) => itemView(ctx, i, member, templates, tiers, urlsOf(covers(i), urls))),
      hasMore: ranked.length > start + pageSize,
    };
  },
);

export const mallItem = action(
  () => z.object({ itemId: configKey }).strict(),
  async (ctx, input): Promise<MallItemView & { shareCode: string }> => {
    const { member } = await ensureMember(ctx);
    const [item, tiers] = await Promise.all([loadItem(ctx, input.itemId), loadConfig(ctx, TIERS_CONFIG)]);
    if (!item) throw new AppError('NOT_FOUND', '商品不存在');
    const [templates, urls] = await Promise.all([
      loadCouponTemplates(ctx, item.couponKey ? [item.couponKey] : []),
      ctx.fileUrls(item.images),
    ]);
    return { ...itemView(ctx, item, member, templates, tiers, urlsOf(item.images, urls)), shareCode: member.inviteCode };
  },
);
