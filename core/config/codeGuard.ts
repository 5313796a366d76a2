import { z } from 'zod';
import type { ConfigSpec } from './spec';

/**
 * Guessing protection for till codes (config document `config/codeGuard`). A code is an
 * 8-digit serial and a 6-digit one-time password: with the serial known, unlimited
 * guesses find the password in minutes. So each staff account has a rate of attempts,
 * and a coupon locks after a few wrong passwords in a short window.
 */
export const codeGuardConfigSchema = z.lazy(() =>
  z
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
    .strict(),
);
export type CodeGuardConfig = z.infer<typeof codeGuardConfigSchema>;

export const DEFAULT_CODE_GUARD: CodeGuardConfig = {
  version: 1,
  staffAttemptsPerMinute: 30,
  wrongCodesBeforeLock: 5,
  wrongWindowMinutes: 10,
  lockMinutes: 15,
};

export const CODE_GUARD_CONFIG: ConfigSpec<CodeGuardConfig> = {
  key: 'codeGuard',
  schema: codeGuardConfigSchema,
  defaults: DEFAULT_CODE_GUARD,
};
