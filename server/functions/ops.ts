import type { OpsApi } from '../../typings/api';
import type { ActionsOf } from '../platform/router';
import { reconcile } from '../points/ops';
import { referrals } from '../distribution/ops';
import { configDocs, configHistory, rollbackConfig, saveConfig } from '../ops/history';
import { revokeStaff, roleChanges, setStaff } from '../ops/roles';
import { dashboard } from '../ops/dashboard';
import { issueOffer, offerAudience, offerReadout } from '../offers/ops';
import { configIssues, putBargainDeal, putOffer, putCouponTemplate, putGroupDeal, putItem, putTask } from '../ops/config';
import { grant } from '../ops/grant';
import { orders, updateOrder } from '../orders/ops';
import { alerts, experimentReadout, funnels } from '../ops/retention';
import { refundAnyPurchase, writeOffs } from '../staff/ops';
import { setBirthday } from '../profile/ops';
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
