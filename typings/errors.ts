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
  /** Produced by the mini-program's client when a call does not reach a function. */
  'NETWORK_ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
