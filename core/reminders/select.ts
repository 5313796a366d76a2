import type { RemindersConfig } from '../config/reminders';
import { type BusinessDay, addDays, daysBetween } from '../time/beijing';

export type CampaignKey = Extract<keyof RemindersConfig['campaigns'], string>;
export type Segment = 'active' | 'normal' | 'sleeping' | 'churned';
export type Pass = 'day' | 'evening';

export interface MemberState {
  streak: { start: string; end: string } | null;
  lastSeenDay: BusinessDay;
}

/** A reminder a member is due: the campaign, the occasion that makes it unique, its template. */
export interface Due {
  campaign: CampaignKey;
  /** With member and campaign, the idempotency key: one occasion is reminded once, ever. */
  occasion: string;
  priority: number;
  template: Extract<keyof RemindersConfig['templates'], string>;
  fields: Record<string, string | number>;
}

/** Segments for frequency caps, by days since the member was last seen. */
export function segmentOf(daysAway: number): Segment {
  if (daysAway <= 7) return 'active';
  if (daysAway <= 14) return 'normal';
  if (daysAway <= 30) return 'sleeping';
  return 'churned';
}

/**
 * What the member is due in this pass, highest priority first. Evening: a streak of at
 * least `minStreak` that breaks tonight (last checked yesterday). Day: absence
 * milestones — 7 days (the loss-aversion message), 10 (return reminder), 15 (a 50元
 * coupon and its message); each occasion is keyed by the last-seen day, so coming back
 * and drifting away again is a new occasion. Churned members get nothing here.
 */
export function dueReminders(member: MemberState, today: BusinessDay, pass: Pass, config: RemindersConfig): Due[] {
  const away = daysBetween(member.lastSeenDay, today);
  const due: Due[] = [];
  const c = config.campaigns;
  if (pass === 'evening') {
    const streak = member.streak && member.streak.end === addDays(today, -1) ? daysBetween(member.streak.start, member.streak.end) + 1 : 0;
    if (c['streak-evening'].enabled && streak >= c['streak-evening'].minStreak) {
      due.push({ campaign: 'streak-evening', occasion: today, priority: c['streak-evening'].priority, template: 'streakReminder', fields: { thing1: '连续签到即将中断', number2: streak, thing3: '今晚24点前签到，保住连签奖励' } });
    }
    return due;
  }
  if (segmentOf(away) === 'churned') return due;
  const since = `since-${member.lastSeenDay}`;
  if (away >= 15 && c['coupon-15'].enabled) {
    due.push({ campaign: 'coupon-15', occasion: since, priority: c['coupon-15'].priority, template: 'returnReminder', fields: { thing1: '50元无门槛券已到账', date2: today, thing3: '好久不见，回来看看吧' } });
  } else if (away >= 10 && away < 15 && c['return-10'].enabled) {
    due.push({ campaign: 'return-10', occasion: since, priority: c['return-10'].priority, template: 'returnReminder', fields: { thing1: '会员福利等你来领', date2: today, thing3: '签到任务和积分好礼已更新' } });
  } else if (away >= 7 && away < 10 && c['absent-7'].enabled) {
    due.push({ campaign: 'absent-7', occasion: since, priority: c['absent-7'].priority, template: 'streakReminder', fields: { thing1: '你的签到记录快要清零', number2: away, thing3: '回来签到，重新开始连签' } });
  }
  return due.sort((a, b) => b.priority - a.priority);
}

/**
 * Whether one more message keeps the member within their segment's cap over its rolling
 * window. The sleeping cap counts only sends since the member fell asleep (day 15), so the
 * day-10 reminder does not use up the day-15 coupon message.
 */
export function withinCap(sentDays: readonly BusinessDay[], lastSeenDay: BusinessDay, today: BusinessDay, config: RemindersConfig): boolean {
  const segment = segmentOf(daysBetween(lastSeenDay, today));
  if (segment === 'churned') return false;
  const cap = config.caps[segment];
  const windowStart = addDays(today, -(cap.days - 1));
  const asleepSince = addDays(lastSeenDay, 15);
  const from = segment === 'sleeping' && asleepSince > windowStart ? asleepSince : windowStart;
  return sentDays.filter((d) => d >= from && d <= today).length < cap.count;
}
