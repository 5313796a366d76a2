import { createHash, randomInt } from 'node:crypto';
import { z } from 'zod';
import { configKey } from '../../core/config/key';
import { type BargainDeal, bargainDealSchema, bargainOpen, drawCut, helpRejection } from '../../core/bargain/deal';
import { beijingDay } from '../../core/time/beijing';
import type { BargainDealView, BargainView, MyBargain, PayOrderView } from '../../typings/api';
import type { BargainDoc, BargainHelpDoc, MemberDoc, PayOrderDoc } from '../../typings/documents';
import { loadConfig, loadEdited, loadEnabled } from '../platform/config';
import { PAY_CONFIG } from '../../core/config/pay';
import type { ServerContext } from '../platform/context';
import { findDocs, findOne, insertOnce, updatedCount } from '../platform/db';
import { AppError } from '../platform/errors';
import { loadItem, loadItems, takeUnit } from '../mall/catalogue';
import { ensureMember } from '../member/registration';
import { newPayOrder, openPayOrder, replayPayOrder, requestOrderId } from '../orders/create';
import { requestIdSchema } from '../platform/idempotency';
import { action } from '../platform/router';
import { creditInviter } from '../tasks/invites';
import { releaseBargain } from './order';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const DEAL_ID = configKey;
const BARGAIN_ID = z.lazy(() => z.string().regex(/^B[0-9a-f]{30}$/));
/** One bargain per member and deal: its id is derived from both (and reveals neither). */
const bargainIdOf = (dealId: string, openid: string) => `B${sha256(`bargain:${dealId}:${openid}`).slice(0, 30)}`;
const noInput = z.lazy(() => z.object({}).strict());

const REFUSALS = {
  BARGAIN_EXPIRED: '这次砍价已结束',
  BARGAIN_OWN: '不能给自己砍价',
  BARGAIN_FLOOR_REACHED: '已经砍到底价了',
} as const;

function loadDeal(ctx: ServerContext, id: string): Promise<BargainDeal | undefined> {
  return loadEdited(ctx, bargainDealSchema, 'bargainDeals', id);
}

/** Bargaining deals on today (Beijing), with the member's own bargain on each. */
export const bargainDeals = action(
  () => noInput,
  async (ctx): Promise<BargainDealView[]> => {
    const { member } = await ensureMember(ctx);
    const today = beijingDay(ctx.clock.now());
    const [enabled, items] = await Promise.all([loadEnabled(ctx, bargainDealSchema, 'bargainDeals', 100), loadItems(ctx)]);
    const deals = enabled.filter((d) => bargainOpen(d, today));
    const [mine, urls] = await Promise.all([
      Promise.all(deals.map((d) => findOne(ctx.db, 'bargains', bargainIdOf(d._id, member.openid)))),
      ctx.fileUrls(deals.flatMap((d) => items.find((it) => it._id === d.itemId)?.images.slice(0, 1) ?? [])),
    ]);
    return deals.flatMap((deal, i) => {
      const item = items.find((it) => it._id === deal.itemId);
      if (item?.cashPrice === undefined) return [];
      return [
        {
          dealId: deal._id,
          title: deal.title,
          itemId: deal.itemId,
          image: urls.get(item.images[0] ?? '') ?? null,
          description: item.description,
          listPrice: item.cashPrice,
          floorPrice: deal.floorPrice,
          durationHours: deal.durationHours,
          stockLeft: deal.stock,
          mine: mine[i]?._id ?? null,
        },
      ];
    });
  },
);

/** 我的砍价: the member's own bargains, newest first, with how far each got. */
export const myBargains = action(
  () => noInput,
  async (ctx): Promise<MyBargain[]> => {
    const { member } = await ensureMember(ctx);
    const now = ctx.clock.now();
    const mine = await findDocs<BargainDoc>(
      ctx.db.collection('bargains').where({ owner: member.openid }).orderBy('startedAt', 'desc').limit(50),
    );
    const urls = await ctx.fileUrls(mine.flatMap((b) => (b.image ? [b.image] : [])));
    return mine.map((b) => ({
      bargainId: b._id,
      title: b.title,
      image: (b.image && urls.get(b.image)) || null,
      listPrice: b.listPrice,
      price: b.price,
      floorPrice: b.floorPrice,
      helpCount: b.helps,
      state: b.state === 'open' && now >= b.expiresAt ? 'expired' : b.state,
      secondsLeft: b.state === 'open' ? Math.max(0, Math.floor((b.expiresAt.getTime() - now.getTime()) / 1000)) : 0,
    }));
  },
);

/** Starts the member's bargain on a deal at the item's list price (once; asking again returns it). */
export const startBargain = action(
  () => z.object({ dealId: DEAL_ID }).strict(),
  async (ctx, input): Promise<BargainView> => {
    const { member } = await ensureMember(ctx);
    const id = bargainIdOf(input.dealId, member.openid);
    const existing = await findOne(ctx.db, 'bargains', id);
    if (existing) return view(ctx, existing, member.openid);
    const deal = await loadDeal(ctx, input.dealId);
    const item = deal && (await loadItem(ctx, deal.itemId));
    const now = ctx.clock.now();
    if (!deal || item?.cashPrice === undefined) throw new AppError('NOT_FOUND', '活动不存在');
    if (!bargainOpen(deal, beijingDay(now))) throw new AppError('BARGAIN_EXPIRED', '活动未开始或已结束');
    const bargain: BargainDoc = {
      _id: id,
      dealId: deal._id,
      itemId: item._id,
      title: deal.title,
      ...(item.images[0] ? { image: item.images[0] } : {}),
      owner: member.openid,
      ownerNickname: member.nickname,
      ownerInviteCode: member.inviteCode,
      listPrice: item.cashPrice,
      price: Math.max(item.cashPrice, deal.floorPrice),
      floorPrice: deal.floorPrice,
      minCut: deal.minCut,
      maxCut: deal.maxCut,
      helps: 0,
      startedAt: now,
      expiresAt: new Date(now.getTime() + deal.durationHours * 3_600_000),
      state: 'open',
      orderId: null,
    };
    await insertOnce(ctx.db, 'bargains', bargain);
    return view(ctx, (await findOne(ctx.db, 'bargains', id)) as BargainDoc, member.openid);
  },
);

/** A bargain, as the landing of its share shows it. A member registered by opening it counts as the owner's invite. */
export const bargain = action(
  () => z.object({ bargainId: BARGAIN_ID }).strict(),
  async (ctx, input): Promise<BargainView> => {
    const { member, bargain: b } = await arrive(ctx, input.bargainId);
    return view(ctx, b, member.openid);
  },
);

/**
 * A friend cuts the bargain: a real member (a new one counts as the owner's invite), once
 * (`bargainHelps/<bargain>:<openid>`), never the owner. The cut is drawn here, between the
 * deal's bounds, and taken by a conditional decrement that needs the price to stay at or
 * above the floor — racing helps each cut or are clamped to what is left, and the price
 * never goes below the floor.
 */
export const helpBargain = action(
  () => z.object({ bargainId: BARGAIN_ID }).strict(),
  async (ctx, input): Promise<{ cut: number; bargain: BargainView }> => {
    const { member, bargain: first } = await arrive(ctx, input.bargainId);
    const now = ctx.clock.now();
    refuse(helpRejection(first, member.openid, now));
    const helpId = `${first._id}:${member.openid}`;
    const help: BargainHelpDoc = { _id: helpId, bargainId: first._id, openid: member.openid, nickname: member.nickname, cut: 0, at: now };
    if (!(await insertOnce(ctx.db, 'bargainHelps', help))) throw new AppError('BARGAIN_ALREADY_HELPED', '你已经帮砍过啦');
    const _ = ctx.db.command;
    let current = first;
    for (let attempt = 0; attempt < 5; attempt++) {
      const cut = drawCut(current.price, current, randomInt(0, 1_000_000) / 1_000_000);
      const rejection = helpRejection(current, member.openid, now) ?? (cut === 0 ? 'BARGAIN_FLOOR_REACHED' : null);
      if (rejection) {
        await ctx.db.collection('bargainHelps').doc(helpId).remove();
        refuse(rejection);
      }
      const taken = await updatedCount(
        ctx.db
          .collection('bargains')
          .where({ _id: current._id, state: 'open', expiresAt: _.gt(now), price: _.gte(current.floorPrice + cut) })
          .update({ data: { price: _.inc(-cut), helps: _.inc(1) } }),
      );
      if (taken === 1) {
        await ctx.db.collection('bargainHelps').doc(helpId).update({ data: { cut } });
        const after = (await findOne(ctx.db, 'bargains', current._id)) as BargainDoc;
        return { cut, bargain: await view(ctx, after, member.openid) };
      }
      // Others cut first: draw again against the price now.
      current = (await findOne(ctx.db, 'bargains', current._id)) as BargainDoc;
    }
    await ctx.db.collection('bargainHelps').doc(helpId).remove();
    throw new AppError('CONFLICT', '砍价的人太多了，请再试一次');
  },
);

/**
 * The owner buys at the price reached, before the bargain expires: a WeChat Pay order on
 * the pay path (a unit of the deal's stock held; unpaid in time, it expires and the owner
 * may buy again at the price then). One order waits at a time.
 */
export const buyBargain = action(
  () => z.object({ bargainId: BARGAIN_ID, requestId: requestIdSchema }).strict(),
  async (ctx, input): Promise<PayOrderView> => {
    const { member } = await ensureMember(ctx);
    const id = requestOrderId(member.openid, input.requestId);
    const [b, config, previous] = await Promise.all([
      findOne(ctx.db, 'bargains', input.bargainId),
      loadConfig(ctx, PAY_CONFIG),
      findOne(ctx.db, 'payOrders', id),
    ]);
    if (previous) return replayPayOrder(ctx, previous, previous.bargain?.bargainId === input.bargainId, config);
    if (!b || b.owner !== member.openid) throw new AppError('NOT_FOUND', '砍价不存在');
    const now = ctx.clock.now();
    if (b.state !== 'open' || now >= b.expiresAt) throw new AppError('BARGAIN_EXPIRED', b.state === 'bought' ? '已购买' : '这次砍价已结束');
    const item = await loadItem(ctx, b.itemId);
    if (!item) throw new AppError('NOT_FOUND', '商品已下架');
    const order: PayOrderDoc = newPayOrder(
      {
        _id: id,
        openid: member.openid,
        requestId: input.requestId,
        item,
        listPrice: b.listPrice,
        amount: b.price,
        points: 0,
        tier: member.tier,
        bargain: { dealId: b.dealId, bargainId: b._id },
      },
      now,
      new Date(Math.min(now.getTime() + config.orderMinutes * 60_000, b.expiresAt.getTime())),
    );
    return openPayOrder(ctx, order, config, { item, release: releaseBargain }, async () => {
      const claimed = await updatedCount(
        ctx.db
          .collection('bargains')
          .where({ _id: b._id, state: 'open', orderId: null })
          .update({ data: { orderId: id } }),
      );
      if (claimed !== 1) throw new AppError('ORDER_STATUS_INVALID', '已有待支付的订单');
      if (!(await takeUnit(ctx, b.dealId, 'bargainDeals'))) throw new AppError('SOLD_OUT', '已抢光');
      await ctx.db
        .collection('payOrders')
        .doc(id)
        .update({ data: { stockHeld: true } });
    });
  },
);

function refuse(rejection: keyof typeof REFUSALS | null): void {
  if (rejection) throw new AppError(rejection, REFUSALS[rejection]);
}

/** The viewer, registered if new (a new member brought by the share counts as the owner's invite), and the bargain. */
async function arrive(ctx: ServerContext, bargainId: string): Promise<{ member: MemberDoc; bargain: BargainDoc }> {
  const [{ member, isNew }, b] = await Promise.all([ensureMember(ctx), findOne(ctx.db, 'bargains', bargainId)]);
  if (!b) throw new AppError('NOT_FOUND', '砍价不存在');
  if (isNew) await creditInviter(ctx, member, b.ownerInviteCode);
  return { member, bargain: b };
}

async function view(ctx: ServerContext, b: BargainDoc, viewer: string): Promise<BargainView> {
  const now = ctx.clock.now();
  const [helps, mine, order, urls] = await Promise.all([
    findDocs<BargainHelpDoc>(ctx.db.collection('bargainHelps').where({ bargainId: b._id }).orderBy('at', 'desc').limit(20)),
    findOne(ctx.db, 'bargainHelps', `${b._id}:${viewer}`),
    b.orderId && b.owner === viewer ? findOne(ctx.db, 'payOrders', b.orderId) : undefined,
    ctx.fileUrls(b.image ? [b.image] : []),
  ]);
  const expired = b.state === 'open' && now >= b.expiresAt;
  return {
    bargainId: b._id,
    dealId: b.dealId,
    title: b.title,
    itemId: b.itemId,
    image: (b.image && urls.get(b.image)) || null,
    ownerNickname: b.ownerNickname,
    mine: b.owner === viewer,
    listPrice: b.listPrice,
    price: b.price,
    floorPrice: b.floorPrice,
    state: expired ? 'expired' : b.state,
    expiresAt: b.expiresAt.toISOString(),
    secondsLeft: b.state === 'open' ? Math.max(0, Math.floor((b.expiresAt.getTime() - now.getTime()) / 1000)) : 0,
    helps: helps.filter((h) => h.cut > 0).map((h) => ({ nickname: h.nickname, cut: h.cut })),
    helpCount: b.helps,
    myCut: mine && mine.cut > 0 ? mine.cut : null,
    order: order ? { orderId: order._id, state: order.state } : null,
  };
}
