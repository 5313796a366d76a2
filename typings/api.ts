/**
 * The API contract between the mini-program and the cloud functions: for every
 * function, each action's request and response. Imported by both sides.
 */
import type { Role } from './documents';

export interface Profile {
  openid: string;
  nickname: string;
  tier: 'bronze' | 'silver' | 'gold';
  points: number;
  registeredAt: string;
  /** The caller's back-office role, if operators gave them one. */
  role: { role: Role; storeId?: string } | null;
  /** True on the call that registered the member. */
  isNew: boolean;
  streak: number;
  checkedToday: boolean;
  makeupCards: number;
  badges: string[];
}

export type RewardView =
  | { type: 'points'; points: number }
  | { type: 'makeupCard'; cards: number }
  | { type: 'coupon'; couponKey: string; title: string }
  | { type: 'badge'; badge: string; title: string };

export interface CheckinResult {
  day: string;
  /** Streak length after this check-in. */
  streak: number;
  /** Points earned by the check-in itself (newbie doubling included). */
  points: number;
  /** Extra points from a milestone reward. */
  bonusPoints: number;
  balance: number;
  makeupCards: number;
  newbie: boolean;
  milestone: { day: number; title: string; reward: RewardView } | null;
  /** A streak badge earned by this check-in. */
  badge: { badge: string; title: string } | null;
}

export interface CalendarDay {
  day: string;
  kind: 'checkin' | 'makeup';
}

export interface Calendar {
  month: string;
  today: string;
  days: CalendarDay[];
  streak: number;
  checkedToday: boolean;
  makeupCards: number;
  /** Days that can still be made up (missed, within the window). */
  makeupDays: string[];
  milestonesAhead: { day: number; title: string; inDays: number }[];
}

export interface MakeupResult {
  day: string;
  streak: number;
  makeupCards: number;
}

export interface LedgerLine {
  id: string;
  delta: number;
  reason: string;
  at: string;
  expiresOn: string | null;
}

export interface PointsHistory {
  balance: number;
  entries: LedgerLine[];
  hasMore: boolean;
  /** The next points to expire (oldest first), if any. */
  nextExpiry: { points: number; on: string } | null;
}

export interface TaskView {
  id: string;
  title: string;
  description: string;
  kind: 'daily' | 'weekly' | 'once' | 'newbie';
  difficulty: 'easy' | 'medium' | 'hard';
  target: number;
  progress: number;
  claimed: boolean;
  claimable: boolean;
  reward: RewardView;
}

export interface TaskList {
  tasks: TaskView[];
  inviteCode: string;
}

export interface ClaimResult {
  taskId: string;
  reward: RewardView;
  balance: number;
  makeupCards: number;
}

export type TrackedEvent =
  | { event: 'browse_product'; productId: string }
  | { event: 'share' }
  | { event: 'profile_completed' }
  | { event: 'checkin_popup'; stage: 'shown' | 'tapped' };

export interface TrackResult {
  counted: boolean;
  /** Why an event did not count: already counted today, or today's cap reached. */
  reason: 'duplicate' | 'capped' | null;
}

export interface Leaderboard {
  top: { rank: number; nickname: string; streak: number; me: boolean }[];
  /** The caller's rank (ties share a rank); null without a current streak. */
  me: { rank: number | null; streak: number };
}

export interface MemberApi {
  home: { request: { inviteCode?: string }; response: Profile };
  checkin: { request: Record<string, never>; response: CheckinResult };
  calendar: { request: { month?: string }; response: Calendar };
  makeup: { request: { day: string }; response: MakeupResult };
  pointsHistory: { request: { page?: number; pageSize?: number }; response: PointsHistory };
  tasks: { request: Record<string, never>; response: TaskList };
  claimTask: { request: { taskId: string }; response: ClaimResult };
  track: { request: TrackedEvent; response: TrackResult };
  leaderboard: { request: { limit?: number }; response: Leaderboard };
}

export interface GrantResult {
  openid: string;
  balance: number;
  makeupCards: number;
  /** True when this request id had already been granted: nothing new was given. */
  duplicate: boolean;
}

export interface ReconcileResult {
  checked: number;
  mismatches: { openid: string; cached: number; ledger: number }[];
  fixed: number;
  /** Pass it back to check the next page; null when every member was checked. */
  nextCursor: string | null;
}

export interface ConfigIssue {
  collection: string;
  id: string;
  problems: string[];
}

export interface OpsApi {
  putTask: { request: { task: Record<string, unknown> }; response: { id: string } };
  configIssues: { request: Record<string, never>; response: ConfigIssue[] };
  reconcile: { request: { cursor?: string; pageSize?: number; fix?: boolean }; response: ReconcileResult };
  grant: { request: { openid: string; points?: number; makeupCards?: number; reason: string; requestId: string }; response: GrantResult };
}

export interface FunctionApis {
  member: MemberApi;
  ops: OpsApi;
}

export type FunctionName = keyof FunctionApis;
export type ActionName<F extends FunctionName> = keyof FunctionApis[F] & string;
type Entry<F extends FunctionName, A extends ActionName<F>> = FunctionApis[F][A];
export type RequestOf<F extends FunctionName, A extends ActionName<F>> =
  Entry<F, A> extends { request: infer R } ? R : never;
export type ResponseOf<F extends FunctionName, A extends ActionName<F>> =
  Entry<F, A> extends { response: infer R } ? R : never;
