import { randomUUID } from 'node:crypto';
import { attemptWindow, lockFor, lockedUntil, wrongWindow } from '../../core/mall/codeGuard';
import { COUPON_SERIAL_DIGITS, MEMBER_SERIAL_DIGITS, parseCode, verifyPassword } from '../../core/mall/code';
import { beijingDay } from '../../core/time/beijing';
import type { CodeFailureDoc, CodeLockAlertDoc, CouponDoc, MemberCodeDoc } from '../../typings/documents';
import type { Staff } from '../platform/roles';
import type { Collections } from '../platform/collections';
import type { ServerContext } from '../platform/context';
import { findOne, insertOnce, updatedCount } from '../platform/db';
import { AppError } from '../platform/errors';
import { loadConfig } from '../platform/config';
import { CODE_GUARD_CONFIG, type CodeGuardConfig } from '../../core/config/codeGuard';

/** What a till code can name: a coupon (8-digit serial) or a member (10-digit serial), each with its own errors. */
interface CodeKind<H extends 'coupons' | 'memberCodes'> {
  collection: H;
  serialDigits: number;
  invalid: () => AppError;
  locked: () => AppError;
}

const COUPON_CODES: CodeKind<'coupons'> = {
  collection: 'coupons',
  serialDigits: COUPON_SERIAL_DIGITS,
  invalid: () => new AppError('COUPON_CODE_INVALID', '券码无效或已过期，请让顾客刷新券码'),
  locked: () => new AppError('COUPON_LOCKED', '该券因多次输错已临时锁定，请让顾客稍后刷新券码'),
};

const MEMBER_CODES: CodeKind<'memberCodes'> = {
  collection: 'memberCodes',
  serialDigits: MEMBER_SERIAL_DIGITS,
  invalid: () => new AppError('MEMBER_CODE_INVALID', '会员码无效或已过期，请让顾客刷新会员码'),
  locked: () => new AppError('MEMBER_CODE_LOCKED', '该会员码因多次输错已临时锁定，请让顾客稍后刷新'),
};

/**
 * The coupon a typed or scanned code names, if the code is its current (or previous
 * minute's) code — behind the guessing protection: the staff account's attempt is taken
 * first (RATE_LIMITED past the rate), a locked coupon answers COUPON_LOCKED whatever the
 * code, and every failed attempt is kept in `codeFailures` (the audit trail).
 */
export const couponForCode = async (ctx: ServerContext, staff: Staff, text: string): Promise<CouponDoc> =>
  (await holderForCode(ctx, staff, text, COUPON_CODES)).holder;

/** The member code a typed or scanned 会员码 names, behind the same protection as coupon codes. */
export const memberCodeFor = (ctx: ServerContext, staff: Staff, text: string): Promise<{ holder: MemberCodeDoc; password: string }> =>
  holderForCode(ctx, staff, text, MEMBER_CODES);

async function holderForCode<H extends 'coupons' | 'memberCodes'>(
  ctx: ServerContext,
  staff: Staff,
  text: string,
  kind: CodeKind<H>,
): Promise<{ holder: Collections[H]; password: string }> {
  const config = await loadConfig(ctx, CODE_GUARD_CONFIG);
  const now = ctx.clock.now();
  const parsed = parseCode(text, kind.serialDigits);
  // The attempt is taken and the code's holder read at once (one round trip of the till's
  // wait, not two): a refused attempt answers RATE_LIMITED and nothing read is used.
  const [, found] = await Promise.all([
    takeAttempt(ctx, staff._id, config),
    parsed ? findOne(ctx.db, kind.collection, parsed.serial) : undefined,
  ]);
  const holder = found as Collections[H] | undefined;
  if (!parsed || !holder) {
    await ctx.db
      .collection('codeFailures')
      .add({ data: failure(staff, kind, parsed?.serial ?? null, parsed ? 'unknown' : 'malformed', now) });
    throw kind.invalid();
  }
  if (lockedUntil(holder.codeGuard, now)) {
    await ctx.db.collection('codeFailures').add({ data: failure(staff, kind, holder._id, 'locked', now) });
    throw kind.locked();
  }
  if (!verifyPassword(holder.secret, parsed.otp, now)) await wrongCode(ctx, staff, kind, holder._id, config);
  return { holder, password: parsed.otp };
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
    const added = await updatedCount(
      ctx.db
        .collection('rateLimits')
        .where(where)
        .update({ data: { count: _.inc(1) } }),
    );
    if (added === 1) return below === undefined ? ((await findOne(ctx.db, 'rateLimits', id))?.count ?? 1) : 0;
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
async function wrongCode<H extends 'coupons' | 'memberCodes'>(
  ctx: ServerContext,
  staff: Staff,
  kind: CodeKind<H>,
  serial: string,
  config: CodeGuardConfig,
): Promise<never> {
  const now = ctx.clock.now();
  const _ = ctx.db.command;
  const [wrong] = await Promise.all([
    count(ctx, wrongWindow(kind.collection === 'coupons' ? serial : `member:${serial}`, now, config)),
    ctx.db.collection('codeFailures').add({ data: failure(staff, kind, serial, 'wrong', now) }),
  ]);
  const until = lockFor(wrong ?? 0, now, config);
  if (!until) throw kind.invalid();
  const unlocked = _.or([
    { 'codeGuard.lockedUntil': _.exists(false) },
    { 'codeGuard.lockedUntil': null },
    { 'codeGuard.lockedUntil': _.lte(now) },
  ]);
  const locking = await updatedCount(
    ctx.db
      .collection(kind.collection)
      .where(_.and([{ _id: serial }, unlocked]))
      .update({ data: { 'codeGuard.lockedUntil': until } }),
  );
  // A lock is news for operators: the alert names the coupon or member code, the staff and the store.
  if (locking === 1) {
    const fields = {
      staff: staff._id,
      storeId: staff.storeId,
      wrongCodes: config.wrongCodesBeforeLock,
      lockedUntil: until,
      day: beijingDay(now),
      at: now,
    };
    const alert: CodeLockAlertDoc =
      kind.collection === 'coupons'
        ? { _id: `coupon-locked:${serial}:${now.getTime()}`, kind: 'couponLocked', couponId: serial, ...fields }
        : { _id: `member-code-locked:${serial}:${now.getTime()}`, kind: 'memberCodeLocked', memberCode: serial, ...fields };
    await insertOnce(ctx.db, 'alerts', alert);
  }
  throw kind.locked();
}

function failure(
  staff: Staff,
  kind: CodeKind<'coupons' | 'memberCodes'>,
  serial: string | null,
  reason: CodeFailureDoc['reason'],
  now: Date,
): CodeFailureDoc {
  const named = kind.collection === 'coupons' ? { couponId: serial } : { couponId: null, memberCode: serial };
  return { _id: randomUUID(), staff: staff._id, storeId: staff.storeId, ...named, reason, at: now, day: beijingDay(now) };
}
