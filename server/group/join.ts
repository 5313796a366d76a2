import { z } from 'zod';
import { configKey } from '../../core/config/key';
import type { MallItem } from '../../core/mall/catalogue';
import { type GroupDeal, dealOpen, groupDeadline, joinRejection, seatHeldUntil, seatPrice } from '../../core/group/deal';
import { beijingDay } from '../../core/time/beijing';
import type { PayOrderView } from '../../typings/api';
import type { GroupDoc, GroupSeat, MemberDoc, PayOrderDoc } from '../../typings/documents';
import { loadConfig } from '../platform/config';
import { PAY_CONFIG } from '../../core/config/pay';
import type { ServerContext } from '../platform/context';
import { findOne, insertOnce, updatedCount } from '../platform/db';
import { AppError } from '../platform/errors';
import { loadItem, takeUnit } from '../mall/catalogue';
import { ensureMember } from '../member/registration';
import { newPayOrder, openPayOrder, replayPayOrder, requestOrderId } from '../orders/create';
import { requestIdSchema as requestId } from '../platform/idempotency';
import { action } from '../platform/router';
import { GROUP_ID, groupIdOf, loadDeal } from './deals';
import { releaseSeat } from './seats';

type Seated = { groupId: string; order: PayOrderView };

/**
 * A member opens a group of a deal as its leader: a seat and its pay order. The group is
 * shown to friends once the leader has paid; unpaid within the hold time, it ends.
 */
export const openGroup = action(
  () => z.object({ dealId: configKey, requestId }).strict(),
  async (ctx, input): Promise<Seated> => {
    const { member } = await ensureMember(ctx);
    const id = requestOrderId(member.openid, input.requestId);
    const groupId = groupIdOf(id);
    const [deal, config, previous] = await Promise.all([
      loadDeal(ctx, input.dealId),
      loadConfig(ctx, PAY_CONFIG),
      findOne(ctx.db, 'payOrders', id),
    ]);
    if (previous)
      return {
        groupId,
        order: await replayPayOrder(ctx, previous, previous.group?.groupId === groupId && previous.group.dealId === input.dealId, config),
      };
    const { item, listPrice } = await dealItem(ctx, deal?.itemId);
    const now = ctx.clock.now();
    if (!deal || !dealOpen(deal, beijingDay(now))) throw new AppError('GROUP_EXPIRED', '活动未开始或已结束');
    const deadline = groupDeadline(now, deal);
    const order = seatOrder(member, input.requestId, id, item, listPrice, deal, groupId, true, now, deadline);
    const view = await openPayOrder(ctx, order, config, { item, release: releaseSeat }, async () => {
      await takeSlot(ctx, deal, member.openid, id, now);
      const group: GroupDoc = {
        _id: groupId,
        dealId: deal._id,
        itemId: item._id,
        title: deal.title,
        leader: member.openid,
        size: deal.size,
        seats: [seatOf(member, id, now)],
        taken: 1,
        state: 'pending',
        openedAt: now,
        deadline,
        closedAt: null,
        settled: false,
      };
      await insertOnce(ctx.db, 'groups', group);
      await holdDealUnit(ctx, deal, id);
    });
    return { groupId, order: view };
  },
);

/**
 * A member takes a seat in a friend's group, and its pay order (held for the deal's hold
 * time). The seat is taken by one conditional update — the group open, a seat free, the
 * deadline ahead, the member not in it — so a group never overfills, however many join at
 * once; a refused join expires its order and is never charged.
 */
export const joinGroup = action(
  () => z.object({ groupId: z.string().regex(GROUP_ID), requestId }).strict(),
  async (ctx, input): Promise<Seated> => {
    const { member } = await ensureMember(ctx);
    const id = requestOrderId(member.openid, input.requestId);
    const [group, config, previous] = await Promise.all([
      findOne(ctx.db, 'groups', input.groupId),
      loadConfig(ctx, PAY_CONFIG),
      findOne(ctx.db, 'payOrders', id),
    ]);
    if (previous)
      return { groupId: input.groupId, order: await replayPayOrder(ctx, previous, previous.group?.groupId === input.groupId, config) };
    if (!group || (group.state === 'pending' && group.leader !== member.openid)) throw new AppError('NOT_FOUND', '团不存在');
    const now = ctx.clock.now();
    refuse(joinRejection(group, member.openid, now));
    // The group names its item: deal and item are read together.
    const [deal, { item, listPrice }] = await Promise.all([loadDeal(ctx, group.dealId), dealItem(ctx, group.itemId)]);
    if (!deal) throw new AppError('GROUP_EXPIRED', '活动已结束');
    const order = seatOrder(member, input.requestId, id, item, listPrice, deal, group._id, false, now, group.deadline);
    const view = await openPayOrder(ctx, order, config, { item, release: releaseSeat }, async () => {
      await takeSlot(ctx, deal, member.openid, id, now);
      const _ = ctx.db.command;
      const taken = await updatedCount(
        ctx.db
          .collection('groups')
          .where({ _id: group._id, state: 'open', taken: _.lt(group.size), deadline: _.gt(now), 'seats.openid': _.neq(member.openid) })
          .update({ data: { seats: _.push([seatOf(member, id, now)]), taken: _.inc(1) } }),
      );
      if (taken !== 1) {
        const fresh = await findOne(ctx.db, 'groups', group._id);
        refuse(fresh && joinRejection(fresh, member.openid, now));
        throw new AppError('GROUP_FULL', '这个团已满');
      }
      await holdDealUnit(ctx, deal, id);
    });
    return { groupId: group._id, order: view };
  },
);

const REFUSALS = { GROUP_EXPIRED: '这个团已结束', GROUP_FULL: '这个团已满', GROUP_ALREADY_JOINED: '你已在这个团里' } as const;

function refuse(rejection: keyof typeof REFUSALS | null | undefined): void {
  if (rejection) throw new AppError(rejection, REFUSALS[rejection]);
}

/** The deal's item with its list price (a deal sells an item with a cash price). */
async function dealItem(ctx: ServerContext, itemId: string | undefined): Promise<{ item: MallItem; listPrice: number }> {
  const item = itemId ? await loadItem(ctx, itemId) : undefined;
  if (!item || item.cashPrice === undefined) throw new AppError('NOT_FOUND', '活动不存在');
  return { item, listPrice: item.cashPrice };
}

function seatOrder(
  member: MemberDoc,
  request: string,
  id: string,
  item: MallItem,
  listPrice: number,
  deal: GroupDeal,
  groupId: string,
  leader: boolean,
  now: Date,
  deadline: Date,
): PayOrderDoc {
  return newPayOrder(
    {
      _id: id,
      openid: member.openid,
      requestId: request,
      item,
      listPrice,
      amount: seatPrice(listPrice, deal, leader),
      points: 0,
      tier: member.tier,
      group: { dealId: deal._id, groupId, leader },
    },
    now,
    seatHeldUntil(now, deadline, deal.holdMinutes),
  );
}

const seatOf = (member: MemberDoc, payOrderId: string, now: Date): GroupSeat => ({
  openid: member.openid,
  nickname: member.nickname,
  ...(member.avatar ? { avatar: member.avatar } : {}),
  payOrderId,
  paid: false,
  joinedAt: now,
});

/** One of the member's places in the deal's groups (slot ids 1…limit: the unique id is the limit, under racing joins too). */
async function takeSlot(ctx: ServerContext, deal: GroupDeal, openid: string, payOrderId: string, now: Date): Promise<void> {
  for (let n = 1; n <= deal.perMemberLimit; n++)
    if (await insertOnce(ctx.db, 'dealSlots', { _id: `${deal._id}:${openid}:${n}`, dealId: deal._id, openid, payOrderId, at: now })) return;
  throw new AppError('GROUP_LIMIT_REACHED', `每人限参加${deal.perMemberLimit}个团`);
}

/** A unit of the deal's stock for the seat, marked on its order so expiry or failure gives it back. */
async function holdDealUnit(ctx: ServerContext, deal: GroupDeal, payOrderId: string): Promise<void> {
  if (!(await takeUnit(ctx, deal._id, 'groupDeals'))) throw new AppError('SOLD_OUT', '已抢光');
  await ctx.db
    .collection('payOrders')
    .doc(payOrderId)
    .update({ data: { stockHeld: true } });
}
