import { z } from 'zod';
import type { ConfigSpec } from './spec';

/**
 * Operator config `config/pay`: the WeChat Pay sub-merchant the brand's orders are paid to,
 * how long an unpaid order holds its stock, and the function WeChat Pay notifies.
 */
export const payConfigSchema = z.lazy(() =>
  z
    .object({
      version: z.number().int().positive(),
      subMchId: z.string().regex(/^\d{6,32}$/),
      orderMinutes: z.number().int().min(5).max(120),
      notifyFunction: z.string().regex(/^[a-z][a-z0-9-]{1,48}$/),
      /** Failed attempts of one refund after which operators are alerted (it keeps being retried). */
      refundAlertAfter: z.number().int().min(1).max(50),
      /** Minutes after WeChat Pay accepted a refund before asking again, if its notification never came. */
      refundRecheckMinutes: z
        .number()
        .int()
        .min(5)
        .max(24 * 60),
    })
    .strict(),
);
export type PayConfig = z.infer<typeof payConfigSchema>;

export const DEFAULT_PAY_CONFIG: PayConfig = {
  version: 1,
  subMchId: '1900000109',
  orderMinutes: 15,
  notifyFunction: 'pay',
  refundAlertAfter: 5,
  refundRecheckMinutes: 30,
};

export const PAY_CONFIG: ConfigSpec<PayConfig> = { key: 'pay', schema: payConfigSchema, defaults: DEFAULT_PAY_CONFIG };
