import type { RewardView } from '../../typings/api';

/** A reward as members read it. */
export function rewardText(reward: RewardView): string {
  switch (reward.type) {
    case 'points':
      return `${reward.points} 积分`;
    case 'makeupCard':
      return `补签卡 ×${reward.cards}`;
    case 'coupon':
    case 'badge':
      return reward.title;
  }
}

const REASONS: Record<string, string> = {
  checkin: '每日签到',
  milestone: '连签奖励',
  task: '任务奖励',
  grant: '活动赠送',
  redemption: '积分兑换',
  expiry: '积分过期',
  reversal: '退还',
};

export function reasonText(reason: string): string {
  return REASONS[reason] ?? reason;
}

/** `2026-03-04` → `3月4日`. */
export function shortDay(day: string): string {
  const [, m, d] = day.split('-');
  return `${Number(m)}月${Number(d)}日`;
}
