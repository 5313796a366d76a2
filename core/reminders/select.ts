import { ABSENCE_CAMPAIGNS, type RemindersConfig } from '../config/reminders';
import { type BusinessDay, addDays, daysBetween } from '../time/beijing';

export type CampaignKey = Extract<keyof RemindersConfig['campaigns'], string>;
export type Segment = 'active' | 'normal' | 'sleeping' | 'churned';
export type Pass = 'day' | 'evening';

export interface MemberState {
  streak: { start: string; end: string } | null;
  lastSeenDay: BusinessDay;
  /** From the nightly pass; the return gift pack needs `potential_churn`. */
  tags?: readonly string[] | undefined;
  /** Today is the member's birthday and its benefits apply (`isBenefitBirthday`): the greeting announces them. */
  birthdayToday?: boolean | undefined;
  /** The nightly tier review's warning, if one stands. */
  tierReview?: { warnedOn: BusinessDay; downgradeOn: BusinessDay } | null | undefined;
}

/** A reminder a member is due: the campaign, the occasion that makes it unique, its template. */
export interface Due {
  campaign: CampaignKey;
  /** With member and campaign, the idempotency key: one occasion is reminded once, ever. */
  occasion: string;
  template: Extract<keyof RemindersConfig['templates'], string>;
  fields: Record<string, string | number>;
}

/** Segments for frequency caps, by days since the member was last seen. */
export function segmentOf(daysAway: number, segments: RemindersConfig['segments']): Segment {
  if (daysAway <= segments.activeDays) return 'active';
  if (daysAway <= segments.normalDays) return 'normal';
  if (daysAway <= segments.sleepingDays) return 'sleeping';
  return 'churned';
}

const ABSENCE_MESSAGES: Record<(typeof ABSENCE_CAMPAIGNS)[number], (away: number, today: BusinessDay) => Pick<Due, 'template' | 'fields'>> =
  {
    'absent-7': (away) => ({
      template: 'streakReminder',
      fields: { thing1: '你的签到记录快要清零', number2: away, thing3: '回来签到，重新开始连签' },
    }),
    'return-10': (_, today) => ({
      template: 'returnReminder',
      fields: { thing1: '会员福利等你来领', date2: today, thing3: '签到任务和积分好礼已更新' },
    }),
    'coupon-15': (_, today) => ({
      template: 'returnReminder',
      fields: { thing1: '50元无门槛券已到账', date2: today, thing3: '好久不见，回来看看吧' },
    }),
    'return-gift': (_, today) => ({
      template: 'returnReminder',
      fields: { thing1: '回归礼包已为你备好', date2: today, thing3: '打开小程序即可领取' },
    }),
  };

/**
 * What the member is due in this pass, if anything (a pass has one kind of occasion, so at
 * most one reminder). Evening: a streak of at
 * least `minStreak` that breaks tonight (last checked yesterday). Day: the latest absence
 * milestone reached — by default 7 days (the loss-aversion message), 10 (return reminder),
 * 15 (a 50元 coupon and its message), 16 (the return gift pack, only for members tagged
 * potential churn); each occasion is keyed by the last-seen day, so coming back and
 * drifting away again is a new occasion. Churned members get nothing here.
 */
export function dueReminder(member: MemberState, today: BusinessDay, pass: Pass, config: RemindersConfig): Due | null {
  const c = config.campaigns;
  if (pass === 'evening') {
    const streak = member.streak && member.streak.end === addDays(today, -1) ? daysBetween(member.streak.start, member.streak.end) + 1 : 0;
    if (!c['streak-evening'].enabled || streak < c['streak-evening'].minStreak) return null;
    return {
      campaign: 'streak-evening',
      occasion: today,
      template: 'streakReminder',
      fields: { thing1: '连续签到即将中断', number2: streak, thing3: '今晚24点前签到，保住连签奖励' },
    };
  }
  const away = daysBetween(member.lastSeenDay, today);
  if (segmentOf(away, config.segments) === 'churned') return null;
  // A downgrade warning and a birthday are news on their day: they go first (the warning before the greeting).
  if (c['tier-downgrade'].enabled && member.tierReview?.warnedOn === today)
    return {
      campaign: 'tier-downgrade',
      occasion: `warned-${today}`,
      template: 'returnReminder',
      fields: { thing1: '会员等级即将调整', date2: member.tierReview.downgradeOn, thing3: '期间消费达标即可保留当前等级' },
    };
  if (c.birthday.enabled && member.birthdayToday)
    return {
      campaign: 'birthday',
      occasion: `birthday-${today.slice(0, 4)}`,
      template: 'returnReminder',
      fields: { thing1: '生日快乐！生日礼券已到账', date2: today, thing3: '今天签到和消费积分翻倍' },
    };
  // The latest absence milestone reached is the occasion; earlier ones had their day.
  const eligible = (k: (typeof ABSENCE_CAMPAIGNS)[number]) =>
    c[k].enabled && away >= c[k].afterDays && (k !== 'return-gift' || (member.tags ?? []).includes('potential_churn'));
  const reached = ABSENCE_CAMPAIGNS.filter(eligible).sort((a, b) => c[b].afterDays - c[a].afterDays)[0];
  return reached ? { campaign: reached, occasion: `since-${member.lastSeenDay}`, ...ABSENCE_MESSAGES[reached](away, today) } : null;
}

/**
 * Whether one more message keeps the member within their segment's cap over its rolling
 * window. The sleeping cap counts only sends since the member fell asleep, so the day-10
 * reminder does not use up the day-15 coupon message.
 */
export function withinCap(
  sentDays: readonly BusinessDay[],
  lastSeenDay: BusinessDay,
  today: BusinessDay,
  config: RemindersConfig,
): boolean {
  const segment = segmentOf(daysBetween(lastSeenDay, today), config.segments);
  if (segment === 'churned') return false;
  const cap = config.caps[segment];
  const windowStart = addDays(today, -(cap.days - 1));
  const asleepSince = addDays(lastSeenDay, config.segments.normalDays + 1);
  const from = segment === 'sleeping' && asleepSince > windowStart ? asleepSince : windowStart;
  return sentDays.filter((d) => d >= from && d <= today).length < cap.count;
}
