import type { ErrorCode } from '../../typings/errors';

/** What a member reads when an action fails, by error code (never by server message). */
const friendly: Record<ErrorCode, string> = {
  INVALID_INPUT: '请求有误，请刷新后重试',
  UNKNOWN_ACTION: '当前版本过旧，请更新小程序',
  UNAUTHENTICATED: '请在微信中打开小程序',
  FORBIDDEN: '没有权限进行此操作',
  NOT_FOUND: '内容不存在或已下架',
  CONFLICT: '操作太快了，请稍后再试',
  INTERNAL: '服务繁忙，请稍后再试',
  CHECKIN_ALREADY_TODAY: '今天已经签到过啦，明天再来',
  MAKEUP_DAY_INVALID: '只能补签最近7天内错过的日子',
  MAKEUP_ALREADY_CHECKED: '这一天已经签到过了',
  MAKEUP_NO_CARDS: '补签卡不足，完成任务可获得补签卡',
  TASK_NOT_COMPLETE: '任务还没完成，加油',
  TASK_ALREADY_CLAIMED: '奖励已经领过啦',
  ITEM_UNAVAILABLE: '该商品当前不可兑换',
  SOLD_OUT: '手慢了，已经兑完啦',
  INSUFFICIENT_POINTS: '积分不足，去做任务赚积分吧',
  REDEEM_LIMIT_REACHED: '已达兑换上限',
  COUPON_CODE_INVALID: '券码无效或已过期，请让顾客刷新券码',
  COUPON_ALREADY_USED: '该券已核销，不能重复使用',
  COUPON_EXPIRED: '该券已过期',
  COUPON_NOT_YET_VALID: '该券尚未到使用时间',
  COUPON_WRONG_STORE: '该券不能在本店使用',
  COUPON_CONDITION_UNMET: '未满足该券的使用条件',
  ORDER_STATUS_INVALID: '订单状态已变化，请刷新',
  PAYLOAD_TOO_LARGE: '请求内容过大',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  COUPON_LOCKED: '该券暂时锁定，请让顾客稍后刷新券码',
  IDEMPOTENCY_KEY_REUSED: '请求重复，请刷新后重试',
  MEMBER_CODE_INVALID: '会员码无效或已过期，请让顾客刷新会员码',
  MEMBER_CODE_USED: '该会员码已使用，请让顾客刷新会员码',
  MEMBER_CODE_LOCKED: '会员码暂时锁定，请让顾客稍后刷新',
  AMOUNT_TOO_LARGE: '金额超过单笔上限',
  PURCHASE_ALREADY_REFUNDED: '该笔消费已退款',
  PAYMENT_UNAVAILABLE: '支付暂不可用，请稍后再试',
  BIRTHDAY_LOCKED: '生日设置后不可修改，如需更正请联系客服',
  AVATAR_INVALID: '头像需为 1MB 以内的 PNG、JPEG 或 WebP 图片',
  GROUP_EXPIRED: '这个团已结束，去开个新团吧',
  GROUP_FULL: '这个团已满，去开个新团吧',
  GROUP_ALREADY_JOINED: '你已经在这个团里了',
  GROUP_LIMIT_REACHED: '你参加这个活动的拼团已达上限，去看看我的拼团吧',
  BARGAIN_EXPIRED: '这次砍价已结束',
  BARGAIN_OWN: '不能给自己砍价哦，分享给好友吧',
  BARGAIN_ALREADY_HELPED: '你已经帮砍过啦',
  BARGAIN_FLOOR_REACHED: '已经砍到底价啦，快去购买吧',
  NETWORK_ERROR: '网络不给力，请检查网络后重试',
};

export function messageFor(code: ErrorCode): string {
  return friendly[code];
}

export const TIER_LABELS: Record<'bronze' | 'silver' | 'gold', string> = {
  bronze: '铜卡会员',
  silver: '银卡会员',
  gold: '金卡会员',
};
