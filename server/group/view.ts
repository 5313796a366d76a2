import { uniqBy } from 'lodash-es';
import { z } from 'zod';
import { configKey } from '../../core/config/key';
import { type GroupDeal, dealOpen, seatPrice } from '../../core/group/deal';
import type { MallItem } from '../../core/mall/catalogue';
import { beijingDay } from '../../core/time/beijing';
import type { DealView, GroupView } from '../../typings/api';
import type { GroupDoc, PayOrderDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { findDocs, findIn, findOne } from '../platform/db';
import { AppError } from '../platform/errors';
import { loadConfig } from '../platform/config';
import { REMINDERS_CONFIG } from '../../core/config/reminders';
import { loadItem, loadItems } from '../mall/catalogue';
import { ensureMember } from '../member/registration';
import { action } from '../platform/router';
import { GROUP_ID, loadDeal, loadDeals } from './deals';

const noInput = z.lazy(() => z.object({}).strict());

/** Group-buying deals on today (Beijing), with their prices. */
export const groupDeals = action(
  () => noInput,
  async (ctx): Promise<DealView[]> => {
    await ensureMember(ctx);
    const today = beijingDay(ctx.clock.now());
    const [deals, items, template] = await Promise.all([loadDeals(ctx), loadItems(ctx), resultTemplate(ctx)]);
    const byId = new Map(items.map((i) => [i._id, i]));
    const open = deals.flatMap((deal) => {
      const item = byId.get(deal.itemId);
      return dealOpen(deal, today) && item?.cashPrice !== undefined ? [{ deal, item }] : [];
    });
    const urls = await ctx.fileUrls(open.flatMap(({ item }) => item.images.slice(0, 1)));
    return open.map(({ deal, item }) => dealView(deal, item, template, urls));
  },
);

/** A deal and its groups still looking for members, soonest deadline first. */
export const groupDeal = action(
  () => z.object({ dealId: configKey }).strict(),
  async (ctx, input): Promise<{ deal: DealView; groups: GroupView[] }> => {
    const { member } = await ensureMember(ctx);
    const now = ctx.clock.now();
    const [deal, template] = await Promise.all([loadDeal(ctx, input.dealId), resultTemplate(ctx)]);
    const item = deal && (await loadItem(ctx, deal.itemId));
    if (!deal || item?.cashPrice === undefined || !dealOpen(deal, beijingDay(now))) throw new AppError('NOT_FOUND', '活动不存在或已结束');
    const _ = ctx.db.command;
    const open = await findDocs<GroupDoc>(
      ctx.db
        .collection('groups')
        .where({ dealId: deal._id, state: 'open', deadline: _.gt(now) })
        .orderBy('deadline', 'asc')
        .limit(20),
    );
    const view = dealView(deal, item, template, await ctx.fileUrls(item.images.slice(0, 1)));
    // A member is not invited to join a group they are already in (their own is on 我的拼团).
    const joinable = open.filter((g) => g.taken < g.size && !g.seats.some((seat) => seat.openid === member.openid));
    const avatars = await avatarUrls(ctx, joinable);
    const groups = joinable.map((g) => groupView(g, view, member.openid, [], now, avatars));
    return { deal: view, groups };
  },
);

/** One group, as the share landing shows it to anyone with its id (a leader's unpaid group only to the leader). */
export const group = action(
  () => z.object({ groupId: z.string().regex(GROUP_ID) }).strict(),
  async (ctx, input): Promise<GroupView> => {
    const { member } = await ensureMember(ctx);
    const g = await findOne(ctx.db, 'groups', input.groupId);
    if (!g || (g.state === 'pending' && g.leader !== member.openid)) throw new AppError('NOT_FOUND', '团不存在');
    const mine = g.seats.find((s) => s.openid === member.openid);
    const [prices, order, avatars] = await Promise.all([
      priced(ctx, g),
      mine ? findOne(ctx.db, 'payOrders', mine.payOrderId) : undefined,
      avatarUrls(ctx, [g]),
    ]);
    return groupView(g, prices, member.openid, order ? [order] : [], ctx.clock.now(), avatars);
  },
);

/** The member's groups, newest first: from their seat orders (which outlive a released seat). */
export const myGroups = action(
  () => noInput,
  async (ctx): Promise<GroupView[]> => {
    const { member } = await ensureMember(ctx);
    const _ = ctx.db.command;
    const orders = await findDocs<PayOrderDoc>(
      ctx.db
        .collection('payOrders')
        .where({ openid: member.openid, 'group.groupId': _.exists(true) })
        .orderBy('createdAt', 'desc')
        .limit(50),
    );
    const groups = await findIn<GroupDoc>(
      ctx.db,
      'groups',
      '_id',
      orders.flatMap((o) => (o.group ? [o.group.groupId] : [])),
    );
    const byId = new Map(groups.map((g) => [g._id, g]));
    const now = ctx.clock.now();
    const prices = new Map(await Promise.all(uniqBy(groups, (g) => g.dealId).map(async (g) => [g.dealId, await priced(ctx, g)] as const)));
    const avatars = await avatarUrls(ctx, groups);
    // A seat released and taken again in the same group lists the group once, with the newest order.
    return uniqBy(
      orders.flatMap((o) => {
        const g = o.group && byId.get(o.group.groupId);
        const p = g && prices.get(g.dealId);
        return g && p ? [groupView(g, p, member.openid, [o], now, avatars)] : [];
      }),
      (v) => v.groupId,
    );
  },
);

/** The group-result template members are offered when they pay for a seat. */
async function resultTemplate(ctx: ServerContext): Promise<string> {
  return (await loadConfig(ctx, REMINDERS_CONFIG)).templates.groupResult;
}

/** A deal as members see it, priced from its item (which has a cash price), with the item's cover. */
function dealView(deal: GroupDeal, item: MallItem, template: string, urls: Map<string, string>): DealView {
  const listPrice = item.cashPrice ?? 0;
  return {
    dealId: deal._id,
    title: deal.title,
    itemId: deal.itemId,
    image: urls.get(item.images[0] ?? '') ?? null,
    description: item.description,
    listPrice,
    groupPrice: seatPrice(listPrice, deal, false),
    leaderPrice: seatPrice(listPrice, deal, true),
    size: deal.size,
    deadlineHours: deal.deadlineHours,
    to: deal.to,
    stockLeft: deal.stock,
    resultTemplate: template,
  };
}

type Prices = Pick<DealView, 'listPrice' | 'groupPrice' | 'resultTemplate' | 'image'>;

/** The prices a group's page shows, from its deal (a deal since removed or disabled shows none). */
async function priced(ctx: ServerContext, g: Pick<GroupDoc, 'dealId' | 'itemId'>): Promise<Prices> {
  const [deal, item, template] = await Promise.all([loadDeal(ctx, g.dealId), loadItem(ctx, g.itemId), resultTemplate(ctx)]);
  const listPrice = item?.cashPrice ?? 0;
  const cover = item?.images[0];
  const image = cover ? ((await ctx.fileUrls([cover])).get(cover) ?? null) : null;
  return { listPrice, groupPrice: deal ? seatPrice(listPrice, deal, false) : 0, resultTemplate: template, image };
}

/** Temporary URLs of the avatars on these groups' seats. */
const avatarUrls = (ctx: ServerContext, groups: GroupDoc[]) =>
  ctx.fileUrls(groups.flatMap((g) => g.seats.flatMap((s) => (s.avatar ? [s.avatar] : []))));

function groupView(g: GroupDoc, prices: Prices, viewer: string, orders: PayOrderDoc[], now: Date, avatars: Map<string, string>): GroupView {
  const mine = orders.find((o) => o.openid === viewer && o.group?.groupId === g._id);
  return {
    groupId: g._id,
    dealId: g.dealId,
    title: g.title,
    itemId: g.itemId,
    size: g.size,
    state: g.state,
    deadline: g.deadline.toISOString(),
    secondsLeft: g.state === 'open' || g.state === 'pending' ? Math.max(0, Math.floor((g.deadline.getTime() - now.getTime()) / 1000)) : 0,
    members: g.seats.map((s) => ({
      nickname: s.nickname,
      leader: s.openid === g.leader,
      paid: s.paid,
      avatar: (s.avatar && avatars.get(s.avatar)) || null,
    })),
    seatsLeft: g.size - g.taken,
    price: prices.groupPrice,
    listPrice: prices.listPrice,
    resultTemplate: prices.resultTemplate,
    image: prices.image,
    mine: mine ? { orderId: mine._id, state: mine.state, amount: mine.amount } : null,
  };
}
