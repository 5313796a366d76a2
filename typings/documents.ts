/** Shapes of documents stored in the cloud database (see db/collections.json). */
import type { RewardView } from './api';

/** `members/<openid>`: one per WeChat user of the brand's mini-program. */
export interface MemberDoc {
  _id: string;
  /** Owner field, equal to `_id`; kept explicit for security rules and queries. */
  openid: string;
  unionid: string | null;
  nickname: string;
  tier: 'bronze' | 'silver' | 'gold';
  points: number;
  registeredAt: Date;
  /** Beijing business day of registration, `YYYY-MM-DD`. */
  registeredDay: string;
  lastSeenAt: Date;
  /** Current unbroken run of checked days; null before the first check-in. */
  streak: { start: string; end: string } | null;
  makeupCards: number;
  /** Days of `once: member` milestones already rewarded. */
  lifetimeMilestones: number[];
  /** Shared in invite links; unique. */
  inviteCode: string;
  badges: string[];
}

/** `taskProgress/<openid>:<taskId>:<period>`: progress towards one task in one period. */
export interface TaskProgressDoc {
  _id: string;
  openid: string;
  taskId: string;
  period: string;
  count: number;
  claimed: boolean;
}

/** `invites/<invited openid>`: who brought a new member (at most one inviter each). */
export interface InviteDoc {
  _id: string;
  inviter: string;
  at: Date;
}

/** `checkins/<openid>_<yyyymmdd>`: the id makes a second check-in that day impossible. */
export interface CheckinDoc {
  _id: string;
  openid: string;
  day: string;
  kind: 'checkin' | 'makeup';
  at: Date;
  /** Streak length reached by this check-in (0 for make-ups). */
  streak: number;
  points: number;
}

export type SystemAccount = 'system:issuance' | 'system:redemption' | 'system:expiry';
export type LedgerReason = 'checkin' | 'milestone' | 'task' | 'grant' | 'redemption' | 'expiry' | 'reversal';

/**
 * `ledger/<idempotency key>`: one points movement between a member and a system account.
 * Append-only; `delta` is the member side (+ earn, − spend), the system account takes −delta.
 */
export interface LedgerEntryDoc {
  _id: string;
  openid: string;
  delta: number;
  counterparty: SystemAccount;
  reason: LedgerReason;
  sourceRef: string;
  at: Date;
  day: string;
  /** Last day earned points are valid (earnings only). */
  expiresOn: string | null;
}

/** `rewards/<key>`: a reward granted to a member (coupons are issued by the mall). */
export interface RewardDoc {
  _id: string;
  openid: string;
  source: string;
  title: string;
  reward: RewardView;
  status: 'granted' | 'pending';
  at: Date;
}

export type Role = 'operator' | 'staff';

/** `roles/<openid>`: edited by operators in the cloud DB console. */
export interface RoleDoc {
  _id: string;
  role: Role;
  /** Required for staff: the store they verify coupons at. */
  storeId?: string;
  name?: string;
}

/**
 * `streakBoard/<openid>`: a member's current streak for the leaderboard, written with
 * every check-in and make-up; the nightly job zeroes streaks that broke.
 */
export interface StreakBoardDoc {
  _id: string;
  openid: string;
  nickname: string;
  streak: number;
  /** Last checked day of the streak. */
  end: string;
}
