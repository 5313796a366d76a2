import { z } from 'zod';
import { lockedUntil } from '../../core/mall/codeGuard';
import { currentCode } from '../../core/mall/code';
import { couponState, describeRule } from '../../core/mall/coupon';
import type { CouponCode, CouponPage, CouponView } from '../../typings/api';
import type { CouponDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { findDocs, findOne } from '../platform/db';
import { AppError } from '../platform/errors';
import { ensureMember } from '../member/registration';
import { action } from '../platform/router';

/** An unused coupon ending within this time is shown as 即将过期. */
const EXPIRES_SOON_MS = 3 * 86_400_000;

/** What a member may see of their coupon: everything but the secret. */
export function couponView(c: CouponDoc, now: Date): CouponView {
  const state = couponState({ status: c.status, validTo: c.validTo }, now);
  return {
    id: c._id,
    title: c.title,
    ruleText: describeRule(c.rule),
    rule: c.rule,
    state,
    expiresSoon: state === 'unused' && c.validTo.getTime() - now.getTime() < EXPIRES_SOON_MS,
    validFrom: c.validFrom.toISOString(),
    validTo: c.validTo.toISOString(),
    storeIds: c.storeIds,
    minTier: c.minTier,
    usedAt: c.usedAt?.toISOString() ?? null,
  };
}

const couponId = z.lazy(() => z.string().regex(/^\d{8}$/));

/** The caller's own coupon; another member's is NOT_FOUND, never revealed. */
async function ownCoupon(ctx: ServerContext, id: string): Promise<CouponDoc> {
  const { member } = await ensureMember(ctx);
  const coupon = await findOne(ctx.db, 'coupons', id);
  if (!coupon || coupon.openid !== member.openid) throw new AppError('NOT_FOUND', '优惠券不存在');
  return coupon;
}

/** The wallet by tab: unused (soonest to expire first), used (latest first), expired (latest first). */
export const myCoupons = action(
  () =>
    z
      .object({
        state: z.enum(['unused', 'used', 'expired']),
        page: z.number().int().min(0).max(1000).optional(),
        pageSize: z.number().int().min(1).max(50).optional(),
      })
      .strict(),
  async (ctx, input): Promise<CouponPage> => {
    const { member } = await ensureMember(ctx);
    const now = ctx.clock.now();
    const _ = ctx.db.command;
    const coupons = ctx.db.collection('coupons');
    const query =
      input.state === 'used'
        ? coupons.where({ openid: member.openid, status: 'used' }).orderBy('usedAt', 'desc')
        : input.state === 'unused'
          ? coupons.where({ openid: member.openid, status: 'unused', validTo: _.gt(now) }).orderBy('validTo', 'asc')
          : coupons.where({ openid: member.openid, status: 'unused', validTo: _.lte(now) }).orderBy('validTo', 'desc');
    const pageSize = input.pageSize ?? 20;
    const rows = await findDocs<CouponDoc>(query.skip((input.page ?? 0) * pageSize).limit(pageSize + 1));
    return { coupons: rows.slice(0, pageSize).map((c) => couponView(c, now)), hasMore: rows.length > pageSize };
  },
);

export const coupon = action(
  () => z.object({ couponId }).strict(),
  async (ctx, input): Promise<CouponView> => {
    return couponView(await ownCoupon(ctx, input.couponId), ctx.clock.now());
  },
);

/**
 * The code to show at the till right now. Only for the owner's unused, valid coupon; the
 * page asks again at `refreshAt`.
 */
export const couponCode = action(
  () => z.object({ couponId }).strict(),
  async (ctx, input): Promise<CouponCode> => {
    const c = await ownCoupon(ctx, input.couponId);
    const now = ctx.clock.now();
    const state = couponState({ status: c.status, validTo: c.validTo }, now);
    if (state === 'used') throw new AppError('COUPON_ALREADY_USED', '优惠券已使用');
    if (state === 'expired') throw new AppError('COUPON_EXPIRED', '优惠券已过期');
    const locked = lockedUntil(c.codeGuard, now);
    if (locked) return { code: null, lockedUntil: locked.toISOString(), refreshAt: locked.toISOString(), serverNow: now.toISOString() };
    const { code, refreshAt } = currentCode(c._id, c.secret, now);
    return { code, lockedUntil: null, refreshAt: refreshAt.toISOString(), serverNow: now.toISOString() };
  },
);
