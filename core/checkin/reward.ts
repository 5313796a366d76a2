import type { CheckinConfig, Milestone, MilestoneReward } from '../config/checkin';
import { earningMultiplier } from '../member/birthday';
import type { StreakDaySlot } from '../../typings/api';
import { type BusinessDay, addDays, daysBetween } from '../time/beijing';

/**
 * Points for day `streakDay` of a streak: base + step × (n − 1), capped, multiplied for
 * newbies or on the member's birthday (`birthdayMultiplier`; the larger one applies).
 */
export function checkinPoints(
  config: CheckinConfig,
  streakDay: number,
  registeredDay: BusinessDay,
  today: BusinessDay,
  birthdayMultiplier: number | null = null,
): number {
  const points = Math.min(config.capPoints, config.basePoints + config.stepPoints * (streakDay - 1));
  const newbie = isNewbie(config, registeredDay, today) ? config.newbieMultiplier : null;
  return Math.floor(points * earningMultiplier({ newbie, birthday: birthdayMultiplier }));
}

export function isNewbie(config: CheckinConfig, registeredDay: BusinessDay, today: BusinessDay): boolean {
  return daysBetween(registeredDay, today) < config.newbieDays;
}

/** The milestone reached on this streak day, if any. */
export function milestoneOn(config: CheckinConfig, streakDay: number): Milestone | undefined {
  return config.milestones.find((m) => m.day === streakDay);
}

/**
 * The reward a milestone gives, drawn by weight with `draw` in [0, 1). The server derives
 * `draw` from a hash of member and occasion, so the same occasion always draws the same.
 */
export function drawReward(milestone: Milestone, draw: number): MilestoneReward {
  const total = milestone.pool.reduce((sum, p) => sum + p.weight, 0);
  let point = Math.min(Math.max(draw, 0), 0.999999) * total;
  for (const entry of milestone.pool) {
    if (point < entry.weight) return entry.reward;
    point -= entry.weight;
  }
  return (milestone.pool[milestone.pool.length - 1] as { reward: MilestoneReward }).reward;
}

/** The milestones ahead of a streak, for the calendar preview. */
export function milestonesAhead(config: CheckinConfig, streak: number): { day: number; title: string; inDays: number }[] {
  return config.milestones
    .filter((m) => m.day > streak)
    .sort((a, b) => a.day - b.day)
    .map((m) => ({ day: m.day, title: m.title, inDays: m.day - streak }));
}

/** The badge a streak of this length earns, unless the member has it already. */
export function badgeEarned(config: CheckinConfig, streak: number, owned: readonly string[]): { badge: string; title: string } | undefined {
  const badge = config.badges.find((b) => b.day === streak);
  return badge && !owned.includes(badge.badge) ? { badge: badge.badge, title: badge.title } : undefined;
}

/**
 * The 7-day strip on home: the week of streak days that holds today's (days 1–7, then
 * 8–14, …), each with the points checking in that day earns (the newbie doubling on the
 * date it falls on; a birthday's is a surprise of the day) and the milestone it unlocks.
 * `streak` is today's streak as the member sees it (`currentStreak`).
 */
export function streakWeek(
  config: CheckinConfig,
  registeredDay: BusinessDay,
  today: BusinessDay,
  streak: number,
  checkedToday: boolean,
): StreakDaySlot[] {
  const todays = checkedToday ? streak : streak + 1;
  const first = Math.floor((todays - 1) / 7) * 7 + 1;
  return Array.from({ length: 7 }, (_, i) => {
    const streakDay = first + i;
    const done = streakDay < todays || (streakDay === todays && checkedToday);
    return {
      streakDay,
      points: checkinPoints(config, streakDay, registeredDay, addDays(today, streakDay - todays)),
      milestone: milestoneOn(config, streakDay)?.title ?? null,
      state: done ? 'done' : streakDay === todays ? 'today' : 'ahead',
    };
  });
}
