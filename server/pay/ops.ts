import { PAY_ORDER_ID } from '../../core/orders/order';
import { z } from 'zod';
import type { PayOrderDoc } from '../../typings/documents';
import { findDocs } from '../platform/db';
import { requireRole } from '../platform/roles';
import { action } from '../platform/router';
import { payOrderView } from '../orders/view';
import { requestRefund } from '../orders/refunds';

const orderId = z.lazy(() => z.string().regex(PAY_ORDER_ID));

/** Operators refund a paid order (the refund is retried until WeChat Pay takes it). */
export const refundPayOrder = action(
  () => z.object({ orderId, reason: z.string().trim().min(2).max(100) }).strict(),
  async (ctx, input) => {
    const operator = await requireRole(ctx, 'operator');
    return payOrderView(await requestRefund(ctx, input.orderId, input.reason, operator._id), null);
  },
);

/** Orders in a state, newest first — e.g. `refunding`, with how often the refund failed and why. */
export const payOrders = action(
  () => z.object({ state: z.enum(['created', 'paid', 'fulfilled', 'expired', 'refunding', 'refunded']) }).strict(),
  async (ctx, input) => {
    await requireRole(ctx, 'operator');
    const orders = await findDocs<PayOrderDoc>(
      ctx.db.collection('payOrders').where({ state: input.state }).orderBy('createdAt', 'desc').limit(100),
    );
    return orders.map((o) => ({
      ...payOrderView(o, null),
      openid: o.openid,
      refundAttempts: o.refund?.attempts ?? 0,
      lastError: o.refund?.lastError ?? null,
    }));
  },
);
