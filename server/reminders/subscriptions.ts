import { z } from 'zod';
import type { SubscriptionDoc } from '../../typings/documents';
import { findOne, insertOnce } from '../platform/db';
import { AppError } from '../platform/errors';
import { ensureMember } from '../member/registration';
import { action } from '../platform/router';
import { loadConfig } from '../platform/config';
import { REMINDERS_CONFIG } from '../../core/config/reminders';

const templateId = z.lazy(() => z.string().min(1).max(128));

/**
 * The mini-program reports what the member chose in `wx.requestSubscribeMessage` (at most
 * three templates per tap, each once). Every accepted template is one one-time credit;
 * the reminder pass sends only against a credit and spends it.
 */
export const subscribe = action(
  () =>
    z
      .object({ accepted: z.array(templateId).max(3), rejected: z.array(templateId).max(3) })
      .strict()
      .refine((r) => new Set([...r.accepted, ...r.rejected]).size === r.accepted.length + r.rejected.length, {
        message: 'each template once per report',
      })
      .refine((r) => r.accepted.length + r.rejected.length <= 3, { message: 'at most 3 templates per request' }),
  async (ctx, input): Promise<{ credits: Record<string, number> }> => {
    const { member } = await ensureMember(ctx);
    const config = await loadConfig(ctx, REMINDERS_CONFIG);
    const allowed = new Set(Object.values(config.templates));
    const unknown = [...input.accepted, ...input.rejected].filter((id) => !allowed.has(id));
    if (unknown.length) throw new AppError('INVALID_INPUT', `unknown template ${unknown.join(', ')}`);
    const fresh: SubscriptionDoc = { _id: member.openid, credits: {}, sentDays: [] };
    await insertOnce(ctx.db, 'subscriptions', fresh);
    if (input.accepted.length) {
      const inc = ctx.db.command.inc(1);
      await ctx.db
        .collection('subscriptions')
        .doc(member.openid)
        .update({ data: { credits: Object.fromEntries(input.accepted.map((id) => [id, inc])) } });
    }
    const doc = await findOne(ctx.db, 'subscriptions', member.openid);
    return { credits: doc?.credits ?? {} };
  },
);
