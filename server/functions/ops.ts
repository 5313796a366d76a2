import type { OpsApi } from '../../typings/api';
import type { ActionsOf } from '../platform/router';
import { reconcile } from '../points/reconcile';
import { referrals } from '../distribution/ops';
import { configDocs, configHistory, rollbackConfig, saveConfig } from '../ops/history';
import { revokeStaff, roleChanges, setStaff } from '../ops/roles';
import { dashboard } from '../ops/dashboard';
import { issueOffer, offerAudience, offerReadout } from '../offers/offers';
import { configIssues, putBargainDeal, putOffer, putCouponTemplate, putGroupDeal, putItem, putTask } from '../ops/config';
import { grant } from '../ops/grant';
import { orders, updateOrder, writeOffs } from '../ops/mall';
import { alerts, experimentReadout, funnels } from '../ops/retention';
import { refundAnyPurchase } from '../staff/refund';
import { setBirthday } from '../profile/edit';
import { payOrders, refundPayOrder } from '../pay/ops';

/** Actions of the `ops` function (operators only; role checked per action). */
export const opsActions = {
  grant,
  reconcile,
  putTask,
  putItem,
  putCouponTemplate,
  putGroupDeal,
  putBargainDeal,
  referrals,
  configHistory,
  saveConfig,
  configDocs,
  rollbackConfig,
  setStaff,
  revokeStaff,
  roleChanges,
  dashboard,
  putOffer,
  offerAudience,
  issueOffer,
  offerReadout,
  configIssues,
  orders,
  updateOrder,
  writeOffs,
  funnels,
  experimentReadout,
  alerts,
  refundPurchase: refundAnyPurchase,
  setBirthday,
  refundPayOrder,
  payOrders,
} satisfies ActionsOf<OpsApi>;
