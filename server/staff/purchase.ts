import { z } from 'zod';
import { maskNickname } from '../../core/mall/coupon';
import { requestIdSchema } from '../platform/idempotency';
import { beijingDay } from '../../core/time/beijing';
import type { PurchaseResult } from '../../typings/api';
import type { MemberDoc, PurchaseDoc } from '../../typings/documents';
import { recordActivity, touchDayInTx } from '../activity/record';
import { loadConfigs } from '../platform/config';
import { LIFECYCLE_CONFIG } from '../../core/config/lifecycle';
import { TIERS_CONFIG } from '../../core/config/tiers';
import { inTransaction, txGet } from '../platform/db';
import { AppError } from '../platform/errors';
import { samePayload } from '../platform/idempotency';
import { bookPurchase } from '../tiers/spend';
import { requireStaff } from '../platform/roles';
import { action } from '../platform/router';
import { couponForCode, memberCodeFor } from './codeGuard';
import { usedIfDuplicate, writeOffInTx } from './writeoff';

/** One-time passwords a member code remembers as used (a code is valid for two minutes: two steps). */
const USED_REMEMBERED = 4;

const input = z.lazy(() =>
  z
    .object({
      code: z.string().min(1).max(40),
      /** Fen, as the till rang it up. */
      amount: z.number().int().min(1).max(100_000_000),
      /** Chosen by the till per purchase; a retry with the same id replays the first outcome. */
      requestId: requestIdSchema,
      /** One of the member's coupons to write off with this purchase (its till code). */
      couponCode: z.string().min(1).max(40).optional(),
    })
    .strict(),
);

/**
 * A purchase at the till, from the member's 会员码: in one transaction the code's password
 * is spent (a code counts once, however many tills scan it), the spend and the points it
 * earns are posted, the purchase is recorded for the store, and a member whose qualifying
 * spend now reaches a higher tier moves up at once (with a tier-history entry).
 */
export const recordPurchase = action(
  () => input,
  async (ctx, { code, amount, requestId, couponCode }): Promise<PurchaseResult> => {
    const staff = await requireStaff(ctx);
    const [config, lifecycle] = await loadConfigs(ctx, TIERS_CONFIG, LIFECYCLE_CONFIG);
    if (amount > config.maxPurchase) throw new AppError('AMOUNT_TOO_LARGE', `单笔消费不能超过 ${config.maxPurchase / 100} 元`);
    const { holder, password } = await memberCodeFor(ctx, staff, code);
    const coupon = couponCode === undefined ? null : await couponForCode(ctx, staff, couponCode);
    if (coupon && coupon.openid !== holder.openid) throw new AppError('COUPON_CODE_INVALID', '该券不属于此会员');
    const id = `${staff._id}:${requestId}`;
    const done = await inTransaction(ctx.db, async (tx): Promise<{ result: PurchaseResult; member?: MemberDoc }> => {
      // Read in the transaction, so a retry after a conflict judges the coupon at its own time (writeOffInTx).
      const now = ctx.clock.now();
      const today = beijingDay(now);
      // A retry (or a doubled tap) of a purchase already recorded answers as it did.
      const previous = await txGet(tx, 'purchases', id).catch(() => undefined);
      if (previous) return { result: replay(previous, holder.openid, amount) };
      const codeDoc = await txGet(tx, 'memberCodes', holder._id);
      if (codeDoc.usedPasswords.includes(password)) throw new AppError('MEMBER_CODE_USED', '该会员码已使用，请让顾客刷新会员码');
      const m = await txGet(tx, 'members', holder.openid);
      // The coupon comes off the order first: the member's spend is what they paid.
      const writtenOff = coupon ? await writeOffInTx(tx, staff, coupon._id, m, amount, now) : null;
      const paid = amount - (writtenOff?.discount ?? 0);
      await tx
        .collection('memberCodes')
        .doc(holder._id)
        .update({ data: { usedPasswords: [...codeDoc.usedPasswords.slice(1 - USED_REMEMBERED), password] } });
      // The member was in the store: an action, and their day's first moves their day here, with the posting.
      const day = await touchDayInTx(ctx, tx, m, today, true, now, lifecycle);
      const booked = await bookPurchase(tx, m, config, { id, amount: paid, counterparty: `store:${staff.storeId}`, today, now }, day);
      const result: PurchaseResult = {
        ...booked.result,
        orderAmount: amount,
        coupon: writtenOff && { couponId: writtenOff.couponId, title: writtenOff.title, discount: writtenOff.discount },
        balance: booked.balance,
      };
      const purchase: PurchaseDoc = {
        _id: id,
        openid: m.openid,
        staff: staff._id,
        storeId: staff.storeId,
        amount: paid,
        at: now,
        day: today,
        result,
      };
      await tx.collection('purchases').add({ data: purchase });
      return { result, member: m };
    }).catch((err: unknown) => {
      throw usedIfDuplicate(err);
    });
    if (done.member)
      await recordActivity(ctx, done.member, {
        counts: { spend: done.result.amount, ...(done.result.coupon ? { writeOff: 1 } : {}) },
        dayCounted: true,
      });
    // Staff see the member's name masked, as on every till screen (write-off, history).
    return { ...done.result, memberNickname: maskNickname(done.result.memberNickname) };
  },
);

function replay(previous: PurchaseDoc, openid: string, orderAmount: number): PurchaseResult {
  if (!samePayload(previous, { openid }) || !samePayload(previous.result, { orderAmount }))
    throw new AppError('IDEMPOTENCY_KEY_REUSED', '该请求号已用于另一笔消费');
  return previous.result;
}
