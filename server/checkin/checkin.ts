import { z } from 'zod';
import { decideCheckin } from '../../core/checkin/decide';
import { type CheckinConfig, CHECKIN_CONFIG } from '../../core/config/checkin';
import { type LifecycleConfig, LIFECYCLE_CONFIG } from '../../core/config/lifecycle';
import { beijingDay } from '../../core/time/beijing';
import type { CheckinResult } from '../../typings/api';
import type { MemberDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { inTransaction, isDuplicateWrite, txGet } from '../platform/db';
import { AppError } from '../platform/errors';
import { recordActivity, touchDayInTx } from '../activity/record';
import { ensureMember } from '../member/registration';
import { callerOpenid } from '../platform/caller';
import { action } from '../platform/router';
import { recordReward } from '../coupons/issue';
import { postJournal } from '../points/post';
import { loadConfigs } from '../platform/config';
import { type TiersConfig, birthdayMultiplierFor, TIERS_CONFIG } from '../../core/config/tiers';

/**
 * Today's check-in, all in one transaction: the check-in document (its id makes a second
 * one today impossible), the points posted, the milestone reward and the member's
 * streak, balance and cards, as `decideCheckin` decided them. Either all of it happens or none. The member is read only
 * inside the transaction (members register on their first `home`; a caller who has not
 * is registered and the check-in tried again).
 */
export const checkin = action(
  () => z.object({}).strict(),
  async (ctx): Promise<CheckinResult> => {
    const openid = callerOpenid(ctx);
    const configs = await loadConfigs(ctx, CHECKIN_CONFIG, LIFECYCLE_CONFIG, TIERS_CONFIG);
    let checkedIn = await checkinOnce(ctx, openid, configs);
    if (!checkedIn) {
      await ensureMember(ctx);
      checkedIn = await checkinOnce(ctx, openid, configs);
    }
    if (!checkedIn) throw new Error(`member ${openid} missing right after registration`);
    const { result, member } = checkedIn;
    // Check-in tasks count the check-in documents themselves: nothing to write for them.
    await recordActivity(ctx, member, { counts: { checkin: 1 }, dayCounted: true });
    return result;
  },
);

/** The check-in transaction: load → decide → write; null when the caller has no member document yet. */
async function checkinOnce(
  ctx: ServerContext,
  openid: string,
  [config, lifecycle, tiers]: [CheckinConfig, LifecycleConfig, TiersConfig],
): Promise<{ result: CheckinResult; member: MemberDoc } | null> {
  const now = ctx.clock.now();
  const today = beijingDay(now);
  try {
    return await inTransaction(ctx.db, async (tx) => {
      const m = await txGet(tx, 'members', openid).catch(() => undefined);
      if (!m) return null;
      const decision = decideCheckin(m, config, today, now, birthdayMultiplierFor(m, tiers, today));
      await tx.collection('checkins').add({ data: decision.checkin });
      if (decision.reward) await recordReward(ctx, tx, decision.reward);
      // A check-in is the member's activity for the day: its lifecycle move rides along.
      const day = await touchDayInTx(ctx, tx, m, today, true, now, lifecycle);
      const board = { boardStreak: decision.result.streak, boardEnd: today };
      const balance = await postJournal(tx, m, decision.lines, { ...day, ...decision.patch, ...board });
      return { result: { ...decision.result, balance }, member: m };
    });
  } catch (err) {
    if (isDuplicateWrite(err)) throw new AppError('CHECKIN_ALREADY_TODAY', '今天已经签到过了');
    throw err;
  }
}
