import type { CouponRule, Tier } from '../../typings/vocabulary';
import type { Validity } from './catalogue';
import { tierRank } from '../tiers/rank';
import { addDays, beijingDay, startOfBeijingDay } from '../time/beijing';

/**
 * When an instance issued at `issuedAt` can be used: fixed days run from the start of
 * `from` to the end of `to` (Beijing); N relative days run to the end of the Nth Beijing
 * day after the issue day. `validTo` is exclusive.
 */
export function couponWindow(validity: Validity, issuedAt: Date): { validFrom: Date; validTo: Date } {
  if (validity.type === 'fixed')
    return { validFrom: startOfBeijingDay(validity.from), validTo: startOfBeijingDay(addDays(validity.to, 1)) };
  return { validFrom: issuedAt, validTo: startOfBeijingDay(addDays(beijingDay(issuedAt), validity.days + 1)) };
}

export type CouponState = 'unused' | 'used' | 'expired';

/** Used wins over expired: a coupon written off yesterday stays "used". */
export function couponState(coupon: { status: 'unused' | 'used'; validTo: Date }, now: Date): CouponState {
  if (coupon.status === 'used') return 'used';
  return now.getTime() >= coupon.validTo.getTime() ? 'expired' : 'unused';
}

export type DiscountOutcome = { ok: true; discount: number } | { ok: false; reason: 'below_threshold' | 'amount_required' };

/**
 * What a coupon takes off an order of `orderAmount` fen. 满减 needs the amount to check the
 * threshold; 折扣 needs it to compute the discount; 无门槛 never takes more than the order.
 */
export function discountFor(rule: CouponRule, orderAmount: number | undefined): DiscountOutcome {
  if (rule.type === 'noThreshold')
    return { ok: true, discount: orderAmount === undefined ? rule.amount : Math.min(rule.amount, orderAmount) };
  if (orderAmount === undefined) return { ok: false, reason: 'amount_required' };
  if (rule.type === 'threshold')
    return orderAmount >= rule.threshold ? { ok: true, discount: rule.amount } : { ok: false, reason: 'below_threshold' };
  const off = Math.floor((orderAmount * (100 - rule.percent)) / 100);
  return { ok: true, discount: rule.maxOff === undefined ? off : Math.min(off, rule.maxOff) };
}

/** A person's reading of the rule: 满100减20, 8折, 50元无门槛. */
export function describeRule(rule: CouponRule): string {
  const yuan = (fen: number) => `${fen / 100}`;
  if (rule.type === 'threshold') return `满${yuan(rule.threshold)}减${yuan(rule.amount)}`;
  if (rule.type === 'noThreshold') return `${yuan(rule.amount)}元无门槛`;
  return `${rule.percent / 10}折${rule.maxOff === undefined ? '' : `，最高减${yuan(rule.maxOff)}`}`;
}

function tierAllows(memberTier: Tier, minTier: Tier): boolean {
  return tierRank(memberTier) >= tierRank(minTier);
}

export type WriteOffProblem =
  | 'COUPON_ALREADY_USED'
  | 'COUPON_EXPIRED'
  | 'COUPON_NOT_YET_VALID'
  | 'COUPON_WRONG_STORE'
  | 'COUPON_CONDITION_UNMET';

interface Redeemable {
  status: 'unused' | 'used';
  validFrom: Date;
  validTo: Date;
  storeIds: string[];
  minTier: Tier;
  rule: CouponRule;
}

/**
 * Why a coupon cannot be written off at `storeId` now, or null if it can (the order
 * amount, checked by `discountFor`, aside).
 */
export function writeOffProblem(coupon: Redeemable, memberTier: Tier, storeId: string, now: Date): WriteOffProblem | null {
  const state = couponState(coupon, now);
  if (state === 'used') return 'COUPON_ALREADY_USED';
  if (state === 'expired') return 'COUPON_EXPIRED';
  if (now.getTime() < coupon.validFrom.getTime()) return 'COUPON_NOT_YET_VALID';
  if (coupon.storeIds.length > 0 && !coupon.storeIds.includes(storeId)) return 'COUPON_WRONG_STORE';
  if (!tierAllows(memberTier, coupon.minTier)) return 'COUPON_CONDITION_UNMET';
  return null;
}

/** 张三丰 → 张**: enough for staff to match the person, no more. */
export function maskNickname(nickname: string): string {
  const [first = ''] = [...nickname];
  return `${first || '会'}**`;
}

/** What issued a coupon bought with WeChat Pay (`CouponDoc.source`): the pay order. */
export const payOrderSource = (orderId: string) => `payorder:${orderId}`;

/** The pay order a bought coupon came from, or null for one redeemed with points or given as a reward. */
export function paidWith(source: string): string | null {
  return source.startsWith('payorder:') ? source.slice('payorder:'.length) : null;
}

/** Whether the coupon came from the mall (redeemed with points or bought), not as a reward. */
export const fromTheMall = (source: string) => source.startsWith('redemption:') || paidWith(source) !== null;
