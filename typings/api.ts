/**
 * The API contract between the mini-program and the cloud functions: for every
 * function, each action's request and response. Imported by both sides.
 */
import type { ErrorCode } from './errors';
import type { Address, CouponRule, Delivery, ItemKind, OrderStatus, Reward, Role, Shipping, Tier } from './vocabulary';

export type { Address, CouponRule, Delivery, ItemKind, OrderStatus, Role, Shipping, Tier } from './vocabulary';

export interface Profile {
  openid: string;
  nickname: string;
  tier: Tier;
  points: number;
  registeredAt: string;
  /** The caller's back-office role, if operators gave them one (staff: their store). */
  role: { role: Role; storeId?: string; storeName?: string } | null;
  /** True on the call that registered the member. */
  isNew: boolean;
  streak: number;
  checkedToday: boolean;
  makeupCards: number;
  badges: string[];
  /** Subscribe-message templates to offer in `wx.requestSubscribeMessage` (≤ 3). */
  reminderTemplates: string[];
  /** A return gift pack handed over on this visit. */
  welcomeBack: WelcomeBack | null;
  /** The tier's name and the way up: spend (fen) still to go for the next tier. */
  tierProgress: { name: string; next: { name: string; toGo: number } | null };
  /** `MM-DD` once the member gave it (then fixed), and the avatar's fileID. */
  birthday: string | null;
  /** Birthday benefits are for a birthday given at least this many days before (`config/tiers.birthdayNoticeDays`). */
  birthdayNoticeDays: number;
  /** The first birthday (Beijing day) whose benefits the member gets, while it is still ahead; null once they apply, or with no birthday. */
  birthdayBenefitsFrom: string | null;
  avatar: string | null;
  /** The member picked a nickname and gave a birthday (the newbie task 完善个人资料). */
  profileComplete: boolean;
  /** A standing downgrade warning: the tier it would fall to, when, and the spend (fen) that keeps the tier. */
  tierNotice: { toName: string; downgradeOn: string; toKeep: number } | null;
  /** The 7-day check-in strip: what each day of this week of the streak brings. */
  week: StreakDaySlot[];
}

/** What a returning member received, and a product from their own browsing. */
export interface WelcomeBack {
  points: number;
  makeupCards: number;
  coupon: string | null;
  recommendation: { itemId: string; title: string } | null;
}

export type RewardView = Reward;

export interface CheckinResult {
  day: string;
  /** Streak length after this check-in. */
  streak: number;
  /** Points earned by the check-in itself (newbie or birthday multiplier included). */
  points: number;
  /** Extra points from a milestone reward. */
  bonusPoints: number;
  balance: number;
  makeupCards: number;
  newbie: boolean;
  /** Today is the member's birthday and its benefits apply (given at least `birthdayNoticeDays` before): the day's earned points are doubled. */
  birthday: boolean;
  milestone: { day: number; title: string; reward: RewardView } | null;
  /** A streak badge earned by this check-in. */
  badge: { badge: string; title: string } | null;
  /** The 7-day strip after this check-in. */
  week: StreakDaySlot[];
  /** What checking in tomorrow earns, the streak kept (a birthday's doubling aside). */
  tomorrowPoints: number;
  /** The next milestone of the streak, and in how many more days. */
  nextMilestone: { day: number; title: string; inDays: number } | null;
}

/** A day of the 7-day check-in strip: its streak day, the points it earns, the milestone it unlocks. */
export interface StreakDaySlot {
  streakDay: number;
  points: number;
  milestone: string | null;
  /** Checked already, today's to check, or ahead. */
  state: 'done' | 'today' | 'ahead';
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
  /** The member's first day: days before it were not missed. */
  since: string;
  makeupCards: number;
  /** Days that can be made up now: missed since registering, within the window, and only while the member holds a card. */
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
  /** What counts towards it: where the task page's 去完成 leads. */
  trigger: 'checkin' | 'browse_product' | 'share' | 'invite_registered' | 'profile_completed';
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
  | { event: 'checkin_popup'; stage: 'shown' | 'tapped' }
  | { event: 'reminder_opened'; campaign: string };

export interface TrackResult {
  counted: boolean;
  /** Why an event did not count: already counted, today's cap reached, no recent reminder of that campaign. */
  reason: 'duplicate' | 'capped' | 'no_reminder' | null;
}

export interface Leaderboard {
  top: { rank: number; nickname: string; streak: number; me: boolean }[];
  /** The caller's rank (ties share a rank); null without a current streak. */
  me: { rank: number | null; streak: number };
}

export interface MallItemView {
  id: string;
  title: string;
  description: string;
  kind: ItemKind;
  /** Picture URLs (temporary, from cloud storage): the mall list sends the cover only, the item page all. */
  images: string[];
  price: number;
  /** Sold for money: the list price and what this member pays at their tier (fen); null for points-only items. */
  cashPrice: number | null;
  memberCashPrice: number | null;
  stock: number;
  /** 满100减20 etc., for coupon items. */
  ruleText: string | null;
  minTier: Tier;
  saleTo: string | null;
  /** Whether the caller can redeem it now, and if not, why (an error code's reason). */
  redeemable: boolean;
  blockedBy: 'SOLD_OUT' | 'INSUFFICIENT_POINTS' | 'REDEEM_LIMIT_REACHED' | 'ITEM_UNAVAILABLE' | null;
  /** The reason as the member reads it (银卡专享, 3月12日开兑, 已兑完…); null when redeemable. */
  blockedText: string | null;
  /** Limit wording, e.g. 每人限兑1次. */
  limitText: string | null;
}

export interface MallList {
  balance: number;
  tier: Tier;
  /** Redeemable first, then by the operator's order; one page of them. */
  items: MallItemView[];
  hasMore: boolean;
}

export interface RedeemResult {
  redemptionId: string;
  itemId: string;
  title: string;
  kind: ItemKind;
  price: number;
  balance: number;
  couponId: string | null;
  orderId: string | null;
  voucherCode: string | null;
}

export type CouponState = 'unused' | 'used' | 'expired';

export interface CouponView {
  id: string;
  title: string;
  ruleText: string;
  rule: CouponRule;
  state: CouponState;
  /** Unused and ending within 3 days (business time): shown as 即将过期. */
  expiresSoon: boolean;
  validFrom: string;
  validTo: string;
  storeIds: string[];
  minTier: Tier;
  usedAt: string | null;
}

export interface CouponPage {
  coupons: CouponView[];
  hasMore: boolean;
}

export interface CouponCode {
  /** 14 digits: serial then one-time password; null while the coupon is locked. */
  code: string | null;
  /** Set while the coupon is locked after repeated wrong codes at a till: fetch a fresh code then. */
  lockedUntil: string | null;
  /** When the page must fetch a new code. */
  refreshAt: string;
  serverNow: string;
}

/** The member's till code (会员码): 16 digits, a fresh one each minute. */
export interface MemberCode {
  /** null while the code is locked after repeated wrong codes at a till, or this minute's code was used. */
  code: string | null;
  /** This minute's code was just used at a till (a purchase was recorded): the next comes at `refreshAt`. */
  used: boolean;
  lockedUntil: string | null;
  refreshAt: string;
  serverNow: string;
}

export interface TierView {
  tier: Tier;
  name: string;
  /** Qualifying spend (fen) in the rolling window. */
  qualifyingSpend: number;
  windowMonths: number;
  next: { tier: Tier; name: string; toGo: number } | null;
  benefits: { pricePercent: number; pointsMultiplier: number; birthdayPack: boolean; memberDay: boolean };
  /** What each tier gives, for the tier page's table. */
  tiers: { tier: Tier; name: string; threshold: number; pricePercent: number; pointsMultiplier: number }[];
  history: { from: Tier; to: Tier; at: string; qualifyingSpend: number }[];
}

export interface PurchaseResult {
  purchaseId: string;
  /** Paid (fen): the till's order amount less the coupon written off with it, if any. */
  amount: number;
  orderAmount: number;
  /** The coupon written off in the same step, and what it took off. */
  coupon: { couponId: string; title: string; discount: number } | null;
  /** Points earned by this purchase and the balance after. */
  points: number;
  balance: number;
  memberNickname: string;
  tier: Tier;
  tierName: string;
  /** Set when this purchase moved the member up. */
  upgradedFrom: Tier | null;
  qualifyingSpend: number;
}

export interface RefundResult {
  purchaseId: string;
  amount: number;
  pointsTakenBack: number;
  pointsForgiven: number;
  balance: number;
}

/** A WeChat Pay order as the member follows it. */
export interface PayOrderView {
  orderId: string;
  itemId: string;
  title: string;
  listPrice: number;
  /** Charged (fen): the list price at the member's tier. */
  amount: number;
  points: number;
  state: 'created' | 'paid' | 'fulfilled' | 'expired' | 'refunding' | 'refunded';
  expiresAt: string;
  couponId: string | null;
  fulfilmentOrderId: string | null;
  /** For `wx.requestPayment`, while the order waits for payment. */
  payment: Record<string, string> | null;
}

/** A group-buying deal as members see it (prices in fen). */
export interface DealView {
  dealId: string;
  title: string;
  itemId: string;
  /** The item's cover picture (a temporary URL), if it has one. */
  image: string | null;
  description: string;
  listPrice: number;
  groupPrice: number;
  /** What the member who opens a group pays. */
  leaderPrice: number;
  size: number;
  deadlineHours: number;
  /** The deal's last Beijing day. */
  to: string;
  stockLeft: number;
  /** The subscribe-message template of the group's result, to offer when the member pays. */
  resultTemplate: string;
}

/** A group (拼团) as its members, and the friends it is shared with, see it. */
export interface GroupView {
  groupId: string;
  dealId: string;
  title: string;
  itemId: string;
  size: number;
  state: 'pending' | 'open' | 'succeeded' | 'failed';
  deadline: string;
  /** Seconds to the deadline when the reply was made (pages count down from it, whatever the phone's clock says). */
  secondsLeft: number;
  /** Seats held, leader first; a seat waiting for its payment shows unpaid. */
  members: { nickname: string; leader: boolean; paid: boolean; avatar: string | null }[];
  seatsLeft: number;
  /** What a friend pays to join. */
  price: number;
  listPrice: number;
  /** The subscribe-message template of the group's result, to offer when the member pays. */
  resultTemplate: string;
  /** The item's cover (a temporary URL), if it has one. */
  image: string | null;
  /** The caller's own seat order in this group, if any. */
  mine: { orderId: string; state: PayOrderView['state']; amount: number } | null;
}

/** A bargaining deal as members see it (prices in fen). */
export interface BargainDealView {
  dealId: string;
  title: string;
  itemId: string;
  /** The item's cover picture (a temporary URL), if it has one. */
  image: string | null;
  description: string;
  listPrice: number;
  floorPrice: number;
  durationHours: number;
  stockLeft: number;
  /** The member's own bargain on this deal, if they started one. */
  mine: string | null;
}

/** A bargain (砍价) as its owner and the friends it is shared with see it. */
/** 积分规则, from the rule sets in force. */
export interface PointsRules {
  checkin: {
    basePoints: number;
    stepPoints: number;
    capPoints: number;
    newbieDays: number;
    newbieMultiplier: number;
    makeupWindowDays: number;
    milestones: { day: number; title: string }[];
  };
  spend: { pointsPerYuan: number; tiers: { name: string; pointsMultiplier: number }[]; birthdayMultiplier: number };
  /** Points last until the end of this many months after the month they were earned in. */
  validMonths: number;
}

/** A bargain on 我的砍价. */
export type MyBargain = Pick<
  BargainView,
  'bargainId' | 'title' | 'image' | 'listPrice' | 'price' | 'floorPrice' | 'helpCount' | 'state' | 'secondsLeft'
>;

/** 我的推广: what the member's shares earned — commissions pending (until the refund window passes), paid, taken back. */
export interface MyCommissions {
  pendingPoints: number;
  paidPoints: number;
  commissions: {
    id: string;
    title: string;
    amount: number;
    points: number;
    state: 'pending' | 'paid' | 'cancelled' | 'reversed';
    dueAt: string;
    at: string;
  }[];
}

export interface BargainView {
  bargainId: string;
  dealId: string;
  title: string;
  itemId: string;
  /** The item's cover picture (a temporary URL), if it has one. */
  image: string | null;
  ownerNickname: string;
  /** The viewer started it. */
  mine: boolean;
  listPrice: number;
  price: number;
  floorPrice: number;
  state: 'open' | 'bought' | 'expired';
  expiresAt: string;
  secondsLeft: number;
  /** The latest helps, newest first. */
  helps: { nickname: string; cut: number }[];
  helpCount: number;
  /** What the viewer cut, if they helped. */
  myCut: number | null;
  /** The owner's waiting or paid order. */
  order: { orderId: string; state: PayOrderView['state'] } | null;
}

/** The spread path (分销) as operators read it. */
export interface ReferralsView {
  spreads: { sharer: string; viewer: string; itemId: string; at: string; opens: number; conversions: number }[];
  commissions: {
    orderId: string;
    sharer: string;
    buyer: string;
    itemId: string;
    amount: number;
    points: number;
    state: 'pending' | 'paid' | 'cancelled' | 'reversed';
    dueAt: string;
    /** For a reversed commission: the points taken back from the sharer and those forgiven. */
    reversal: { takenBack: number; forgiven: number } | null;
  }[];
}

/** An operator-edited document's saved versions, newest first. */
export interface ConfigHistoryView {
  current: Record<string, unknown> | null;
  /** For a rule set (`config`): what applies now — the stored fields over the defaults. */
  effective: Record<string, unknown> | null;
  /** The stored document differs from the last saved version: edited in the console since. */
  editedOutside: boolean;
  versions: { seq: number; by: string; at: string; note: string; doc: Record<string, unknown> }[];
}

/** A role change as operators audit it. */
export interface RoleChangeView {
  openid: string;
  from: { role: 'operator' | 'staff'; storeId: string | null } | null;
  to: { role: 'operator' | 'staff'; storeId: string | null } | null;
  by: string;
  at: string;
  reason: string;
}

/** One day of the operations center (points; money in fen). */
export interface DailyFigures {
  activeMembers: number;
  newMembers: number;
  returnedMembers: number;
  churnedMembers: number;
  checkins: number;
  redemptions: number;
  writeOffs: number;
  writeOffsByStore: Record<string, number>;
  pointsIssued: number;
  pointsRedeemed: number;
  pointsExpired: number;
  purchases: number;
  spend: number;
  /** The check-in funnel's steps that day (the popup shown, tapped). */
  popupShown: number;
  popupTapped: number;
  /** Of the day's checkers, active the next day (null until that day is over). */
  checkinsReturnedNextDay: number | null;
  remindersSent: number;
  remindersOpened: number;
  /** Of the day's reminded members, active that day or the next (null until known). */
  remindersReturned: number | null;
}

/** The operations center's day: figures against the 7 days before, stages and segments over time, alerts. */
export interface DashboardView {
  day: string;
  today: DailyFigures | null;
  /** When today's figures were counted (the timer recounts them every firing). */
  updatedAt: string | null;
  previous: { day: string; figures: DailyFigures | null }[];
  stages: { day: string; stages: Record<string, number> | null }[];
  /** Members per segment after the latest night. */
  segments: Record<string, number>;
  alerts: { segment: string; since: string; day: string; baseline: number; values: number[] }[];
  /** The check-in and reminder funnels over the 7 days before and today. */
  funnels: Funnels;
  /** Reminder experiments configured now (read each with `experimentReadout`). */
  experiments: { campaign: string; experimentId: string }[];
}

/** Where issuing a targeted offer stands. */
export interface OfferRunView {
  done: boolean;
  /** Members looked at so far (all members are walked; the audience is matched on each). */
  processed: number;
  issued: number;
  holdout: number;
}

/** A targeted offer's result, per arm, with 95 % intervals. */
export interface OfferReadout {
  offerId: string;
  title: string;
  run: OfferRunView | null;
  arms: { arm: string; members: number; returned7: Interval; couponUsed: Interval; spendPerMember: Interval | null }[];
  /** Came back within 7 days: offer minus holdout. */
  upliftReturned7: Interval | null;
}

/** One thing the member redeemed or bought in the mall (兑换记录): goods, virtual goods or a coupon. */
/**
 * Where a member's order stands, as 我的订单 names it: goods' fulfilment states, a coupon's
 * use, and a WeChat Pay order's own (unpaid, a group seat waiting for its group, closed
 * unpaid, refunding, refunded — a refund outranks how far the goods got).
 */
export type MemberOrderStatus = OrderStatus | 'unused' | 'used' | 'unpaid' | 'grouping' | 'closed' | 'refunding' | 'refunded';

/** 我的订单's tabs: everything, or one kind of state. */
export type OrderTab = 'all' | 'unpaid' | 'toShip' | 'shipped' | 'done' | 'refund';

export interface OrderView {
  /** The order's id; for a coupon, the coupon's. */
  id: string;
  itemId: string;
  title: string;
  kind: ItemKind;
  /** Points paid. */
  price: number;
  /** Money paid (or due, unpaid) with WeChat Pay (fen); null when bought with points only. */
  cash: number | null;
  status: MemberOrderStatus;
  voucherCode: string | null;
  validTo: string | null;
  at: string;
  /** The item's cover (a temporary URL), if it has one. */
  image: string | null;
  /** Goods: sent to an address or collected at a store. */
  delivery: Delivery['kind'] | null;
  /** The WeChat Pay order behind it (to pay, cancel or follow a refund), if money was involved. */
  payOrderId: string | null;
}

/** One order in full (订单详情): where it goes, the parcel, what happened when, and — unpaid — how to pay it. */
export interface OrderDetail extends OrderView {
  address: Address | null;
  shipping: Shipping | null;
  timeline: { text: string; at: string }[];
  /** An unpaid order: seconds left to pay it when the reply was made (pages count down from it, whatever the phone's clock says), and what `wx.requestPayment` takes. */
  secondsLeft: number | null;
  payment: Record<string, string> | null;
}

export interface MemberApi {
  home: { request: { inviteCode?: string }; response: Profile };
  /** The profile, read only: no visit counted, no gift handed over (for screens like 我的). */
  profile: { request: Record<string, never>; response: Profile };
  checkin: { request: Record<string, never>; response: CheckinResult };
  calendar: { request: { month?: string }; response: Calendar };
  makeup: { request: { day: string }; response: MakeupResult };
  pointsHistory: { request: { page?: number; pageSize?: number }; response: PointsHistory };
  tasks: { request: Record<string, never>; response: TaskList };
  claimTask: { request: { taskId: string }; response: ClaimResult };
  track: { request: TrackedEvent; response: TrackResult };
  leaderboard: { request: { limit?: number }; response: Leaderboard };
  mall: { request: { kind?: ItemKind; page?: number; pageSize?: number }; response: MallList };
  /** One item, with the caller's referral code for sharing it (分销). */
  mallItem: { request: { itemId: string }; response: MallItemView & { shareCode: string } };
  /** Goods with an `address` are sent there; without one they are collected at a store. */
  redeem: { request: { itemId: string; requestId: string; address?: Address }; response: RedeemResult };
  myCoupons: { request: { state: CouponState; page?: number; pageSize?: number }; response: CouponPage };
  coupon: { request: { couponId: string }; response: CouponView };
  couponCode: { request: { couponId: string }; response: CouponCode };
  myOrders: { request: { tab?: OrderTab; page?: number; pageSize?: number }; response: { orders: OrderView[]; hasMore: boolean } };
  /** One order (goods, or a WeChat Pay order) with its address, parcel and timeline; an unpaid one with its payment. */
  myOrder: { request: { id: string }; response: OrderDetail };
  /** Cancels an unpaid WeChat Pay order (its stock and points go back); a paid one is refused. */
  cancelOrder: { request: { orderId: string }; response: PayOrderView };
  /** 确认收货: a shipped order the member received is done. */
  confirmReceipt: { request: { orderId: string }; response: OrderView };
  subscribe: { request: { accepted: string[]; rejected: string[] }; response: { credits: Record<string, number> } };
  memberCode: { request: Record<string, never>; response: MemberCode };
  /** Prepares a WeChat Pay order for a mall item with a cash price; pay with `wx.requestPayment(payment)`. */
  createPayOrder: { request: { itemId: string; requestId: string; address?: Address }; response: PayOrderView };
  payOrder: { request: { orderId: string }; response: PayOrderView };
  /** Group-buying deals on today. */
  groupDeals: { request: Record<string, never>; response: DealView[] };
  /** One deal and its groups still looking for members. */
  groupDeal: { request: { dealId: string }; response: { deal: DealView; groups: GroupView[] } };
  /** Opens a group as its leader: a seat and its pay order (pay to open it to friends). */
  openGroup: { request: { dealId: string; requestId: string }; response: { groupId: string; order: PayOrderView } };
  /** Takes a seat in a friend's group and its pay order (held for the deal's hold time). */
  joinGroup: { request: { groupId: string; requestId: string }; response: { groupId: string; order: PayOrderView } };
  /** A group, as the share landing shows it. */
  group: { request: { groupId: string }; response: GroupView };
  /** The groups the member has had a seat in, newest first. */
  myGroups: { request: Record<string, never>; response: GroupView[] };
  /** The member opened an item from a friend's share (`ref`: the friend's referral code). */
  openReferral: { request: { itemId: string; ref: string }; response: { recorded: boolean } };
  /** Bargaining deals on today. */
  bargainDeals: { request: Record<string, never>; response: BargainDealView[] };
  /** 积分规则: how points are earned, used and how long they last, from the rules in force. */
  pointsRules: { request: Record<string, never>; response: PointsRules };
  /** 我的砍价: the member's own bargains, newest first. */
  myBargains: { request: Record<string, never>; response: MyBargain[] };
  /** 我的推广: the commissions the member's shares earned. */
  myCommissions: { request: Record<string, never>; response: MyCommissions };
  /** Starts the member's bargain on a deal (one per member and deal; again → the same one). */
  startBargain: { request: { dealId: string }; response: BargainView };
  /** A bargain, as the help landing shows it. */
  bargain: { request: { bargainId: string }; response: BargainView };
  /** Cuts a friend's bargain by a server-drawn amount, once. */
  helpBargain: { request: { bargainId: string }; response: { cut: number; bargain: BargainView } };
  /** The owner buys at the price reached (a WeChat Pay order). */
  buyBargain: { request: { bargainId: string; requestId: string }; response: PayOrderView };
  /** Nickname, avatar (a cloud fileID) and birthday (`MM-DD`, once); replies with the profile. */
  updateProfile: { request: { nickname?: string; avatar?: string; birthday?: string }; response: Profile };
  tier: { request: Record<string, never>; response: TierView };
}

export interface WriteOffPreview {
  couponId: string;
  title: string;
  ruleText: string;
  rule: CouponRule;
  /** e.g. 张**; staff never see a member's full name. */
  memberNickname: string;
  memberTier: Tier;
  validTo: string;
  /** For 满减 and 折扣 the till's order amount is needed to write off. */
  needsAmount: boolean;
  /** Why it cannot be written off here, now; null when it can. */
  problem: ErrorCode | null;
}

export interface WriteOffView {
  couponId: string;
  title: string;
  memberNickname: string;
  staff: string;
  storeId: string;
  at: string;
  orderAmount: number | null;
  discount: number;
}

export interface StaffApi {
  preview: { request: { code: string }; response: WriteOffPreview };
  writeOff: { request: { code: string; orderAmount?: number }; response: WriteOffView };
  history: { request: { day?: string }; response: StoreDay };
  /** A purchase at the till, from the member's code: spend, points, an upgrade at once. */
  recordPurchase: { request: { code: string; amount: number; requestId: string; couponCode?: string }; response: PurchaseResult };
  /** Reverses a purchase of the staff member's own store. */
  refundPurchase: { request: { purchaseId: string; reason: string }; response: RefundResult };
}

/** A store's day at the till: its write-offs and the till codes that failed (the guessing audit). */
export interface StoreDay {
  storeId: string;
  storeName: string;
  day: string;
  writeOffs: WriteOffView[];
  totalDiscount: number;
  failedAttempts: { staff: string; couponId: string | null; reason: 'malformed' | 'unknown' | 'wrong' | 'locked'; at: string }[];
  /** Purchases recorded at the store that day (amounts in fen), refunded ones marked. */
  purchases: { purchaseId: string; memberNickname: string; amount: number; points: number; staff: string; at: string; refunded: boolean }[];
  totalSpend: number;
  /** Every staff id above by the staff member's name. */
  staffNames: Record<string, string>;
}

export interface GrantResult {
  openid: string;
  balance: number;
  makeupCards: number;
  /** True when this request id had already been granted: this is the first outcome, replayed; nothing new was given. */
  duplicate: boolean;
}

export interface ReconcileResult {
  checked: number;
  mismatches: { openid: string; cached: number; ledger: number }[];
  /** Members whose cached spend (fen) differs from their spend ledger (reported, never rewritten). */
  spendMismatches: { openid: string; cached: number; ledger: number }[];
  /** Commissions these members earned as sharers that disagree with their order (e.g. paid on a refunded order). */
  commissionMismatches: { orderId: string; sharer: string; commission: string; order: string | null }[];
  fixed: number;
  /** Pass it back to check the next page; null when every member was checked. */
  nextCursor: string | null;
}

export interface ConfigIssue {
  collection: string;
  id: string;
  problems: string[];
}

/** An estimate with its 95 % interval. */
export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

/** A campaign experiment arm's readout, intention-to-treat. */
export interface ArmReadout {
  arm: string;
  assigned: number;
  sent: number;
  opened: Interval;
  returned1: Interval;
  returned7: Interval;
  couponUsed: Interval;
  basketFen: Interval | null;
  /** Returned within 7 days, this arm minus holdout (null for the holdout itself or without one). */
  upliftReturned7: Interval | null;
}

export interface Funnels {
  checkin: { shown: number; tapped: number; checkedIn: number; returnedNextDay: number };
  reminders: { sent: number; opened: number; returned: number };
}

/** An operator alert: a segment's participation fell and stayed down, or a coupon locked after wrong codes. */
export type AlertView =
  | { kind: 'segment'; segment: string; since: string; day: string; baseline: number; values: number[]; at: string }
  | (({ kind: 'couponLocked'; couponId: string } | { kind: 'memberCodeLocked'; memberCode: string }) & {
      staff: string;
      storeId: string;
      wrongCodes: number;
      lockedUntil: string;
      day: string;
      at: string;
    });

/** A day's segment metrics (members and participants per segment) and lifecycle stage counts. */
export interface SegmentDay {
  day: string;
  metrics: Record<string, { members: number; participants: number }>;
  stages: Record<string, number>;
}

export interface OpsApi {
  funnels: { request: { from: string; to: string }; response: Funnels };
  experimentReadout: {
    request: { campaign: string; experimentId: string };
    response: { campaign: string; experimentId: string; arms: ArmReadout[] };
  };
  alerts: { request: { from: string; to: string }; response: { alerts: AlertView[]; days: SegmentDay[] } };
  putItem: { request: { item: Record<string, unknown> }; response: { id: string; version: number } };
  putCouponTemplate: { request: { template: Record<string, unknown> }; response: { id: string; version: number } };
  /** A group-buying deal (`groupDeals`), validated by core/group/deal.ts. */
  putGroupDeal: { request: { deal: Record<string, unknown> }; response: { id: string; version: number } };
  /** A bargaining deal (`bargainDeals`), validated by core/bargain/deal.ts. */
  putBargainDeal: { request: { deal: Record<string, unknown> }; response: { id: string; version: number } };
  /** The editors' save (or `check`): any operator-edited document by collection and id; problems by field path. */
  saveConfig: {
    request: { collection: string; id: string; doc: Record<string, unknown>; check?: boolean };
    response: { problems: { path: string; message: string }[]; version: number | null };
  };
  /** The documents of an operator-edited collection (or the rule sets), for the editors' list. */
  configDocs: { request: { collection: string }; response: { id: string; title: string; stored: boolean }[] };
  /** Every saved version of an operator-edited document, and whether the console changed it since. */
  configHistory: { request: { collection: string; id: string }; response: ConfigHistoryView };
  /** Saves an earlier version again (validated by today's rules) as the newest. */
  rollbackConfig: { request: { collection: string; id: string; seq: number }; response: { id: string; version: number } };
  /** Makes a member staff of a store (found by their 会员码 or openid), audited. */
  setStaff: { request: { code?: string; openid?: string; storeId: string; reason: string }; response: RoleChangeView };
  /** Takes a member's staff role away, audited. */
  revokeStaff: { request: { openid: string; reason: string }; response: RoleChangeView };
  /** The role audit trail, newest first. */
  roleChanges: { request: { openid?: string }; response: RoleChangeView[] };
  /** A targeted offer (`offers`), validated by core/offers/offer.ts. */
  putOffer: { request: { offer: Record<string, unknown> }; response: { id: string; version: number } };
  /** How many members the offer would reach now. */
  offerAudience: { request: { offerId: string }; response: { members: number; holdoutPercent: number } };
  /** Issues the offer to its audience minus the holdout (resumable; the timer finishes it). */
  issueOffer: { request: { offerId: string }; response: OfferRunView };
  /** The offer's result against its holdout. */
  offerReadout: { request: { offerId: string }; response: OfferReadout };
  /** The operations center's day (default today): figures, the 7 days before, stages, segments, alerts. */
  dashboard: { request: { day?: string }; response: DashboardView };
  /** The spread path: shares, conversions and commissions (optionally one sharer's). */
  referrals: { request: { sharer?: string }; response: ReferralsView };
  orders: {
    request: { status?: OrderStatus; cursor?: string; pageSize?: number };
    response: { orders: (OrderView & { openid: string })[]; nextCursor: string | null };
  };
  updateOrder: { request: { orderId: string; status: Exclude<OrderStatus, 'pending'> }; response: OrderView };
  writeOffs: { request: { day: string; storeId?: string }; response: WriteOffView[] };
  putTask: { request: { task: Record<string, unknown> }; response: { id: string; version: number } };
  configIssues: { request: Record<string, never>; response: ConfigIssue[] };
  reconcile: { request: { cursor?: string; pageSize?: number; fix?: boolean }; response: ReconcileResult };
  grant: { request: { openid: string; points?: number; makeupCards?: number; reason: string; requestId: string }; response: GrantResult };
  /** Reverses any store's purchase. */
  refundPurchase: { request: { purchaseId: string; reason: string }; response: RefundResult };
  /** Refunds a paid WeChat Pay order (retried until WeChat Pay takes it). */
  refundPayOrder: { request: { orderId: string; reason: string }; response: PayOrderView };
  /** WeChat Pay orders by state, e.g. refunds that keep failing. */
  payOrders: {
    request: { state: PayOrderView['state'] };
    response: (PayOrderView & { openid: string; refundAttempts: number; lastError: string | null })[];
  };
  /** Sets or corrects a member's birthday (members set theirs once), with the reason kept. */
  setBirthday: { request: { openid: string; birthday: string; reason: string }; response: { openid: string; birthday: string } };
}

export interface FunctionApis {
  member: MemberApi;
  ops: OpsApi;
  staff: StaffApi;
}

export type FunctionName = keyof FunctionApis;
export type ActionName<F extends FunctionName> = keyof FunctionApis[F] & string;
type Entry<F extends FunctionName, A extends ActionName<F>> = FunctionApis[F][A];
export type RequestOf<F extends FunctionName, A extends ActionName<F>> = Entry<F, A> extends { request: infer R } ? R : never;
export type ResponseOf<F extends FunctionName, A extends ActionName<F>> = Entry<F, A> extends { response: infer R } ? R : never;
