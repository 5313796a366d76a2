import type {
  ActionName,
  Address,
  CouponState,
  FunctionName,
  ItemKind,
  OrderTab,
  RequestOf,
  ResponseOf,
  TrackedEvent,
} from '../../typings/api';
import type { Reply } from '../../typings/envelope';

/**
 * The typed client for the cloud functions — the only place that calls
 * wx.cloud.callFunction. Requests and replies are checked against typings/api.ts.
 */
export type Transport = (name: FunctionName, data: Record<string, unknown>) => Promise<unknown>;

const cloudTransport: Transport = async (name, data) => {
  const res = await wx.cloud.callFunction({ name, data });
  return res.result;
};

let transport: Transport = cloudTransport;

/** Swaps how calls travel (tests and previews reach the local emulator gateway). */
export function setTransport(next: Transport): void {
  transport = next;
}

export async function call<F extends FunctionName, A extends ActionName<F>>(
  fn: F,
  action: A,
  request: RequestOf<F, A>,
): Promise<Reply<ResponseOf<F, A>>> {
  try {
    return (await transport(fn, { ...(request as Record<string, unknown>), action })) as Reply<ResponseOf<F, A>>;
  } catch (err) {
    return { ok: false, code: 'NETWORK_ERROR', message: String((err as { errMsg?: string }).errMsg ?? err) };
  }
}

export const api = {
  member: {
    home: (inviteCode?: string) => call('member', 'home', inviteCode ? { inviteCode } : {}),
    profile: () => call('member', 'profile', {}),
    checkin: () => call('member', 'checkin', {}),
    calendar: (month?: string) => call('member', 'calendar', month ? { month } : {}),
    makeup: (day: string) => call('member', 'makeup', { day }),
    pointsHistory: (page = 0) => call('member', 'pointsHistory', { page }),
    tasks: () => call('member', 'tasks', {}),
    claimTask: (taskId: string) => call('member', 'claimTask', { taskId }),
    track: (event: TrackedEvent) => call('member', 'track', event),
    leaderboard: (limit = 10) => call('member', 'leaderboard', { limit }),
    mall: (kind: ItemKind | undefined, page = 0) => call('member', 'mall', kind ? { kind, page } : { page }),
    mallItem: (itemId: string) => call('member', 'mallItem', { itemId }),
    /** `requestId` is made once per confirmation; resending it after a lost reply cannot redeem twice. */
    redeem: (itemId: string, requestId: string, address?: Address) =>
      call('member', 'redeem', address ? { itemId, requestId, address } : { itemId, requestId }),
    myCoupons: (state: CouponState, page = 0) => call('member', 'myCoupons', { state, page }),
    coupon: (couponId: string) => call('member', 'coupon', { couponId }),
    couponCode: (couponId: string) => call('member', 'couponCode', { couponId }),
    subscribe: (accepted: string[], rejected: string[]) => call('member', 'subscribe', { accepted, rejected }),
    myOrders: (tab: OrderTab, page = 0) => call('member', 'myOrders', { tab, page }),
    myOrder: (id: string) => call('member', 'myOrder', { id }),
    cancelOrder: (orderId: string) => call('member', 'cancelOrder', { orderId }),
    confirmReceipt: (orderId: string) => call('member', 'confirmReceipt', { orderId }),
    memberCode: () => call('member', 'memberCode', {}),
    tier: () => call('member', 'tier', {}),
    /** `requestId` is made once per purchase tap; resending it finds the same order. */
    createPayOrder: (itemId: string, requestId: string, address?: Address) =>
      call('member', 'createPayOrder', address ? { itemId, requestId, address } : { itemId, requestId }),
    payOrder: (orderId: string) => call('member', 'payOrder', { orderId }),
    groupDeals: () => call('member', 'groupDeals', {}),
    groupDeal: (dealId: string) => call('member', 'groupDeal', { dealId }),
    /** `requestId` is made once per tap; resending it finds the same seat and payment. */
    openGroup: (dealId: string, requestId: string) => call('member', 'openGroup', { dealId, requestId }),
    joinGroup: (groupId: string, requestId: string) => call('member', 'joinGroup', { groupId, requestId }),
    group: (groupId: string) => call('member', 'group', { groupId }),
    myGroups: () => call('member', 'myGroups', {}),
    openReferral: (itemId: string, ref: string) => call('member', 'openReferral', { itemId, ref }),
    bargainDeals: () => call('member', 'bargainDeals', {}),
    myBargains: () => call('member', 'myBargains', {}),
    pointsRules: () => call('member', 'pointsRules', {}),
    myCommissions: () => call('member', 'myCommissions', {}),
    startBargain: (dealId: string) => call('member', 'startBargain', { dealId }),
    bargain: (bargainId: string) => call('member', 'bargain', { bargainId }),
    helpBargain: (bargainId: string) => call('member', 'helpBargain', { bargainId }),
    /** `requestId` is made once per tap; resending it finds the same order. */
    buyBargain: (bargainId: string, requestId: string) => call('member', 'buyBargain', { bargainId, requestId }),
    updateProfile: (edit: { nickname?: string; avatar?: string; birthday?: string }) => call('member', 'updateProfile', edit),
  },
  ops: {
    dashboard: (day?: string) => call('ops', 'dashboard', day ? { day } : {}),
    experimentReadout: (campaign: string, experimentId: string) => call('ops', 'experimentReadout', { campaign, experimentId }),
    configDocs: (collection: string) => call('ops', 'configDocs', { collection }),
    configHistory: (collection: string, id: string) => call('ops', 'configHistory', { collection, id }),
    saveConfig: (collection: string, id: string, doc: Record<string, unknown>, check = false) =>
      call('ops', 'saveConfig', check ? { collection, id, doc, check } : { collection, id, doc }),
    rollbackConfig: (collection: string, id: string, seq: number) => call('ops', 'rollbackConfig', { collection, id, seq }),
    offerAudience: (offerId: string) => call('ops', 'offerAudience', { offerId }),
    issueOffer: (offerId: string) => call('ops', 'issueOffer', { offerId }),
    offerReadout: (offerId: string) => call('ops', 'offerReadout', { offerId }),
    setStaff: (code: string, storeId: string, reason: string) => call('ops', 'setStaff', { code, storeId, reason }),
    revokeStaff: (openid: string, reason: string) => call('ops', 'revokeStaff', { openid, reason }),
    roleChanges: () => call('ops', 'roleChanges', {}),
  },
  staff: {
    preview: (code: string) => call('staff', 'preview', { code }),
    writeOff: (code: string, orderAmount?: number) =>
      call('staff', 'writeOff', orderAmount === undefined ? { code } : { code, orderAmount }),
    history: (day?: string) => call('staff', 'history', day ? { day } : {}),
    /** `requestId` is made once per entry; resending it after a lost reply cannot record twice. */
    refundPurchase: (purchaseId: string, reason: string) => call('staff', 'refundPurchase', { purchaseId, reason }),
    recordPurchase: (code: string, amount: number, requestId: string, couponCode?: string) =>
      call('staff', 'recordPurchase', couponCode ? { code, amount, requestId, couponCode } : { code, amount, requestId }),
  },
};

/** A fresh idempotency key for one user intent (e.g. one redeem confirmation). */
export function newRequestId(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`.padEnd(12, '0');
}
