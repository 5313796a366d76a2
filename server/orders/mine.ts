import { z } from 'zod';
import { PAY_CONFIG } from '../../core/config/pay';
import { fromTheMall, paidWith } from '../../core/mall/coupon';
import { PICKUP } from '../../core/orders/delivery';
import type { MemberOrderStatus, OrderDetail, OrderTab, OrderView } from '../../typings/api';
import type { CouponDoc, OrderDoc, PayOrderDoc, PayOrderState } from '../../typings/documents';
import { loadItems } from '../mall/catalogue';
import { ensureMember } from '../member/registration';
import { loadConfig } from '../platform/config';
import type { ServerContext } from '../platform/context';
import { findDocs, findIn, findOne } from '../platform/db';
import { AppError } from '../platform/errors';
import { action } from '../platform/router';
import { replayPayOrder } from './create';

const REFUNDS: readonly PayOrderState[] = ['refunding', 'refunded'];
const refundOf = (pay: PayOrderDoc | undefined): MemberOrderStatus | null =>
  pay && REFUNDS.includes(pay.state) ? (pay.state as MemberOrderStatus) : null;

/** A fulfilment order as lists show it (a refund of the money behind it outranks how far the goods got). */
export function orderView(o: OrderDoc, pay?: PayOrderDoc, image: string | null = null): OrderView {
  return {
    id: o._id,
    itemId: o.itemId,
    title: o.title,
    kind: o.kind,
    price: o.price,
    cash: o.cash ?? null,
    status: refundOf(pay) ?? o.status,
    voucherCode: o.voucherCode,
    validTo: o.validTo?.toISOString() ?? null,
    at: o.at.toISOString(),
    image,
    delivery: o.kind === 'physical' ? (o.delivery ?? PICKUP).kind : null,
    payOrderId: pay?._id ?? null,
  };
}

/** A coupon the member redeemed with points or bought (its pay order says what it cost). */
function couponOrderView(c: CouponDoc, pay: PayOrderDoc | undefined, image: string | null): OrderView {
  return {
    id: c._id,
    itemId: c.reply?.itemId ?? pay?.itemId ?? '',
    title: c.title,
    kind: 'coupon',
    price: c.reply?.price ?? pay?.points ?? 0,
    cash: pay?.amount ?? null,
    status: refundOf(pay) ?? c.status,
    voucherCode: null,
    validTo: c.validTo.toISOString(),
    at: c.issuedAt.toISOString(),
    image,
    delivery: null,
    payOrderId: pay?._id ?? null,
  };
}

/** A WeChat Pay order that delivered nothing (yet): unpaid, a seat waiting for its group, closed, or refunded. */
function payOrderRow(p: PayOrderDoc, now: Date, image: string | null): OrderView {
  const status: MemberOrderStatus =
    p.state === 'created'
      ? new Date(p.expiresAt) > now
        ? 'unpaid'
        : 'closed'
      : p.state === 'paid'
        ? 'grouping'
        : p.state === 'expired'
          ? 'closed'
          : p.state === 'fulfilled'
            ? 'done'
            : p.state;
  return {
    id: p._id,
    itemId: p.itemId,
    title: p.title,
    kind: p.kind,
    price: p.points,
    cash: p.amount,
    status,
    voucherCode: null,
    validTo: null,
    at: new Date(p.createdAt).toISOString(),
    image,
    delivery: p.kind === 'physical' ? (p.delivery ?? PICKUP).kind : null,
    payOrderId: p._id,
  };
}

/** Which fulfilment orders each tab lists (null: none). */
const ORDER_STATUSES: Record<OrderTab, OrderDoc['status'][] | 'any' | null> = {
  all: 'any',
  unpaid: null,
  toShip: ['pending'],
  shipped: ['shipped'],
  done: ['done', 'pickedUp'],
  // Goods paid with points and cancelled; money's refunds are listed by their pay orders.
  refund: ['cancelled'],
};

/** The items' covers (temporary URLs), by item id. */
async function coversOf(ctx: ServerContext, itemIds: string[]): Promise<Map<string, string>> {
  const wanted = new Set(itemIds);
  const covers = new Map((await loadItems(ctx)).flatMap((i) => (wanted.has(i._id) && i.images[0] ? [[i._id, i.images[0]] as const] : [])));
  const urls = await ctx.fileUrls([...covers.values()]);
  return new Map([...covers].flatMap(([id, file]) => (urls.has(file) ? [[id, urls.get(file) as string] as const] : [])));
}

/**
 * 我的订单: everything the member redeemed or bought — goods, virtual goods, coupons, and
 * WeChat Pay orders that delivered nothing yet (unpaid, a group seat, closed, refunded) —
 * newest first, a tab (待付款 / 待发货 / 已发货 / 已完成 / 退款) or all of it, a page at a
 * time (the lists merged up to the page's end).
 */
export const myOrders = action(
  () =>
    z
      .object({
        tab: z.enum(['all', 'unpaid', 'toShip', 'shipped', 'done', 'refund']).optional(),
        page: z.number().int().min(0).max(1000).optional(),
        pageSize: z.number().int().min(1).max(50).optional(),
      })
      .strict(),
  async (ctx, input): Promise<{ orders: OrderView[]; hasMore: boolean }> => {
    const { member } = await ensureMember(ctx);
    const tab = input.tab ?? 'all';
    const pageSize = input.pageSize ?? 20;
    const start = (input.page ?? 0) * pageSize;
    const now = ctx.clock.now();
    const _ = ctx.db.command;
    const newest = <T>(collection: 'orders' | 'coupons' | 'payOrders', where: Record<string, unknown>, field: string) =>
      findDocs<T>(
        ctx.db
          .collection(collection)
          .where({ openid: member.openid, ...where })
          .orderBy(field, 'desc')
          .limit(Math.min(start + pageSize + 1, 1000)),
      );
    const statuses = ORDER_STATUSES[tab];
    const payWhere: Record<OrderTab, Record<string, unknown> | null> = {
      all: { orderId: null, couponId: null },
      unpaid: { state: 'created', expiresAt: _.gt(now) },
      refund: { state: _.in([...REFUNDS]) },
      toShip: null,
      shipped: null,
      done: null,
    };
    const [orders, coupons, payOrders] = await Promise.all([
      statuses === null
        ? []
        : newest<OrderDoc>(
            'orders',
            statuses === 'any' ? {} : { status: _.in(statuses), ...(tab === 'refund' ? { cash: _.exists(false) } : {}) },
            'at',
          ),
      tab === 'all' ? newest<CouponDoc>('coupons', {}, 'issuedAt').then((all) => all.filter((c) => fromTheMall(c.source))) : [],
      payWhere[tab] === null ? [] : newest<PayOrderDoc>('payOrders', payWhere[tab] as Record<string, unknown>, 'createdAt'),
    ]);
    const behind = [...orders.filter((o) => o.cash !== undefined).map((o) => o._id), ...coupons.flatMap((c) => paidWith(c.source) ?? [])];
    const paid = new Map((await findIn<PayOrderDoc>(ctx.db, 'payOrders', '_id', behind)).map((o) => [o._id, o]));
    const rows: { at: string; view: (image: string | null) => OrderView; itemId: string }[] = [
      ...orders.map((o) => ({
        at: o.at.toISOString(),
        itemId: o.itemId,
        view: (img: string | null) => orderView(o, paid.get(o._id), img),
      })),
      ...coupons.map((c) => {
        const pay = paid.get(paidWith(c.source) ?? '');
        return {
          at: c.issuedAt.toISOString(),
          itemId: c.reply?.itemId ?? pay?.itemId ?? '',
          view: (img: string | null) => couponOrderView(c, pay, img),
        };
      }),
      ...payOrders.map((p) => ({
        at: new Date(p.createdAt).toISOString(),
        itemId: p.itemId,
        view: (img: string | null) => payOrderRow(p, now, img),
      })),
    ].sort((a, b) => b.at.localeCompare(a.at));
    const page = rows.slice(start, start + pageSize);
    const covers = await coversOf(
      ctx,
      page.map((r) => r.itemId),
    );
    return { orders: page.map((r) => r.view(covers.get(r.itemId) ?? null)), hasMore: rows.length > start + pageSize };
  },
);

const PAY_STEPS: Partial<Record<PayOrderState, (note: string) => string>> = {
  created: () => '提交订单',
  paid: () => '支付成功',
  expired: (note) => `订单关闭${note ? `：${note}` : ''}`,
  refunding: (note) => `申请退款${note ? `：${note}` : ''}`,
  refunded: () => '退款成功，款项原路退回',
};

/** What happened to an order, oldest first: its payment's steps and its goods'. */
function timelineOf(o: OrderDoc | undefined, pay: PayOrderDoc | undefined): OrderDetail['timeline'] {
  const express = (o?.delivery ?? pay?.delivery ?? PICKUP).kind === 'express';
  const goodsStep = (status: OrderDoc['status']): string => {
    if (status === 'pending') return `${pay ? '' : '兑换成功，'}${express ? '等待发货' : '等待到店自提'}`;
    if (status === 'shipped') return o?.shipping ? `已发货：${o.shipping.carrier} ${o.shipping.trackingNo}` : '已发货';
    if (status === 'pickedUp') return '已到店自提';
    if (status === 'done') return o?.kind === 'virtual' ? `兑换成功，券码已发放` : '订单完成';
    return o && o.price > 0 && !pay ? '订单已取消，积分已退回' : '订单已取消';
  };
  const steps = [
    ...(pay?.history ?? []).flatMap((h) => {
      const text = PAY_STEPS[h.state]?.(h.note);
      return text ? [{ text, at: new Date(h.at) }] : [];
    }),
    ...(o?.history ?? []).map((h) => ({ text: goodsStep(h.status), at: new Date(h.at) })),
  ];
  return steps.sort((a, b) => a.at.getTime() - b.at.getTime()).map((s) => ({ text: s.text, at: s.at.toISOString() }));
}

/** 订单详情: one of the member's orders — goods (with the pay order behind them) or a WeChat Pay order alone. */
export const myOrder = action(
  () => z.object({ id: z.string().min(1).max(200) }).strict(),
  async (ctx, input): Promise<OrderDetail> => {
    const { member } = await ensureMember(ctx);
    const owned = <T extends { openid: string }>(doc: T | undefined) => (doc?.openid === member.openid ? doc : undefined);
    const goods = owned(await findOne(ctx.db, 'orders', input.id));
    const pay = owned(goods && goods.cash === undefined ? undefined : await findOne(ctx.db, 'payOrders', input.id));
    if (!goods && !pay) throw new AppError('NOT_FOUND', '订单不存在');
    const now = ctx.clock.now();
    const covers = await coversOf(ctx, [(goods ?? pay)?.itemId ?? '']);
    const image = covers.get((goods ?? pay)?.itemId ?? '') ?? null;
    const view = goods ? orderView(goods, pay, image) : payOrderRow(pay as PayOrderDoc, now, image);
    const delivery = goods?.delivery ?? pay?.delivery;
    const unpaid = view.status === 'unpaid' && pay;
    return {
      ...view,
      address: delivery?.kind === 'express' ? delivery.address : null,
      shipping: goods?.shipping ?? null,
      timeline: timelineOf(goods, pay),
      secondsLeft: unpaid ? Math.floor((new Date(pay.expiresAt).getTime() - now.getTime()) / 1000) : null,
      payment: unpaid ? (await replayPayOrder(ctx, pay, true, await loadConfig(ctx, PAY_CONFIG))).payment : null,
    };
  },
);
