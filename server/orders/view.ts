import { z } from 'zod';
import { PAY_ORDER_ID } from '../../core/orders/order';
import type { PayOrderView } from '../../typings/api';
import type { PayOrderDoc } from '../../typings/documents';
import { ensureMember } from '../member/registration';
import { findOne } from '../platform/db';
import { AppError } from '../platform/errors';
import { action } from '../platform/router';

/** The member's order, and how it stands. */
export const payOrder = action(
  () => z.object({ orderId: z.string().regex(PAY_ORDER_ID) }).strict(),
  async (ctx, input) => {
    const { member } = await ensureMember(ctx);
    const order = await findOne(ctx.db, 'payOrders', input.orderId);
    if (!order || order.openid !== member.openid) throw new AppError('NOT_FOUND', '订单不存在');
    return payOrderView(order, null);
  },
);

export function payOrderView(order: PayOrderDoc, payment: Record<string, string> | null): PayOrderView {
  return {
    orderId: order._id,
    itemId: order.itemId,
    title: order.title,
    listPrice: order.listPrice,
    amount: order.amount,
    points: order.points,
    state: order.state,
    expiresAt: new Date(order.expiresAt).toISOString(),
    couponId: order.couponId,
    fulfilmentOrderId: order.orderId,
    payment,
  };
}
