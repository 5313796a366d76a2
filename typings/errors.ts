/**
 * Every error code a function may reply with. Clients branch on `code`, never on
 * `message` (which is for people and may change).
 */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'UNKNOWN_ACTION',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'INTERNAL',
  'CHECKIN_ALREADY_TODAY',
  'MAKEUP_DAY_INVALID',
  'MAKEUP_ALREADY_CHECKED',
  'MAKEUP_NO_CARDS',
  'TASK_NOT_COMPLETE',
  'TASK_ALREADY_CLAIMED',
  /** Disabled, outside its sale window, or above the member's tier. */
  'ITEM_UNAVAILABLE',
  'SOLD_OUT',
  'INSUFFICIENT_POINTS',
  'REDEEM_LIMIT_REACHED',
  /** Not a code, another coupon's code, or a code whose minute has passed. */
  'COUPON_CODE_INVALID',
  'COUPON_ALREADY_USED',
  'COUPON_EXPIRED',
  'COUPON_NOT_YET_VALID',
  'COUPON_WRONG_STORE',
  /** Threshold not reached, order amount missing, or the member's tier too low. */
  'COUPON_CONDITION_UNMET',
  'ORDER_STATUS_INVALID',
  /** The request body is larger than a function call may carry (the gateway's 413). */
  'PAYLOAD_TOO_LARGE',
  /** Too many attempts in a short time; try again after `retryAfterSeconds`. */
  'RATE_LIMITED',
  /** Locked after repeated wrong codes; the member's app shows a fresh code once the lock ends. */
  'COUPON_LOCKED',
  /** Not a member code, or one whose minute has passed (the member refreshes it). */
  'MEMBER_CODE_INVALID',
  /** This member code was already used for a purchase: each code counts once. */
  'MEMBER_CODE_USED',
  /** Locked after repeated wrong member codes; the member's code page shows a fresh one when it ends. */
  'MEMBER_CODE_LOCKED',
  /** The birthday is set once by the member; an operator can correct it. */
  'BIRTHDAY_LOCKED',
  /** The avatar is not an uploaded picture of the member's (PNG/JPEG/WebP under avatars/, at most 1 MB). */
  'AVATAR_INVALID',
  /** WeChat Pay could not take the order (try again later). */
  'PAYMENT_UNAVAILABLE',
  /** A purchase can be refunded once. */
  'PURCHASE_ALREADY_REFUNDED',
  /** A purchase amount above the configured cap for one entry. */
  'AMOUNT_TOO_LARGE',
  /** A request id reused for a different request. */
  'IDEMPOTENCY_KEY_REUSED',
  /** The deal is over, not yet on, or the group's time has run out (or it failed). */
  'GROUP_EXPIRED',
  /** Every seat of the group is taken (or it already succeeded). */
  'GROUP_FULL',
  /** The member already has a seat in this group (their own included). */
  'GROUP_ALREADY_JOINED',
  /** The member already takes part in as many groups of this deal as it allows. */
  'GROUP_LIMIT_REACHED',
  /** The bargain's time is up (or it was bought). */
  'BARGAIN_EXPIRED',
  /** Members cannot cut their own bargain. */
  'BARGAIN_OWN',
  /** Each member helps a bargain once. */
  'BARGAIN_ALREADY_HELPED',
  /** The bargain is at its floor price: nothing left to cut. */
  'BARGAIN_FLOOR_REACHED',
  /** Produced by the mini-program's client when a call does not reach a function. */
  'NETWORK_ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
