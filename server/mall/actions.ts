import { z } from 'zod';
import { configKey } from '../../core/config/key';
import type { CouponTemplate, MallItem } from '../../core/mall/catalogue';
import { BLOCK_MESSAGES, notOnSaleBecause, redeemBlock } from '../../core/mall/availability';
import { describeRule, fromTheMall, paidWith } from '../../core/mall/coupon';
import { limitText } from '../../core/mall/limits';
import { beijingDay } from '../../core/time/beijing';
import type { MallItemView, MallList, OrderView } from '../../typings/api';
import type { CouponDoc, MemberDoc, OrderDoc, PayOrderDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { findDocs, findIn } from '../platform/db';
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

export function orderView(o: OrderDoc): OrderView {
  return {
    id: o._id,
    itemId: o.itemId,
    title: o.title,
    kind: o.kind,
    price: o.price,
    cash: o.cash ?? null,
    status: o.status,
    voucherCode: o.voucherCode,
    validTo: o.validTo?.toISOString() ?? null,
    at: o.at.toISOString(),
  };
}

/** A coupon the member redeemed with points or bought (its pay order says what it cost), as 兑换记录 lists it. */
function couponOrderView(c: CouponDoc, paidWith: PayOrderDoc | undefined): OrderView {
  return {
    id: c._id,
    itemId: c.reply?.itemId ?? paidWith?.itemId ?? '',
    title: c.title,
    kind: 'coupon',
    price: c.reply?.price ?? paidWith?.points ?? 0,
    cash: paidWith?.amount ?? null,
    status: c.status,
    voucherCode: null,
    validTo: c.validTo.toISOString(),
    at: c.issuedAt.toISOString(),
  };
}

/**
 * 兑换记录: everything the member redeemed or bought in the mall — goods, virtual goods and
 * coupons — newest first, a page at a time (the two lists merged up to the page's end).
 */
export const myOrders = action(
  () => z.object({ page: z.number().int().min(0).max(1000).optional(), pageSize: z.number().int().min(1).max(50).optional() }).strict(),
  async (ctx, input): Promise<{ orders: OrderView[]; hasMore: boolean }> => {
    const { member } = await ensureMember(ctx);
    const pageSize = input.pageSize ?? 20;
    const start = (input.page ?? 0) * pageSize;
    const newest = (collection: 'orders' | 'coupons', field: string) =>
      ctx.db
        .collection(collection)
        .where({ openid: member.openid })
        .orderBy(field, 'desc')
        .limit(Math.min(start + pageSize + 1, 1000));
    const [orders, coupons] = await Promise.all([
      findDocs<OrderDoc>(newest('orders', 'at')),
      findDocs<CouponDoc>(newest('coupons', 'issuedAt')).then((all) => all.filter((c) => fromTheMall(c.source))),
    ]);
    const bought = coupons.flatMap((c) => paidWith(c.source) ?? []);
    const payOrders = new Map((await findIn<PayOrderDoc>(ctx.db, 'payOrders', '_id', bought)).map((o) => [o._id, o]));
    const merged = [...orders.map(orderView), ...coupons.map((c) => couponOrderView(c, payOrders.get(paidWith(c.source) ?? '')))].sort(
      (a, b) => b.at.localeCompare(a.at),
    );
    return { orders: merged.slice(start, start + pageSize), hasMore: merged.length > start + pageSize };
  },
);
