import type { CodeGuardConfig } from '../config/codeGuard';
import type { CodeGuard } from '../../typings/documents';

const MINUTE = 60_000;

export function lockedUntil(guard: CodeGuard | undefined, now: Date): Date | null {
  const until = guard?.lockedUntil ? new Date(guard.lockedUntil) : null;
  return until && until > now ? until : null;
}

/** The counter of wrong passwords for a coupon in the fixed window of `wrongWindowMinutes` that `now` falls in. */
export function wrongWindow(couponId: string, now: Date, config: CodeGuardConfig): string {
  return `wrong:${couponId}:${Math.floor(now.getTime() / (config.wrongWindowMinutes * MINUTE))}`;
}

/** Whether the wrong passwords counted in a window lock the coupon, and until when. */
export function lockFor(wrongInWindow: number, now: Date, config: CodeGuardConfig): Date | null {
  return wrongInWindow >= config.wrongCodesBeforeLock ? new Date(now.getTime() + config.lockMinutes * MINUTE) : null;
}

/** The fixed one-minute window a staff attempt counts in. */
export function attemptWindow(staff: string, now: Date): string {
  return `${staff}:${Math.floor(now.getTime() / MINUTE)}`;
}
