import { z } from 'zod';
import type { OrderView } from '../../typings/api';
import { ensureMember } from '../member/registration';
import { findOne, inTransaction, txGet } from '../platform/db';
import { AppError } from '../platform/errors';
import { action } from '../platform/router';
import { orderView } from './mine';

/**
 * 确认收货: the member says their parcel arrived — a shipped order is done. Asked again (or
 * after the operator marked it done) it changes nothing; an order not yet shipped cannot be.
 */
export const confirmReceipt = action(
  () => z.object({ orderId: z.string().min(1).max(200) }).strict(),
  async (ctx, input): Promise<OrderView> => {
    const { member } = await ensureMember(ctx);
    const found = await findOne(ctx.db, 'orders', input.orderId);
    if (found?.openid !== member.openid || found.kind !== 'physical') throw new AppError('NOT_FOUND', '订单不存在');
    const now = ctx.clock.now();
    return inTransaction(ctx.db, async (tx) => {
      const order = await txGet(tx, 'orders', found._id);
      if (order.status === 'done') return orderView(order);
      if (order.status !== 'shipped') throw new AppError('ORDER_STATUS_INVALID', '订单尚未发货，暂不能确认收货');
      const moved = { status: 'done' as const, history: [...order.history, { status: 'done' as const, at: now, by: member.openid }] };
      await tx.collection('orders').doc(order._id).update({ data: moved });
      return orderView({ ...order, ...moved });
    });
  },
);
