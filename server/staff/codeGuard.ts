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
    throw locked();
  }
  if (!verifyPassword(coupon.secret, parsed.otp, now)) await wrongCode(ctx, staff, coupon._id, config);
  return coupon;
}

/** Takes one of this minute's attempts of a staff account, or refuses. */
async function takeAttempt(ctx: ServerContext, staff: string, config: CodeGuardConfig): Promise<void> {
  if ((await count(ctx, attemptWindow(staff, ctx.clock.now()), config.staffAttemptsPerMinute)) === null) {
    throw new AppError('RATE_LIMITED', '尝试太频繁，请一分钟后再试');
  }
}

/**
 * Adds one to the window counter `rateLimits/<id>` — created by the window's first count,
 * an atomic increment after, so racing calls cannot hide from it — unless it has reached
 * `below`. Returns the count after, or null when the window is used up.
 */
async function count(ctx: ServerContext, id: string, below?: number): Promise<number | null> {
  const _ = ctx.db.command;
  for (let tries = 0; tries < 2; tries++) {
    const where = below === undefined ? { _id: id } : { _id: id, count: _.lt(below) };
    const added = (await ctx.db
      .collection('rateLimits')
      .where(where)
      .update({ data: { count: _.inc(1) } })) as { stats: { updated: number } };
    if (added.stats.updated === 1) return below === undefined ? ((await findOne(ctx.db, 'rateLimits', id))?.count ?? 1) : 0;
    // No counter yet (the window's first count), or the window is used up.
    if (await insertOnce(ctx.db, 'rateLimits', { _id: id, count: 1, at: ctx.clock.now() })) return 1;
  }
  return null;
}

/**
 * Counts a wrong password against the coupon (of racing guesses at most
 * `wrongCodesBeforeLock − 1` learn "wrong", the rest "locked"). The guess that reaches the
 * limit locks the coupon — a conditional update, so one guess does — and raises the
 * operator alert.
 */
async function wrongCode(ctx: ServerContext, staff: Staff, couponId: string, config: CodeGuardConfig): Promise<never> {
  const now = ctx.clock.now();
  const _ = ctx.db.command;
  const [wrong] = await Promise.all([
    count(ctx, wrongWindow(couponId, now, config)),
    ctx.db.collection('codeFailures').add({ data: failure(staff, couponId, 'wrong', now) }),
  ]);
  const until = lockFor(wrong ?? 0, now, config);
  if (!until) throw invalidCode();
  const unlocked = _.or([
    { 'codeGuard.lockedUntil': _.exists(false) },
    { 'codeGuard.lockedUntil': null },
    { 'codeGuard.lockedUntil': _.lte(now) },
  ]);
  const locking = (await ctx.db
    .collection('coupons')
    .where(_.and([{ _id: couponId }, unlocked]))
    .update({ data: { 'codeGuard.lockedUntil': until } })) as { stats: { updated: number } };
  if (locking.stats.updated === 1) {
    const alert: CouponLockAlertDoc = {
      _id: `coupon-locked:${couponId}:${now.getTime()}`,
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
  throw locked();
}

function failure(staff: Staff, couponId: string | null, reason: CodeFailureDoc['reason'], now: Date): CodeFailureDoc {
  return { _id: randomUUID(), staff: staff._id, storeId: staff.storeId, couponId, reason, at: now, day: beijingDay(now) };
}

const invalidCode = () => new AppError('COUPON_CODE_INVALID', '券码无效或已过期，请让顾客刷新券码');
const locked = () => new AppError('COUPON_LOCKED', '该券因多次输错已临时锁定，请让顾客稍后刷新券码');
