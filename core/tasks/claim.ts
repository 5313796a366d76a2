import type { LedgerEntryDoc, MemberDoc, RewardDoc, TaskProgressDoc } from '../../typings/documents';
import type { TaskDefinition } from './definition';
import { earning } from '../points/ledger';
import type { BusinessDay } from '../time/beijing';

/** What claiming a task's reward writes, or why it cannot. */
export type ClaimDecision =
  | { rejection: 'TASK_NOT_COMPLETE' | 'TASK_ALREADY_CLAIMED' }
  | {
      rejection: null;
      lines: LedgerEntryDoc[];
      patch: Partial<Pick<MemberDoc, 'makeupCards' | 'badges'>>;
      reward: Omit<RewardDoc, 'status' | 'couponId'> | null;
      makeupCards: number;
    };

/**
 * Claiming `task`'s reward for the period of `progress` (`progressId` keys both the
 * progress and every line, so a second claim cannot pay): points are posted (multiplied
 * on the member's birthday), cards and
 * badges land on the member, a coupon is a reward to record.
 */
export function decideClaim(
  member: MemberDoc,
  task: TaskDefinition,
  progressId: string,
  progress: TaskProgressDoc | undefined,
  today: BusinessDay,
  now: Date,
  birthdayMultiplier: number | null = null,
): ClaimDecision {
  if (!progress || progress.count < task.target) return { rejection: 'TASK_NOT_COMPLETE' };
  if (progress.claimed) return { rejection: 'TASK_ALREADY_CLAIMED' };
  const { openid } = member;
  const reward = task.reward;
  const makeupCards = (member.makeupCards ?? 0) + (reward.type === 'makeupCard' ? reward.cards : 0);
  return {
    rejection: null,
    lines:
      reward.type === 'points'
        ? [earning(`task:${progressId}`, openid, Math.floor(reward.points * (birthdayMultiplier ?? 1)), 'task', progressId, now, today)]
        : [],
    patch:
      reward.type === 'makeupCard'
        ? { makeupCards }
        : reward.type === 'badge'
          ? { badges: [...new Set([...(member.badges ?? []), reward.badge])] }
          : {},
    reward:
      reward.type === 'coupon'
        ? { _id: `task:${progressId}`, openid, source: `task-${task._id}`, title: reward.title, reward, at: now }
        : null,
    makeupCards,
  };
}
