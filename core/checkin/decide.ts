import type { CheckinResult, MakeupResult } from '../../typings/api';
import type { CheckinDoc, LedgerEntryDoc, MemberDoc, RewardDoc } from '../../typings/documents';
import type { CheckinConfig } from '../config/checkin';
import { drawFor } from '../math/random';
import { earning } from '../points/ledger';
import { type BusinessDay, addDays } from '../time/beijing';
import { badgeEarned, checkinPoints, drawReward, isNewbie, milestoneOn, milestonesAhead, streakWeek } from './reward';
import { currentStreak, extendRun, makeupJoin, runAfterCheckin } from './streak';

export const checkinId = (openid: string, day: BusinessDay) => `${openid}_${day.replace(/-/g, '')}`;

/** What a check-in writes; the server adds only the lifecycle move and the balance. */
export interface CheckinDecision {
  checkin: CheckinDoc;
  /** Ledger lines to post: the check-in's points, and a milestone's if it gives points. */
  lines: LedgerEntryDoc[];
  /** A milestone reward to record (a coupon is issued when it is recorded). */
  reward: Omit<RewardDoc, 'status' | 'couponId'> | null;
  /** Member fields besides the balance. */
  patch: Pick<MemberDoc, 'streak' | 'makeupCards' | 'lifetimeMilestones' | 'badges' | 'lastSeenAt'>;
  /** The reply without the balance (the posting returns it). */
  result: Omit<CheckinResult, 'balance'>;
}

/**
 * Today's check-in for a member as loaded: the streak run, the points (streak day,
 * newbie or birthday multiplier — `birthdayMultiplier` is set on the member's birthday), the milestone reached (a member-once milestone only once; a mystery
 * gift drawn from a hash of the occasion, so a retry draws the same), the streak badge.
 * Pure: the server loads, calls this, writes.
 */
export function decideCheckin(
  member: MemberDoc,
  config: CheckinConfig,
  today: BusinessDay,
  now: Date,
  birthdayMultiplier: number | null = null,
): CheckinDecision {
  const { openid } = member;
  const run = runAfterCheckin(member.streak ?? null, today);
  const streak = currentStreak(run, today);
  const points = checkinPoints(config, streak, member.registeredDay, today, birthdayMultiplier);
  const checkin: CheckinDoc = { _id: checkinId(openid, today), openid, day: today, kind: 'checkin', at: now, streak, points };
  const lines = [earning(`checkin:${openid}:${today}`, openid, points, 'checkin', checkin._id, now, today)];
  const lifetime = member.lifetimeMilestones ?? [];
  const reached = milestoneOn(config, streak);
  const due = reached && !(reached.once === 'member' && lifetime.includes(reached.day)) ? reached : undefined;
  let reward: CheckinDecision['reward'] = null;
  let bonusPoints = 0;
  let bonusCards = 0;
  if (due) {
    const drawn = drawReward(due, drawFor(`${openid}:${today}:${due.day}`));
    reward = {
      _id: `checkin:${openid}:${today}:day${due.day}`,
      openid,
      source: `checkin-streak-${due.day}`,
      title: due.title,
      reward: drawn,
      at: now,
    };
    if (drawn.type === 'points') {
      bonusPoints = drawn.points;
      lines.push(earning(`milestone:${openid}:${today}:${due.day}`, openid, drawn.points, 'milestone', reward._id, now, today));
    }
    if (drawn.type === 'makeupCard') bonusCards = drawn.cards;
  }
  const badge = badgeEarned(config, streak, member.badges ?? []) ?? null;
  const makeupCards = (member.makeupCards ?? 0) + bonusCards;
  return {
    checkin,
    lines,
    reward,
    patch: {
      streak: run,
      makeupCards,
      lastSeenAt: now,
      lifetimeMilestones: due?.once === 'member' ? [...lifetime, due.day] : lifetime,
      badges: badge ? [...(member.badges ?? []), badge.badge] : (member.badges ?? []),
    },
    result: {
      day: today,
      streak,
      points,
      bonusPoints,
      makeupCards,
      newbie: isNewbie(config, member.registeredDay, today),
      birthday: birthdayMultiplier !== null,
      milestone: due && reward ? { day: due.day, title: due.title, reward: reward.reward } : null,
      badge,
      week: streakWeek(config, member.registeredDay, today, streak, true),
      tomorrowPoints: checkinPoints(config, streak + 1, member.registeredDay, addDays(today, 1)),
      nextMilestone: milestonesAhead(config, streak)[0] ?? null,
    },
  };
}

/** What filling a missed day writes, or why it cannot. */
export type MakeupDecision =
  | { rejection: 'MAKEUP_NO_CARDS' | 'MAKEUP_DAY_INVALID' }
  | { rejection: null; checkin: CheckinDoc; patch: Pick<MemberDoc, 'makeupCards' | 'streak'>; result: MakeupResult };

/**
 * Filling the missed `day` with a card (never a day before the member registered, which
 * was not missed): the make-up day (no points), one card spent, the
 * streak run joined with the checked days next to it. `checked` holds the checked days
 * around the run the day joins (`makeupJoin`), as read inside the caller's transaction.
 */
export function decideMakeup(
  member: MemberDoc,
  day: BusinessDay,
  today: BusinessDay,
  now: Date,
  checked: ReadonlySet<BusinessDay>,
): MakeupDecision {
  if (day < member.registeredDay) return { rejection: 'MAKEUP_DAY_INVALID' };
  if ((member.makeupCards ?? 0) < 1) return { rejection: 'MAKEUP_NO_CARDS' };
  const joined = makeupJoin(member.streak ?? null, day);
  const run = joined ? extendRun(joined, checked) : (member.streak ?? null);
  const makeupCards = member.makeupCards - 1;
  return {
    rejection: null,
    checkin: { _id: checkinId(member.openid, day), openid: member.openid, day, kind: 'makeup', at: now, streak: 0, points: 0 },
    patch: { makeupCards, streak: run },
    result: { day, streak: currentStreak(run, today), makeupCards },
  };
}
