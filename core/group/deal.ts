import { z } from 'zod';
import { configKey } from '../config/key';
import type { GroupDoc, GroupSeat } from '../../typings/documents';
import { type BusinessDay, addDays, startOfBeijingDay } from '../time/beijing';
import { businessDaySchema } from '../time/schema';

/**
 * Group buying (拼团, docs/rules.md): operator-defined deals in `groupDeals/<id>`, validated like
 * every operator document. A group opens when its leader pays and succeeds when `size`
 * members have paid before its deadline; otherwise it fails and every paid member is
 * refunded. The first step of issue #16: the rules, pure; the functions build on them.
 */
export const groupDealSchema = z.lazy(() =>
  z
    .object({
      _id: configKey,
      version: z.number().int().positive(),
      /** The mall item sold (its cash price is the list price). */
      itemId: configKey,
      title: z.string().min(1).max(30),
      /** Members in a full group, leader included. */
      size: z.number().int().min(2).max(10).default(3),
      /** The group price in percent of the list price (70 = 7折). */
      pricePercent: z.number().int().min(10).max(100).default(70),
      /** A lower price for the leader who opens the group, if any. */
      leaderPricePercent: z.number().int().min(10).max(100).optional(),
      /** Units across all groups of the deal. */
      stock: z.number().int().min(0).max(1_000_000),
      from: businessDaySchema,
      to: businessDaySchema,
      /** Hours a group has to fill after it opens (never past the deal's last day). */
      deadlineHours: z.number().int().min(1).max(72).default(24),
      /** Groups one member may take part in for this deal. */
      perMemberLimit: z.number().int().min(1).max(10).default(1),
      /** Minutes a seat is held for its payment before it goes back to the group. */
      holdMinutes: z.number().int().min(1).max(30).default(5),
      enabled: z.boolean(),
    })
    .strict()
    .refine((d) => d.from <= d.to, { message: 'from must not be after to', path: ['from'] })
    .refine((d) => d.leaderPricePercent === undefined || d.leaderPricePercent <= d.pricePercent, {
      message: 'the leader price must not be above the group price',
      path: ['leaderPricePercent'],
    }),
);
export type GroupDeal = z.infer<typeof groupDealSchema>;

/** Whether members can open or join groups of the deal on `today` (Beijing). */
export function dealOpen(deal: GroupDeal, today: BusinessDay): boolean {
  return deal.enabled && deal.from <= today && today <= deal.to;
}

/**
 * When a group opened at `openedAt` fails if it has not filled: `deadlineHours` later, but
 * never after the deal's last Beijing day ends (a group opened late on the last day must
 * not outlive the deal — the deadline mistake peers make).
 */
export function groupDeadline(openedAt: Date, deal: Pick<GroupDeal, 'deadlineHours' | 'to'>): Date {
  const byHours = openedAt.getTime() + deal.deadlineHours * 3_600_000;
  const dealEnds = startOfBeijingDay(addDays(deal.to, 1)).getTime();
  return new Date(Math.min(byHours, dealEnds));
}

/**
 * What a seat costs (fen): the group price, or the leader's. Tier discounts do not stack on
 * a group price — it is already the deal's discount, and the same for every seat.
 */
export function seatPrice(listPrice: number, deal: Pick<GroupDeal, 'pricePercent' | 'leaderPricePercent'>, leader: boolean): number {
  const percent = leader ? (deal.leaderPricePercent ?? deal.pricePercent) : deal.pricePercent;
  return Math.round((listPrice * percent) / 100);
}

/** What the join rules look at in a group (`groups/<id>`). */
export type GroupFacts = Pick<GroupDoc, 'size' | 'deadline' | 'state'> & { seats: readonly Pick<GroupSeat, 'openid' | 'paid'>[] };

export type JoinRejection = 'GROUP_EXPIRED' | 'GROUP_FULL' | 'GROUP_ALREADY_JOINED';

/**
 * Why `openid` cannot take a seat in the group now, or null when a seat is free for them.
 * (A group still waiting for its leader's payment is not shown to anyone else.)
 */
export function joinRejection(group: GroupFacts, openid: string, now: Date): JoinRejection | null {
  if (group.state === 'failed' || now >= group.deadline) return 'GROUP_EXPIRED';
  if (group.seats.some((s) => s.openid === openid)) return 'GROUP_ALREADY_JOINED';
  if (group.state === 'succeeded' || group.seats.length >= group.size) return 'GROUP_FULL';
  return null;
}

/**
 * Whether the group has filled: every seat taken and paid. Decided when the last payment
 * is booked; a group whose failure the timer booked first stays failed (the two moves are
 * on the same document, so only one commits).
 */
export function groupFilled(group: Pick<GroupFacts, 'size' | 'seats'>): boolean {
  return group.seats.length === group.size && group.seats.every((s) => s.paid);
}

/** Until when a seat is held for its payment: the deal's hold time, never past the group's deadline. */
export function seatHeldUntil(now: Date, deadline: Date, holdMinutes: number): Date {
  return new Date(Math.min(now.getTime() + holdMinutes * 60_000, deadline.getTime()));
}

/** The group-result notice (template `groupResult`: the item, the result, what happens next). */
export function groupResultFields(title: string, succeeded: boolean): Record<string, string> {
  return succeeded
    ? { thing1: title, phrase2: '拼团成功', thing3: '订单已确认，请留意发货通知' }
    : { thing1: title, phrase2: '拼团失败', thing3: '未在时限内成团，已自动全额退款' };
}
