import type {
  ActionName,
  Calendar,
  CheckinResult,
  ClaimResult,
  CouponCode,
  CouponPage,
  CouponState,
  CouponView,
  ItemKind,
  FunctionName,
  Leaderboard,
  MakeupResult,
  MallItemView,
  MallList,
  OrderView,
  PointsHistory,
  Profile,
  RedeemResult,
  RequestOf,
  ResponseOf,
  StoreDay,
  TaskList,
  TrackResult,
  TrackedEvent,
  WriteOffPreview,
  WriteOffView,
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
    home: (inviteCode?: string): Promise<Reply<Profile>> => call('member', 'home', inviteCode ? { inviteCode } : {}),
    profile: (): Promise<Reply<Profile>> => call('member', 'profile', {}),
    checkin: (): Promise<Reply<CheckinResult>> => call('member', 'checkin', {}),
    calendar: (month?: string): Promise<Reply<Calendar>> => call('member', 'calendar', month ? { month } : {}),
    makeup: (day: string): Promise<Reply<MakeupResult>> => call('member', 'makeup', { day }),
    pointsHistory: (page = 0): Promise<Reply<PointsHistory>> => call('member', 'pointsHistory', { page }),
    tasks: (): Promise<Reply<TaskList>> => call('member', 'tasks', {}),
    claimTask: (taskId: string): Promise<Reply<ClaimResult>> => call('member', 'claimTask', { taskId }),
    track: (event: TrackedEvent): Promise<Reply<TrackResult>> => call('member', 'track', event),
    leaderboard: (limit = 10): Promise<Reply<Leaderboard>> => call('member', 'leaderboard', { limit }),
    mall: (kind: ItemKind | undefined, page = 0): Promise<Reply<MallList>> => call('member', 'mall', kind ? { kind, page } : { page }),
    mallItem: (itemId: string): Promise<Reply<MallItemView>> => call('member', 'mallItem', { itemId }),
    /** `requestId` is made once per confirmation; resending it after a lost reply cannot redeem twice. */
    redeem: (itemId: string, requestId: string): Promise<Reply<RedeemResult>> => call('member', 'redeem', { itemId, requestId }),
    myCoupons: (state: CouponState, page = 0): Promise<Reply<CouponPage>> => call('member', 'myCoupons', { state, page }),
    coupon: (couponId: string): Promise<Reply<CouponView>> => call('member', 'coupon', { couponId }),
    couponCode: (couponId: string): Promise<Reply<CouponCode>> => call('member', 'couponCode', { couponId }),
    subscribe: (accepted: string[], rejected: string[]): Promise<Reply<{ credits: Record<string, number> }>> => call('member', 'subscribe', { accepted, rejected }),
    myOrders: (page = 0): Promise<Reply<{ orders: OrderView[]; hasMore: boolean }>> => call('member', 'myOrders', { page }),
  },
  staff: {
    preview: (code: string): Promise<Reply<WriteOffPreview>> => call('staff', 'preview', { code }),
    writeOff: (code: string, orderAmount?: number): Promise<Reply<WriteOffView>> => call('staff', 'writeOff', orderAmount === undefined ? { code } : { code, orderAmount }),
    history: (day?: string): Promise<Reply<StoreDay>> => call('staff', 'history', day ? { day } : {}),
  },
};

/** A fresh idempotency key for one user intent (e.g. one redeem confirmation). */
export function newRequestId(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`.padEnd(12, '0');
}
