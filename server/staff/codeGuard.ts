import { randomUUID } from 'node:crypto';
import { type CodeGuardConfig, attemptWindow, lockFor, lockedUntil, wrongWindow } from '../../core/mall/codeGuard';
import { parseCode, verifyPassword } from '../../core/mall/code';
import { beijingDay } from '../../core/time/beijing';
import type { CodeFailureDoc, CouponDoc, CouponLockAlertDoc, RoleDoc } from '../../typings/documents';
import type { ServerContext } from '../context';
import { findOne, insertOnce } from '../db';
import { AppError } from '../errors';
import { CODE_GUARD_CONFIG, loadConfig } from '../config';

type Staff = RoleDoc & { storeId: string };

/**
 * The coupon a typed or scanned code names, if the code is its current (or previous
 * minute's) code — behind the guessing protection: the staff account's attempt is taken
 * first (RATE_LIMITED past the rate), a locked coupon answers COUPON_LOCKED whatever the
 * code, and every failed attempt is kept in `codeFailures` (the audit trail).
 */
export async function couponForCode(ctx: ServerContext, staff: Staff, text: string): Promise<CouponDoc> {
  const config = await loadConfig(ctx, CODE_GUARD_CONFIG);
  await takeAttempt(ctx, staff._id, config);
  const now = ctx.clock.now();
  const parsed = parseCode(text);
  const coupon = parsed && (await findOne(ctx.db, 'coupons', parsed.serial));
  if (!parsed || !coupon) {
    await ctx.db.collection('codeFailures').add({ data: failure(staff, parsed?.serial ?? null, parsed ? 'unknown' : 'malformed', now) });
    throw invalidCode();
  }
  const until = lockedUntil(coupon.codeGuard, now);
  if (until) {
    await ctx.db.collection('codeFailures').add({ data: failure(staff, coupon._id, 'locked', now) });
    throw locked(until);
  }
  if (!verifyPassword(coupon.secret, parsed.otp, now)) await wrongCode(ctx, staff, coupon._id, config);
  return coupon;
}

/** Takes one of this minute's attempts of a staff account: a conditional increment, exact under racing calls. */
async function takeAttempt(ctx: ServerContext, staff: string, config: CodeGuardConfig): Promise<void> {
  const now = ctx.clock.now();
  const id = attemptWindow(staff, now);
  const _ = ctx.db.command;
  for (let tries = 0; tries < 2; tries++) {
    const taken = (await ctx.db
      .collection('rateLimits')
      .where({ _id: id, count: _.lt(config.staffAttemptsPerMinute) })
      .update({ data: { count: _.inc(1) } })) as { stats: { updated: number } };
    if (taken.stats.updated === 1) return;
    // No document yet (the minute's first attempt), or the minute is used up.
    if (await insertOnce(ctx.db, 'rateLimits', { _id: id, staff, count: 1, at: now })) return;
  }
  throw new AppError('RATE_LIMITED', '尝试太频繁，请一分钟后再试');
}

/**
 * Counts a wrong password against the coupon (an atomic increment, then a read: of racing
 * guesses at most `wrongCodesBeforeLock − 1` learn "wrong", the rest "locked"). The guess
 * that reaches the limit locks the coupon — a conditional update, so one guess does — and
 * raises the operator alert.
 */
async function wrongCode(ctx: ServerContext, staff: Staff, couponId: string, config: CodeGuardConfig): Promise<never> {
  const now = ctx.clock.now();
  const window = wrongWindow(now, config);
  const _ = ctx.db.command;
  const coupons = ctx.db.collection('coupons');
  await coupons.doc(couponId).update({ data: { [`codeGuard.wrong.${window}`]: _.inc(1) } });
  await ctx.db.collection('codeFailures').add({ data: failure(staff, couponId, 'wrong', now) });
  const coupon = await findOne(ctx.db, 'coupons', couponId);
  const until = lockFor(coupon?.codeGuard?.wrong?.[window] ?? 0, now, config);
  if (!until) throw invalidCode();
  const unlocked = _.or([
    { 'codeGuard.lockedUntil': _.exists(false) },
    { 'codeGuard.lockedUntil': null },
    { 'codeGuard.lockedUntil': _.lte(now) },
  ]);
  const locking = (await coupons.where(_.and([{ _id: couponId }, unlocked])).update({ data: { 'codeGuard.lockedUntil': until } })) as {
    stats: { updated: number };
  };
  if (locking.stats.updated === 1) {
    const alert: CouponLockAlertDoc = {
      _id: `coupon-locked:${couponId}:${window}`,
      kind: 'couponLocked',
      couponId,
      staff: staff._id,
      storeId: staff.storeId,
      wrongCodes: config.wrongCodesBeforeLock,
      lockedUntil: until,
      day: beijingDay(now),
      at: now,
    };
    await insertOnce(ctx.db, 'alerts', alert);
  }
  throw locked(until);
}

function failure(staff: Staff, couponId: string | null, reason: CodeFailureDoc['reason'], now: Date): CodeFailureDoc {
  return { _id: randomUUID(), staff: staff._id, storeId: staff.storeId, couponId, reason, at: now, day: beijingDay(now) };
}

const invalidCode = () => new AppError('COUPON_CODE_INVALID', '券码无效或已过期，请让顾客刷新券码');
const locked = (until: Date) => new AppError('COUPON_LOCKED', `该券因多次输错已临时锁定，请于 ${until.toISOString()} 后让顾客刷新券码`);
