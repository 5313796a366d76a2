/** Shapes of documents stored in the cloud database (see db/collections.json). */
import type { DailyFigures, GrantResult, PurchaseResult, RedeemResult, RewardView } from './api';
import type {
  CouponRule,
  DayRun,
  Delivery,
  GiftPack,
  ItemKind,
  OrderStatus,
  Role,
  Segment,
  Shipping,
  Stage,
  Tag,
  Tier,
} from './vocabulary';

/**
 * `members/<openid>`: one per WeChat user of the brand's mini-program, stored flat (every field is one path for conditional
 * updates and indexes) and typed as the groups below, each written by its own part of the
 * product.
 */
export type MemberDoc = MemberIdentity & MemberWallet & MemberCheckins & MemberLifecycle & MemberScores & MemberSpend & MemberRedemptions;

/** Who the member is; written at registration (tier by the tier rules). */
export interface MemberIdentity {
  _id: string;
  /** Owner field, equal to `_id`; kept explicit for security rules and queries. */
  openid: string;
  unionid: string | null;
  nickname: string;
  tier: Tier;
  registeredAt: Date;
  /** Beijing business day of registration, `YYYY-MM-DD`. */
  registeredDay: string;
  /** Shared in invite links; unique. */
  inviteCode: string;
  /** `MM-DD`, set once by the member (changing it needs an operator, so the birthday pack cannot be farmed). */
  birthday?: string | null;
  /**
   * The Beijing day the birthday was given (by the member, or changed by an operator):
   * its benefits start with the first birthday `config/tiers.birthdayNoticeDays` after.
   * Absent on birthdays given before it was kept: they count as given on `registeredDay`.
   */
  birthdaySetDay?: string | null;
  /** The avatar the member chose (`chooseAvatar`, uploaded to cloud storage: its fileID). */
  avatar?: string | null;
  /** Role changes so far (numbers the audit trail `roleChanges/<openid>:<seq>`). */
  roleChanges?: number;
  /** The member picked their nickname (WeChat no longer tells apps a user's name). */
  nicknameChosen?: boolean;
  /** The year whose birthday pack the member has received. */
  birthdayPackYear?: number;
}

/** What the member holds. `points` is the ledger's cached sum, written only by the posting path. */
export interface MemberWallet {
  points: number;
  makeupCards: number;
  badges: string[];
  /** A return gift pack waiting for the member to come back (`gifts/<id>`). */
  waitingGift?: string | null;
}

/** Money the member spent (fen), cached from `spendLedger` by the posting path, by Beijing month (`YYYY-MM`). */
export interface MemberSpend {
  spend?: { total: number; months: Record<string, number> };
  /** The member's rotating till code (`memberCodes/<serial>`), once they opened it. */
  memberCode?: string;
  /** How many times the member moved between tiers (numbers `tierHistory`). */
  tierMoves?: number;
  /** Set by the nightly review while qualifying spend is below the tier: the warning, and the downgrade it announces. */
  tierReview?: { warnedOn: string; downgradeOn: string; to: Tier } | null;
}

/** Check-in state: the streak and the milestones it has paid. */
export interface MemberCheckins {
  /** Current unbroken run of checked days; null before the first check-in. */
  streak: DayRun | null;
  /**
   * The leaderboard's copy of the streak (indexed `boardStreak`): its length and last day,
   * written with every check-in and make-up, zeroed by the night once it broke.
   */
  boardStreak?: number;
  boardEnd?: string;
  /** Days of `once: member` milestones already rewarded. */
  lifetimeMilestones: number[];
}

/** Lifecycle (see core/lifecycle/stage.ts), moved by each day's first activity; absent on members registered before it. */
export interface MemberLifecycle {
  lastSeenAt: Date;
  stage?: Stage;
  stageSince?: string;
  /** First day with a member action beyond opening the app. */
  firstActionDay?: string | null;
  /** Last Beijing day with any activity, and how many distinct active days so far. */
  lastActiveDay?: string | null;
  activeDays?: number;
  /** Current run of consecutive active days. */
  activeRun?: DayRun | null;
  /** The 3rd-consecutive-active-day coupon was granted. */
  activeStreakRewarded?: boolean;
}

/**
 * What the member redeemed in the mall, written with the points a redemption debits (one
 * update of the member, in the redemption's transaction).
 */
export interface MemberRedemptions {
  /** By item: what counts towards its per-member limits (pay orders for the item count too). */
  limitCounts?: Record<string, RedeemCounts>;
  /**
   * Redemptions by Beijing day in the last 90 days: the activity counters `redeem` and
   * `couponClaim`, kept here instead of in the monthly rollup (`activity`) so that a
   * redemption costs no round trip of its own for them; the nightly pass reads them with
   * the rollups (core/activity/rollup.ts `withRedeemDays`).
   */
  redeemDays?: { day: string; redeem: number; couponClaim: number }[];
}

/** A member's count towards an item's limits: ever, and in the limit's current period (day / week-<monday> / month-<yyyy-mm>). */
export interface RedeemCounts {
  lifetime: number;
  period: { key: string; count: number };
}

/** Written by the nightly retention pass. */
export interface MemberScores {
  churnRisk?: number;
  segment?: Segment;
  tags?: Tag[];
  scoredDay?: string;
}

/** `lifecycle/<openid>:<at ms>`: one stage change, for funnels and reports. */
export interface TransitionDoc {
  _id: string;
  openid: string;
  from: Stage;
  to: Stage;
  reason: string;
  day: string;
  at: Date;
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
export type LedgerReason =
  | 'checkin'
  | 'milestone'
  | 'task'
  | 'grant'
  | 'gift'
  | 'redemption'
  | 'expiry'
  | 'reversal'
  | 'spend'
  | 'commission';

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
  /** The coupon issued for a coupon reward. */
  couponId?: string;
  at: Date;
}

/** `roles/<openid>`: edited by operators in the cloud DB console. */
export interface RoleDoc {
  _id: string;
  role: Role;
  /** Required for staff: the store they verify coupons at. */
  storeId?: string;
  name?: string;
}

/**
 * `coupons/<serial>`: one coupon a member owns. The 8-digit serial is the first half of
 * the till code; `secret` makes the rotating second half and is never sent to a client.
 */
export interface CouponDoc {
  _id: string;
  openid: string;
  templateKey: string;
  title: string;
  rule: CouponRule;
  storeIds: string[];
  minTier: Tier;
  validFrom: Date;
  validTo: Date;
  status: 'unused' | 'used';
  secret: string;
  /** What issued it: `redemption:<key>` or `reward:<reward id>`; unique. */
  source: string;
  issuedAt: Date;
  usedAt: Date | null;
  /** Set while the coupon is locked after repeated wrong till codes (core/mall/codeGuard.ts). */
  codeGuard?: CodeGuard;
  /** A redemption's coupon is its idempotency record: the reply it gave, which a repeated request replays. */
  reply?: RedeemResult;
}

/** The lock on a coupon; the wrong passwords that caused it are counted in `rateLimits`. */
export interface CodeGuard {
  lockedUntil?: Date | null;
}

/**
 * `rateLimits/<key>`: a counter for one fixed window — a staff account's code lookups in a
 * minute (`<staff>:<minute>`), a coupon's wrong passwords in its window
 * (`wrong:<coupon>:<window>`). Counted by atomic increments; the night drops past days'.
 */
export interface RateCounterDoc {
  _id: string;
  count: number;
  at: Date;
}

/** `stores/<storeId>`: a store staff belong to. */
export interface StoreDoc {
  _id: string;
  name: string;
  city?: string;
}

/** `codeFailures/<uuid>`: a till code that failed at a store — the audit trail of guessing. */
export interface CodeFailureDoc {
  _id: string;
  staff: string;
  storeId: string;
  /** The serial the code named, if it was a coupon code (14 digits). */
  couponId: string | null;
  /** The serial a member code (16 digits) named. */
  memberCode?: string | null;
  /** `malformed`: not 14 digits; `unknown`: no such coupon; `wrong`: wrong password; `locked`: coupon locked. */
  reason: 'malformed' | 'unknown' | 'wrong' | 'locked';
  at: Date;
  day: string;
}

/** `alerts/coupon-locked:<couponId>:<ms>`: a coupon locked after repeated wrong codes. */
export type CodeLockAlertDoc = CouponLockAlertDoc | MemberCodeLockAlertDoc;

export interface CouponLockAlertDoc extends CodeLockFields {
  kind: 'couponLocked';
  couponId: string;
}

/** `alerts/member-code-locked:<serial>:<ms>`: a member code locked after repeated wrong codes. */
export interface MemberCodeLockAlertDoc extends CodeLockFields {
  kind: 'memberCodeLocked';
  memberCode: string;
}

interface CodeLockFields {
  _id: string;
  staff: string;
  storeId: string;
  wrongCodes: number;
  lockedUntil: Date;
  day: string;
  at: Date;
}

/** `grants/grant:<requestId>`: an operator's grant, keyed by its request id, with the outcome a repeat replays. */
export interface GrantDoc {
  _id: string;
  openid: string;
  points: number;
  makeupCards: number;
  reason: string;
  operator: string;
  at: Date;
  result: GrantResult;
}

/** `orders/<redemption id>`: a physical gift to fulfil, or a delivered virtual good. */
export interface OrderDoc {
  _id: string;
  openid: string;
  itemId: string;
  title: string;
  kind: 'physical' | 'virtual';
  /** Points paid (the points part of points + cash). */
  price: number;
  /** Money paid with WeChat Pay (fen), for goods bought with it. */
  cash?: number;
  status: OrderStatus;
  /** Virtual goods: the code delivered (e.g. a parking voucher), and until when it is valid. */
  voucherCode: string | null;
  validTo: Date | null;
  at: Date;
  history: { status: OrderStatus; at: Date; by: string }[];
  /** Goods: sent to the member's address or collected at a store (absent on orders from before: collected). */
  delivery?: Delivery;
  /** Sent goods: the carrier and tracking number, from the operator who shipped them. */
  shipping?: Shipping;
  /** A redemption's order is its idempotency record: the reply it gave, which a repeated request replays. */
  reply?: RedeemResult;
}

/**
 * A unit of a mall item's stock taken by a redemption (`mallItems/<id>.holds`), pushed by
 * the conditional decrement that takes it: a doubled request sees its twin holding the
 * unit, and the timer finds units whose redemption died before committing.
 */
export interface StockHold {
  /** The redemption's key, `<openid>:<requestId>`. */
  key: string;
  at: Date;
}

/** `writeOffs/<coupon serial>`: the audit entry of a coupon used at a store; at most one per coupon. */
export interface WriteOffDoc {
  _id: string;
  couponId: string;
  openid: string;
  title: string;
  staff: string;
  storeId: string;
  at: Date;
  day: string;
  /** Order amount entered by staff and the discount given, in fen. */
  orderAmount: number | null;
  discount: number;
}

/** `subscriptions/<openid>`: one-time subscribe-message credits per template id, and recent sends (for caps). */
export interface SubscriptionDoc {
  _id: string;
  credits: Record<string, number>;
  /** Beijing days with a send, the last 60 days. */
  sentDays: string[];
}

/** `reminders/<openid>:<campaign>:<occasion>`: one reminder occasion, attempted at most once. */
export interface ReminderDoc {
  _id: string;
  openid: string;
  campaign: string;
  occasion: string;
  day: string;
  at: Date;
  /** `holdout`: the member is in the campaign experiment's holdout and gets nothing. */
  status: 'scheduled' | 'sending' | 'sent' | 'failed' | 'skipped' | 'holdout';
  /** Why it was not sent: no credit, capped, quiet hours, a platform error code. */
  reason: string | null;
  /** The campaign experiment's id and the member's arm (variant key or `holdout`), if one runs. */
  experiment: string | null;
  arm: string | null;
  /** When the member opened the mini-program from this message. */
  openedAt: Date | null;
  /** A send-hour variant's message: the Beijing hour it waits for, and its fields. */
  sendHour?: number;
  fields?: Record<string, string | number>;
}

/**
 * `gifts/<openid>:<campaign>:<occasion>`: a return gift pack reserved by the reminder pass
 * (same id as its reminder) and handed over on the member's next visit before `expiresDay`.
 */
export interface GiftDoc {
  _id: string;
  openid: string;
  campaign: string;
  pack: GiftPack;
  /** A product from the member's own browsing, shown with the gift. */
  recommendation: { itemId: string; title: string } | null;
  status: 'waiting' | 'granted' | 'expired';
  day: string;
  expiresDay: string;
  grantedAt: Date | null;
}

/**
 * `spendLedger/<idempotency key>`: money (fen) a member paid (+) or got back (−), against
 * the account that took it (`store:<id>`). Append-only; `members.spend` caches it.
 */
export interface SpendLineDoc {
  _id: string;
  openid: string;
  amount: number;
  counterparty: `store:${string}` | 'wechat-pay';
  reason: 'purchase' | 'refund';
  sourceRef: string;
  at: Date;
  day: string;
}

/** `purchases/<staff>:<requestId>`: a purchase staff recorded at the till (the request id makes a retry replay it). */
export interface PurchaseDoc {
  _id: string;
  openid: string;
  staff: string;
  storeId: string;
  amount: number;
  at: Date;
  day: string;
  result: PurchaseResult;
  /** Set once the purchase is refunded (`refunds/refund:<purchase id>` has the details). */
  refundedAt?: Date | null;
}

/** `refunds/refund:<purchase id>`: who reversed a purchase, why, and what it took back. */
export interface RefundDoc {
  _id: string;
  purchaseId: string;
  openid: string;
  storeId: string;
  amount: number;
  pointsTakenBack: number;
  /** Points the purchase earned that the member had already spent (kept by them). */
  pointsForgiven: number;
  by: string;
  role: 'staff' | 'operator';
  reason: string;
  at: Date;
  day: string;
}

/** `tierHistory/<openid>:<seq>`: one move between tiers and why, numbered per member in commit order. */
export interface TierHistoryDoc {
  _id: string;
  openid: string;
  seq: number;
  from: Tier;
  to: Tier;
  reason: 'spend' | 'downgrade';
  /** Qualifying spend (fen) when it moved. */
  qualifyingSpend: number;
  sourceRef: string;
  at: Date;
  day: string;
}

/** `memberCodes/<serial>`: a member's till code — 10-digit serial, server-side secret, the passwords already used. */
export interface MemberCodeDoc {
  _id: string;
  openid: string;
  secret: string;
  /** One-time passwords already used for a purchase (the latest few): a code counts once. */
  usedPasswords: string[];
  codeGuard?: CodeGuard;
}

/** `profileChanges/<id>`: an operator's correction of a member's profile (the birthday), with why. */
export interface ProfileChangeDoc {
  _id: string;
  openid: string;
  field: 'birthday';
  from: string | null;
  to: string;
  by: string;
  reason: string;
  at: Date;
}

/** Where a WeChat Pay order is (see core/orders/order.ts for the moves). */
export type PayOrderState = 'created' | 'paid' | 'fulfilled' | 'expired' | 'refunding' | 'refunded';

/**
 * `payOrders/<out_trade_no>`: a mall item bought with money (and optionally points) through
 * WeChat Pay. Amounts in fen; `points` were taken when the order was made and go back if it
 * expires or is refunded.
 */
export interface PayOrderDoc {
  _id: string;
  openid: string;
  requestId: string;
  itemId: string;
  title: string;
  kind: ItemKind;
  listPrice: number;
  /** Charged: the list price at the member's tier. */
  amount: number;
  points: number;
  tier: Tier;
  state: PayOrderState;
  /** A unit of the item's stock is held for this order (set once taken; given back once). */
  stockHeld: boolean;
  createdAt: Date;
  expiresAt: Date;
  paidAt: Date | null;
  transactionId: string | null;
  /** What the payment delivered: the coupon issued or the fulfilment order. */
  couponId: string | null;
  orderId: string | null;
  /** Points the payment earned (taken back by a refund, as far as the balance allows). */
  earnedPoints: number;
  refund: {
    reason: string;
    by: string;
    requestedAt: Date;
    attempts: number;
    nextAttemptAt: Date | null;
    lastError: string | null;
  } | null;
  history: { state: PayOrderState; at: Date; note: string }[];
  /** A seat in a group (拼团): paid seats are fulfilled together when the group fills. */
  group?: { dealId: string; groupId: string; leader: boolean };
  /** A bargain's purchase (砍价): at the price the bargain reached. */
  bargain?: { dealId: string; bargainId: string };
  /** Bought through a member's share (分销): their commission, fixed when the order was made. */
  referral?: { sharer: string; points: number; refundWindowDays: number };
  /** Goods: where they go (carried to the fulfilment order). */
  delivery?: Delivery;
}

/**
 * `spreads/<itemId>:<viewer>`: who first brought a member to an item with a share (first
 * touch; self-shares and loops are not recorded), how often they opened it, and whether
 * they bought — the spread path operators read.
 */
export interface SpreadDoc {
  _id: string;
  itemId: string;
  viewer: string;
  sharer: string;
  at: Date;
  opens: number;
  conversions: number;
}

/**
 * `commissions/<payOrderId>`: the sharer's commission for a friend's paid order, pending
 * until the refund window has passed (then paid in points through the posting path), or
 * cancelled by a refund before that.
 */
export interface CommissionDoc {
  _id: string;
  sharer: string;
  buyer: string;
  itemId: string;
  amount: number;
  points: number;
  /** `reversed`: paid, then its order was refunded (see `reversal`). */
  state: 'pending' | 'paid' | 'cancelled' | 'reversed';
  dueAt: Date;
  at: Date;
  settledAt: Date | null;
  /** A paid commission taken back after its order's refund: how much came back, how much was forgiven. */
  reversal?: { takenBack: number; forgiven: number; at: Date };
}

/**
 * `bargains/<id>` (id: `B` + a hash of deal and owner — one bargain per member and deal):
 * the price friends have cut so far. The deal's bounds are copied in when it starts, so an
 * operator's later edit does not change a running bargain. Expired is a matter of time
 * (`expiresAt`), not a stored state.
 */
export interface BargainDoc {
  _id: string;
  dealId: string;
  itemId: string;
  title: string;
  /** The item's cover when the bargain started (fileID): the bargain's page shows it without reading the item. */
  image?: string;
  owner: string;
  ownerNickname: string;
  /** The owner's invite code: a new member brought in by a help counts as their invite. */
  ownerInviteCode: string;
  listPrice: number;
  price: number;
  floorPrice: number;
  minCut: number;
  maxCut: number;
  helps: number;
  startedAt: Date;
  expiresAt: Date;
  state: 'open' | 'bought';
  /** The owner's pay order waiting for payment, if any (one at a time). */
  orderId: string | null;
}

/** `bargainHelps/<bargain>:<openid>`: one help per member and bargain (the unique id), and its cut. */
export interface BargainHelpDoc {
  _id: string;
  bargainId: string;
  openid: string;
  nickname: string;
  cut: number;
  at: Date;
}

/** `pending` until the leader has paid (only then can friends join). */
export type GroupState = 'pending' | 'open' | 'succeeded' | 'failed';

/** A place in a group, held from the join and released if its order expires unpaid. */
export interface GroupSeat {
  openid: string;
  nickname: string;
  /** The member's avatar (fileID) when they joined, shown to the others in the group. */
  avatar?: string;
  payOrderId: string;
  paid: boolean;
  joinedAt: Date;
}

/**
 * `groups/<id>`: one group of a deal (id: `G` + the leader's pay order number). A seat is
 * taken by one conditional update (open, not full, before the deadline, not already in it),
 * so a group never overfills.
 */
export interface GroupDoc {
  _id: string;
  dealId: string;
  itemId: string;
  title: string;
  leader: string;
  size: number;
  /** Seats held, paid or waiting for payment, leader first; `taken` is their count. */
  seats: GroupSeat[];
  taken: number;
  state: GroupState;
  openedAt: Date;
  deadline: Date;
  closedAt: Date | null;
  /** Every consequence of the outcome was asked for (the failure sweep's resume point). */
  settled: boolean;
}

/**
 * `dealSlots/<deal>:<openid>:<n>` (n ≤ the deal's per-member limit): a member's place in a
 * deal's groups. The unique id enforces the limit under racing joins; a released seat or a
 * failed group gives the slot back.
 */
export interface DealSlotDoc {
  _id: string;
  dealId: string;
  openid: string;
  payOrderId: string;
  at: Date;
}

/**
 * `configHistory/<collection>:<id>:<seq>`: one saved version of an operator-edited document
 * (`config/<key>` rule sets included) — what it was, who saved it, when and why (`console`:
 * an edit found in the cloud console, recorded at the next save).
 */
export interface ConfigVersionDoc {
  _id: string;
  collection: string;
  docId: string;
  seq: number;
  doc: Record<string, unknown>;
  hash: string;
  by: string;
  at: Date;
  note: string;
}

/** `roleChanges/<openid>:<seq>`: a staff role given, moved or taken away — the audit trail, numbered per member. */
export interface RoleChangeDoc {
  _id: string;
  openid: string;
  seq: number;
  from: { role: Role; storeId: string | null } | null;
  to: { role: Role; storeId: string | null } | null;
  by: string;
  at: Date;
  reason: string;
}

/** `dailyStats/<day>`: a day's figures for the operations center, kept by the timer (`final` once the day is over). */
export interface DailyStatsDoc {
  _id: string;
  day: string;
  figures: DailyFigures;
  final: boolean;
  at: Date;
}

/** `offerGrants/<offer>:<openid>`: a member of a targeted offer's audience — given it (`offer`) or held out. */
export interface OfferGrantDoc {
  _id: string;
  offerId: string;
  openid: string;
  arm: string;
  day: string;
  at: Date;
}
