import { z } from 'zod';
import { type WriteOffProblem, describeRule, discountFor, maskNickname, writeOffProblem } from '../../core/mall/coupon';
import { beijingDay } from '../../core/time/beijing';
import { businessDaySchema } from '../../core/time/schema';
import type { StoreDay, WriteOffPreview, WriteOffView } from '../../typings/api';
import type { CodeFailureDoc, MemberDoc, PurchaseDoc, WriteOffDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { type Tx, findDocs, findIn, findOne, inTransaction, isDuplicateWrite, txGet } from '../platform/db';
import { recordActivity, touchDayInTx } from '../activity/record';
import { loadConfig } from '../platform/config';
import { LIFECYCLE_CONFIG } from '../../core/config/lifecycle';
import { AppError } from '../platform/errors';
import { type Staff, requireStaff, roleNames, storeName } from '../platform/roles';
import { couponForCode } from './codeGuard';
import { action } from '../platform/router';

const PROBLEM_MESSAGES: Record<WriteOffProblem, string> = {
  COUPON_ALREADY_USED: '该券已核销',
  COUPON_EXPIRED: '该券已过期',
  COUPON_NOT_YET_VALID: '该券尚未生效',
  COUPON_WRONG_STORE: '该券不能在本店使用',
  COUPON_CONDITION_UNMET: '未满足使用条件',
};

const codeInput = z.lazy(() => z.string().min(1).max(40));
const amount = z.lazy(() => z.number().int().min(1).max(100_000_000));

/** What staff see after scanning: the coupon, the member (masked) and whether it can be used here. */
export const preview = action(
  () => z.object({ code: codeInput }).strict(),
  async (ctx, input): Promise<WriteOffPreview> => {
    const staff = await requireStaff(ctx);
    const coupon = await couponForCode(ctx, staff, input.code);
    const member = await findOne(ctx.db, 'members', coupon.openid);
    return {
      couponId: coupon._id,
      title: coupon.title,
      ruleText: describeRule(coupon.rule),
      rule: coupon.rule,
      memberNickname: maskNickname(member?.nickname ?? ''),
      memberTier: member?.tier ?? 'bronze',
      validTo: coupon.validTo.toISOString(),
      needsAmount: coupon.rule.type !== 'noThreshold',
      problem: writeOffProblem(coupon, member?.tier ?? 'bronze', staff.storeId, ctx.clock.now()),
    };
  },
);

/**
 * Writes a coupon off at the staff member's store, exactly once: the coupon's status and
 * the audit entry (keyed by the coupon) change in one transaction, so of two staff
 * confirming the same code at once one succeeds and the other reads "already used".
 * Round trips (bench (i)): the role, the attempt and the code's coupon at once, the
 * transaction (start, member, coupon read and write, audit entry, commit), the activity rollup.
 */
export const writeOff = action(
  () => z.object({ code: codeInput, orderAmount: amount.optional() }).strict(),
  async (ctx, input): Promise<WriteOffView> => {
    const staff = await requireStaff(ctx);
    const [coupon, lifecycle] = await Promise.all([couponForCode(ctx, staff, input.code), loadConfig(ctx, LIFECYCLE_CONFIG)]);
    let done: { entry: WriteOffDoc; member: MemberDoc | undefined };
    try {
      done = await inTransaction(ctx.db, async (tx) => {
        // Read in the transaction, so a retry after a conflict judges the coupon at its own time.
        const now = ctx.clock.now();
        const member = await txGet(tx, 'members', coupon.openid).catch(() => undefined);
        const entry = await writeOffInTx(tx, staff, coupon._id, member, input.orderAmount, now);
        // The member was in the store: an action, and their day's first moves their day here (no transaction of its own after).
        const day = member ? await touchDayInTx(ctx, tx, member, beijingDay(now), true, now, lifecycle) : {};
        if (member && Object.keys(day).length) await tx.collection('members').doc(member.openid).update({ data: day });
        return { entry, member };
      });
    } catch (err) {
      throw usedIfDuplicate(err);
    }
    // The order amount is the member's spend.
    if (done.member) await recordActivity(ctx, done.member, { counts: { writeOff: 1, spend: input.orderAmount ?? 0 }, dayCounted: true });
    return writeOffView(done.entry, done.member?.nickname ?? '');
  },
);

/**
 * The write-off inside the caller's transaction (a till purchase writes one off with the
 * purchase): the coupon its code was looked up to, read again here — a refund may have
 * stopped it since (it sets `validTo` to its own time, in a transaction that writes the
 * coupon: the two conflict, or the later one reads the earlier; `now` must be taken in the
 * caller's transaction, so a retry sees the refund's time as past) — checked for this store, now, the member's
 * tier and the order amount; marked used; the audit entry `writeOffs/<coupon>` added
 * (a racing second write-off fails on that key: `usedIfDuplicate`).
 */
export async function writeOffInTx(
  tx: Tx,
  staff: Staff,
  couponId: string,
  member: MemberDoc | undefined,
  orderAmount: number | undefined,
  now: Date,
): Promise<WriteOffDoc> {
  const coupon = await txGet(tx, 'coupons', couponId);
  const problem = writeOffProblem(coupon, member?.tier ?? 'bronze', staff.storeId, now);
  if (problem) throw new AppError(problem, PROBLEM_MESSAGES[problem]);
  const check = discountFor(coupon.rule, orderAmount);
  if (!check.ok)
    throw new AppError('COUPON_CONDITION_UNMET', check.reason === 'amount_required' ? '请输入订单金额' : '订单金额未达到使用门槛');
  const entry: WriteOffDoc = {
    _id: couponId,
    couponId,
    openid: coupon.openid,
    title: coupon.title,
    staff: staff._id,
    storeId: staff.storeId,
    at: now,
    day: beijingDay(now),
    orderAmount: orderAmount ?? null,
    discount: check.discount,
  };
  await tx
    .collection('coupons')
    .doc(couponId)
    .update({ data: { status: 'used', usedAt: now } });
  await tx.collection('writeOffs').add({ data: entry });
  return entry;
}

/** A racing second write-off of one coupon fails on its audit entry's key: to staff, the coupon is used. */
export const usedIfDuplicate = (err: unknown): unknown =>
  isDuplicateWrite(err) ? new AppError('COUPON_ALREADY_USED', PROBLEM_MESSAGES.COUPON_ALREADY_USED) : err;

export function writeOffView(w: WriteOffDoc, nickname: string): WriteOffView {
  return {
    couponId: w.couponId,
    title: w.title,
    memberNickname: maskNickname(nickname),
    staff: w.staff,
    storeId: w.storeId,
    at: w.at.toISOString(),
    orderAmount: w.orderAmount,
    discount: w.discount,
  };
}

/** Write-offs of one store on one Beijing day, latest first, with member nicknames masked. */
export async function writeOffsOf(ctx: ServerContext, day: string, storeId: string | undefined): Promise<WriteOffView[]> {
  const where = storeId ? { storeId, day } : { day };
  const rows = await findDocs<WriteOffDoc>(ctx.db.collection('writeOffs').where(where).orderBy('at', 'desc').limit(1000));
  const members = await findIn<MemberDoc>(
    ctx.db,
    'members',
    '_id',
    rows.map((w) => w.openid),
  );
  const nicknames = new Map(members.map((m) => [m._id, m.nickname]));
  return rows.map((w) => writeOffView(w, nicknames.get(w.openid) ?? ''));
}

/** Staff's own store, today unless a day is given. */
export const history = action(
  () => z.object({ day: businessDaySchema.optional() }).strict(),
  async (ctx, input): Promise<StoreDay> => {
    const staff = await requireStaff(ctx);
    const day = input.day ?? beijingDay(ctx.clock.now());
    const [writeOffs, failures, name, purchases] = await Promise.all([
      writeOffsOf(ctx, day, staff.storeId),
      findDocs<CodeFailureDoc>(ctx.db.collection('codeFailures').where({ storeId: staff.storeId, day }).orderBy('at', 'desc').limit(200)),
      storeName(ctx, staff.storeId),
      findDocs<PurchaseDoc>(ctx.db.collection('purchases').where({ storeId: staff.storeId, day }).orderBy('at', 'desc').limit(500)),
    ]);
    const failedAttempts = failures.map((f) => ({
      staff: f.staff,
      couponId: f.couponId,
      reason: f.reason,
      at: f.at.toISOString(),
    }));
    return {
      storeId: staff.storeId,
      storeName: name,
      day,
      writeOffs,
      totalDiscount: writeOffs.reduce((sum, w) => sum + w.discount, 0),
      failedAttempts,
      purchases: purchases.map((p) => ({
        purchaseId: p._id,
        memberNickname: maskNickname(p.result.memberNickname),
        amount: p.amount,
        points: p.result.points,
        staff: p.staff,
        at: p.at.toISOString(),
        refunded: !!p.refundedAt,
      })),
      totalSpend: purchases.filter((p) => !p.refundedAt).reduce((sum, p) => sum + p.amount, 0),
      staffNames: await roleNames(
        ctx,
        [...writeOffs, ...failedAttempts, ...purchases].map((row) => row.staff),
      ),
    };
  },
);
