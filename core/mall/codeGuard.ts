import { z } from 'zod';
import type { CodeGuard } from '../../typings/documents';

/**
 * Guessing protection for till codes (config document `config/codeGuard`). A code is an
 * 8-digit serial and a 6-digit one-time password: with the serial known, unlimited
 * guesses find the password in minutes. So each staff account has a rate of attempts,
 * and a coupon locks after a few wrong passwords in a short window.
 */
export const codeGuardConfigSchema = z
  .object({
    version: z.number().int().positive(),
    /** Code lookups (preview or write-off) one staff account may make per minute. */
    staffAttemptsPerMinute: z.number().int().min(1).max(600),
    /** Wrong passwords for one coupon, within `wrongWindowMinutes`, that lock it. */
    wrongCodesBeforeLock: z.number().int().min(1).max(100),
    wrongWindowMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
    lockMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
  })
  .strict();
export type CodeGuardConfig = z.infer<typeof codeGuardConfigSchema>;

export const DEFAULT_CODE_GUARD: CodeGuardConfig = {
  version: 1,
  staffAttemptsPerMinute: 30,
  wrongCodesBeforeLock: 5,
  wrongWindowMinutes: 10,
  lockMinutes: 15,
};

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
