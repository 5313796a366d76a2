import { z } from 'zod';
import { type StreakRun, makeupJoin, makeupRejection } from '../../core/checkin/streak';
import { checkinId, decideMakeup } from '../../core/checkin/decide';
import { type BusinessDay, addDays, beijingDay } from '../../core/time/beijing';
import { businessDaySchema } from '../../core/time/schema';
import type { MakeupResult } from '../../typings/api';
import { type Tx, inTransaction, isDuplicateWrite, txGet } from '../platform/db';
import { AppError } from '../platform/errors';
import { callerOpenid } from '../platform/caller';
import { action } from '../platform/router';
import { checkedDays } from './calendar';
import { loadConfig } from '../platform/config';
import { CHECKIN_CONFIG } from '../../core/config/checkin';

/** How far back a filled day may join earlier checked days when the streak is recomputed. */
const WALK_BACK_DAYS = 999;

/**
 * Fills one missed day with a make-up card (补签卡) and recomputes the streak. The card
 * is taken in the same transaction that writes the day, so concurrent uses consume
 * exactly one card per filled day. A make-up earns no points: it only repairs the streak.
 */
export const makeup = action(
  () => z.object({ day: businessDaySchema }).strict(),
  async (ctx, input): Promise<MakeupResult> => {
    // The member is read once, inside the transaction: one without a member document has no cards.
    const openid = callerOpenid(ctx);
    const now = ctx.clock.now();
    const today = beijingDay(now);
    const config = await loadConfig(ctx, CHECKIN_CONFIG);
    const history = await checkedDays(ctx, openid, addDays(input.day, -WALK_BACK_DAYS), today);
    const checked = new Set(history.map((d) => d.day));
    // The member's first day is checked in the transaction (decideMakeup), where the member is read.
    const rejection = makeupRejection(input.day, { today, windowDays: config.makeupWindowDays }, checked);
    if (rejection === 'MAKEUP_DAY_INVALID') throw new AppError(rejection, `只能补签最近${config.makeupWindowDays}天内的日子`);
    if (rejection) throw new AppError(rejection, '这一天已经签到过了');
    try {
      return await inTransaction(ctx.db, async (tx) => {
        const m = await txGet(tx, 'members', openid).catch(() => undefined);
        if (!m) throw new AppError('MAKEUP_NO_CARDS', '补签卡不足');
        // Decided on what this transaction reads: a stale list would lose days filled by a
        // racing make-up (its write conflicts with ours, so a retry sees them).
        const joined = makeupJoin(m.streak ?? null, input.day);
        const around = joined ? await checkedAround(tx, openid, joined, checked, today) : new Set<BusinessDay>();
        const decision = decideMakeup(m, input.day, today, now, around);
        if (decision.rejection === 'MAKEUP_DAY_INVALID') throw new AppError(decision.rejection, '注册之前的日子不用补签');
        if (decision.rejection) throw new AppError(decision.rejection, '补签卡不足');
        await tx.collection('checkins').add({ data: decision.checkin });
        const run = decision.patch.streak;
        const board = run ? { boardStreak: decision.result.streak, boardEnd: run.end } : {};
        await tx
          .collection('members')
          .doc(openid)
          .update({ data: { ...decision.patch, ...board } });
        return decision.result;
      });
    } catch (err) {
      if (isDuplicateWrite(err)) throw new AppError('MAKEUP_ALREADY_CHECKED', '这一天已经签到过了');
      throw err;
    }
  },
);

/**
 * The checked days directly before and after `run`, read inside the transaction. Days in
 * `known` (read before it) need no read: check-ins are never removed. Each direction stops
 * at the first day that is not checked, so this is one read a side plus one per day a
 * racing make-up filled.
 */
async function checkedAround(
  tx: Tx,
  openid: string,
  run: StreakRun,
  known: ReadonlySet<BusinessDay>,
  today: BusinessDay,
): Promise<Set<BusinessDay>> {
  const checked = new Set<BusinessDay>();
  const isChecked = async (day: BusinessDay) =>
    known.has(day) || (await txGet(tx, 'checkins', checkinId(openid, day)).catch(() => undefined)) !== undefined;
  for (let day = addDays(run.start, -1); await isChecked(day); day = addDays(day, -1)) checked.add(day);
  for (let day = addDays(run.end, 1); day <= today && (await isChecked(day)); day = addDays(day, 1)) checked.add(day);
  return checked;
}
