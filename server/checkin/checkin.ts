import { createHash } from 'node:crypto';
import { z } from 'zod';
import { badgeEarned, checkinPoints, drawReward, isNewbie, milestoneOn } from '../../core/checkin/reward';
import { currentStreak, runAfterCheckin } from '../../core/checkin/streak';
import type { CheckinConfig, MilestoneReward } from '../../core/config/checkin';
import type { LifecycleConfig } from '../../core/config/lifecycle';
import { earning } from '../../core/points/ledger';
import { beijingDay } from '../../core/time/beijing';
import type { CheckinResult } from '../../typings/api';
import type { CheckinDoc, MemberDoc, StreakBoardDoc } from '../../typings/documents';
import { loadConfigs } from '../config';
import type { ServerContext } from '../context';
import { inTransaction, isDuplicateWrite, txGet } from '../db';
import { AppError } from '../errors';
import { recordActivity, touchDayInTx } from '../activity/record';
import { LIFECYCLE_CONFIG } from '../lifecycle/transition';
import { ensureMember, requireMember } from '../member/registration';
import { action } from '../router';
import { countEvent } from '../tasks/progress';
import { recordReward } from '../coupons/issue';
import { CHECKIN_CONFIG } from './config';
import { postPoints } from '../points/post';

export const checkinId = (openid: string, day: string) => `${openid}_${day.replace(/-/g, '')}`;

/** A stable draw in [0, 1) for one occasion: the same occasion always draws the same. */
function drawFor(occasion: string): number {
  return createHash('sha256').update(occasion).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * Today's check-in, all in one transaction: the check-in document (its id makes a second
 * one today impossible), the points ledger entries, the milestone reward and the member's
 * streak, balance and cards. Either all of it happens or none. The member is read only
 * inside the transaction (members register on their first `home`; a caller who has not
 * is registered and the check-in tried again).
 */
export const checkin = action(z.object({}).strict(), async (ctx): Promise<CheckinResult> => {
  const openid = requireMember(ctx);
  const [config, lifecycle] = await loadConfigs(ctx, CHECKIN_CONFIG, LIFECYCLE_CONFIG);
  let checkedIn = await checkinOnce(ctx, openid, config, lifecycle);
  if (!checkedIn) {
    await ensureMember(ctx);
    checkedIn = await checkinOnce(ctx, openid, config, lifecycle);
  }
  if (!checkedIn) throw new Error(`member ${openid} missing right after registration`);
  const { result, member } = checkedIn;
  await Promise.all([
    // The check-in document already makes this once a day: no dedupe key needed.
    countEvent(ctx, member, 'checkin', { checkinConfig: config }),
    recordActivity(ctx, member, { counts: { checkin: 1 }, dayCounted: true }),
  ]);
  return result;
});

/** The check-in transaction; null when the caller has no member document yet. */
async function checkinOnce(ctx: ServerContext, openid: string, config: CheckinConfig, lifecycle: LifecycleConfig): Promise<{ result: CheckinResult; member: MemberDoc } | null> {
  const now = ctx.clock.now();
  const today = beijingDay(now);
  try {
    return await inTransaction(ctx.db, async (tx) => {
      const m = await txGet<MemberDoc | undefined>(tx, 'members', openid).catch(() => undefined);
      if (!m) return null;
      const run = runAfterCheckin(m.streak ?? null, today);
      const streak = currentStreak(run, today);
      const points = checkinPoints(config, streak, m.registeredDay, today);
      const checkinDoc: CheckinDoc = { _id: checkinId(openid, today), openid, day: today, kind: 'checkin', at: now, streak, points };
      await tx.collection('checkins').add({ data: checkinDoc });
      const lines = [earning(`checkin:${openid}:${today}`, openid, points, 'checkin', checkinDoc._id, now, today)];

      let bonusPoints = 0;
      let bonusCards = 0;
      let milestone: CheckinResult['milestone'] = null;
      const lifetime = m.lifetimeMilestones ?? [];
      const reached = milestoneOn(config, streak);
      if (reached && !(reached.once === 'member' && lifetime.includes(reached.day))) {
        const reward: MilestoneReward = drawReward(reached, drawFor(`${openid}:${today}:${reached.day}`));
        const rewardDoc = await recordReward(ctx, tx, {
          _id: `checkin:${openid}:${today}:day${reached.day}`,
          openid,
          source: `checkin-streak-${reached.day}`,
          title: reached.title,
          reward,
          at: now,
        });
        if (reward.type === 'points') {
          bonusPoints = reward.points;
          lines.push(earning(`milestone:${openid}:${today}:${reached.day}`, openid, reward.points, 'milestone', rewardDoc._id, now, today));
        }
        if (reward.type === 'makeupCard') bonusCards = reward.cards;
        milestone = { day: reached.day, title: reached.title, reward };
      }
      const board: Omit<StreakBoardDoc, '_id'> = { openid, nickname: m.nickname, streak, end: today };
      await tx.collection('streakBoard').doc(openid).set({ data: board });
      const badge = badgeEarned(config, streak, m.badges ?? []);
      const makeupCards = (m.makeupCards ?? 0) + bonusCards;
      // A check-in is the member's activity for the day: its lifecycle move rides along.
      const day = await touchDayInTx(ctx, tx, m, today, true, now, lifecycle);
      const balance = await postPoints(tx, m, lines, {
        ...day,
        streak: run,
        makeupCards,
        lastSeenAt: now,
        lifetimeMilestones: reached?.once === 'member' && milestone ? [...lifetime, reached.day] : lifetime,
        badges: badge ? [...(m.badges ?? []), badge.badge] : (m.badges ?? []),
      });
      const result = { day: today, streak, points, bonusPoints, balance, makeupCards, newbie: isNewbie(config, m.registeredDay, today), milestone, badge: badge ?? null };
      return { result, member: m };
    });
  } catch (err) {
    if (isDuplicateWrite(err)) throw new AppError('CHECKIN_ALREADY_TODAY', '今天已经签到过了');
    throw err;
  }
}
