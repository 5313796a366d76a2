import { z } from 'zod';

/**
 * A cloud storage fileID as `wx.cloud.uploadFile` / `cloud.uploadFile` return it:
 * `cloud://<env>.<bucket>/<path>`, the path without `..`.
 */
export const fileIdSchema = z.lazy(() =>
  z
    .string()
    .regex(/^cloud:\/\/[A-Za-z0-9._-]+\/[A-Za-z0-9._/-]{1,200}$/)
    .refine((id) => !id.includes('..'), { message: 'no parent paths' }),
);
