import { z } from 'zod';
import { currentStreak, makeupRejection, runAfterMakeup } from '../../core/checkin/streak';
import { addDays, beijingDay, isBusinessDay } from '../../core/time/beijing';
import type { MakeupResult } from '../../typings/api';
import type { CheckinDoc, MemberDoc, StreakBoardDoc } from '../../typings/documents';
import { inTransaction, isDuplicateWrite, txGet } from '../db';
import { AppError } from '../errors';
import { ensureMember } from '../member/registration';
import { action } from '../router';
import { checkedDays } from './calendar';
import { checkinId } from './checkin';
import { loadCheckinConfig } from './config';

/** How far back a filled day may join earlier checked days when the streak is recomputed. */
const WALK_BACK_DAYS = 999;

/**
 * Fills one missed day with a make-up card (补签卡) and recomputes the streak. The card
 * is taken in the same transaction that writes the day, so concurrent uses consume
 * exactly one card per filled day. A make-up earns no points: it only repairs the streak.
 */
export const makeup = action(z.object({ day: z.string().refine(isBusinessDay, 'day must be YYYY-MM-DD') }).strict(), async (ctx, input): Promise<MakeupResult> => {
  const { member } = await ensureMember(ctx);
  const openid = member.openid;
  const now = ctx.clock.now();
  const today = beijingDay(now);
  const config = await loadCheckinConfig(ctx);
  const history = await checkedDays(ctx, openid, addDays(input.day, -WALK_BACK_DAYS), today);
  const checked = new Set(history.map((d) => d.day));
  const rejection = makeupRejection(input.day, today, config.makeupWindowDays, checked);
  if (rejection === 'MAKEUP_DAY_INVALID') throw new AppError(rejection, `只能补签最近${config.makeupWindowDays}天内的日子`);
  if (rejection) throw new AppError(rejection, '这一天已经签到过了');
  try {
    return await inTransaction(ctx.db, async (tx) => {
      const m = await txGet<MemberDoc>(tx, 'members', openid);
      if ((m.makeupCards ?? 0) < 1) throw new AppError('MAKEUP_NO_CARDS', '补签卡不足');
      const doc: CheckinDoc = { _id: checkinId(openid, input.day), openid, day: input.day, kind: 'makeup', at: now, streak: 0, points: 0 };
      await tx.collection('checkins').add({ data: doc });
      const run = runAfterMakeup(m.streak ?? null, input.day, checked);
      const makeupCards = m.makeupCards - 1;
      await tx.collection('members').doc(openid).update({ data: { makeupCards, streak: run } });
      const streak = currentStreak(run, today);
      if (run) {
        const board: Omit<StreakBoardDoc, '_id'> = { openid, nickname: m.nickname, streak, end: run.end };
        await tx.collection('streakBoard').doc(openid).set({ data: board });
      }
      return { day: input.day, streak, makeupCards };
    });
  } catch (err) {
    if (isDuplicateWrite(err)) throw new AppError('MAKEUP_ALREADY_CHECKED', '这一天已经签到过了');
    throw err;
  }
});
