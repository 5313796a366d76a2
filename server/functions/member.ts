import type { MemberApi } from '../../typings/api';
import type { ActionsOf } from '../platform/router';
import { calendar } from '../checkin/calendar';
import { checkin } from '../checkin/checkin';
import { makeup } from '../checkin/makeup';
import { coupon, couponCode, myCoupons } from '../coupons/wallet';
import { leaderboard } from '../leaderboard/leaderboard';
import { mall, mallItem } from '../mall/actions';
import { myOrder, myOrders } from '../orders/mine';
import { confirmReceipt } from '../orders/receipt';
import { cancelOrder } from '../pay/cancel';
import { redeem } from '../mall/redeem';
import { pointsHistory } from '../points/history';
import { subscribe } from '../reminders/subscriptions';
import { claimTask, tasks, track } from '../tasks/actions';
import { home, profile } from '../profile/home';
import { updateProfile } from '../profile/edit';
import { createPayOrder } from '../orders/create';
import { payOrder } from '../orders/view';
import { memberCode } from '../tiers/memberCode';
import { tier } from '../tiers/view';
import { joinGroup, openGroup } from '../group/join';
import { group, groupDeal, groupDeals, myGroups } from '../group/view';
import { openReferral } from '../distribution/referral';
import { bargain, bargainDeals, buyBargain, helpBargain, myBargains, startBargain } from '../bargain/actions';
import { myCommissions } from '../distribution/mine';
import { pointsRules } from '../points/rules';

/** Actions of the `member` function. */
export const memberActions = {
  home,
  profile,
  checkin,
  calendar,
  makeup,
  pointsHistory,
  tasks,
  claimTask,
  track,
  leaderboard,
  mall,
  mallItem,
  redeem,
  myCoupons,
  coupon,
  couponCode,
  myOrders,
  myOrder,
  cancelOrder,
  confirmReceipt,
  subscribe,
  memberCode,
  tier,
  updateProfile,
  createPayOrder,
  payOrder,
  groupDeals,
  groupDeal,
  openGroup,
  joinGroup,
  group,
  myGroups,
  bargainDeals,
  myBargains,
  pointsRules,
  myCommissions,
  startBargain,
  bargain,
  helpBargain,
  buyBargain,
  openReferral,
} satisfies ActionsOf<MemberApi>;
