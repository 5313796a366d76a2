import type { ActivityDoc } from '../../core/activity/rollup';
import type {
  CheckinDoc,
  CodeFailureDoc,
  CouponDoc,
  GiftDoc,
  GrantDoc,
  InviteDoc,
  LedgerEntryDoc,
  MemberCodeDoc,
  ProfileChangeDoc,
  PurchaseDoc,
  SpendLineDoc,
  TierHistoryDoc,
  MemberDoc,
  OrderDoc,
  PayOrderDoc,
  GroupDoc,
  DealSlotDoc,
  BargainDoc,
  BargainHelpDoc,
  SpreadDoc,
  CommissionDoc,
  ConfigVersionDoc,
  RoleChangeDoc,
  DailyStatsDoc,
  OfferGrantDoc,
  RateCounterDoc,
  RefundDoc,
  ReminderDoc,
  RewardDoc,
  RoleDoc,
  StoreDoc,
  SubscriptionDoc,
  TaskProgressDoc,
  TransitionDoc,
  WriteOffDoc,
} from '../../typings/documents';

/**
 * Each collection and the document it holds, so a read by collection name is typed
 * without restating the type at every call. `config` and `jobs` hold documents of several
 * shapes: their readers name the type.
 */
export interface Collections {
  activity: ActivityDoc;
  checkins: CheckinDoc;
  codeFailures: CodeFailureDoc;
  coupons: CouponDoc;
  gifts: GiftDoc;
  grants: GrantDoc;
  invites: InviteDoc;
  ledger: LedgerEntryDoc;
  lifecycle: TransitionDoc;
  members: MemberDoc;
  memberCodes: MemberCodeDoc;
  profileChanges: ProfileChangeDoc;
  purchases: PurchaseDoc;
  orders: OrderDoc;
  payOrders: PayOrderDoc;
  groups: GroupDoc;
  dealSlots: DealSlotDoc;
  bargains: BargainDoc;
  bargainHelps: BargainHelpDoc;
  spreads: SpreadDoc;
  commissions: CommissionDoc;
  configHistory: ConfigVersionDoc;
  roleChanges: RoleChangeDoc;
  dailyStats: DailyStatsDoc;
  offerGrants: OfferGrantDoc;
  rateLimits: RateCounterDoc;
  refunds: RefundDoc;
  reminders: ReminderDoc;
  rewards: RewardDoc;
  roles: RoleDoc;
  spendLedger: SpendLineDoc;
  stores: StoreDoc;
  subscriptions: SubscriptionDoc;
  taskProgress: TaskProgressDoc;
  tierHistory: TierHistoryDoc;
  writeOffs: WriteOffDoc;
}

export type CollectionName = keyof Collections;
/** Collections of several document shapes. */
export type OpenCollection =
  | 'config'
  | 'jobs'
  | 'alerts'
  | 'segmentStats'
  | 'funnel'
  | 'mallItems'
  | 'couponTemplates'
  | 'groupDeals'
  | 'bargainDeals'
  | 'offers'
  | 'tasks'
  | 'events'
  | 'eventCounts';
