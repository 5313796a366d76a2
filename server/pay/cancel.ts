import { z } from 'zod';
import { PAY_CONFIG } from '../../core/config/pay';
import { PAY_ORDER_ID } from '../../core/orders/order';
import type { PayOrderView } from '../../typings/api';
import { ensureMember } from '../member/registration';
import { payOrderView } from '../orders/view';
import { loadConfig } from '../platform/config';
import { findOne } from '../platform/db';
import { AppError } from '../platform/errors';
import { action } from '../platform/router';
import { closeUnpaid } from './settle';

/**
 * The member cancels their unpaid order (我的订单 → 取消订单): closed at WeChat Pay first,
 * then its stock, points and place go back (`closeUnpaid`). An order WeChat Pay says is
 * paid is not cancelled — it is booked as paid instead, and the reply says so. Cancelling
 * twice changes nothing more.
 */
export const cancelOrder = action(
  () => z.object({ orderId: z.string().regex(PAY_ORDER_ID) }).strict(),
  async (ctx, input): Promise<PayOrderView> => {
    const { member } = await ensureMember(ctx);
    const order = await findOne(ctx.db, 'payOrders', input.orderId);
    if (!order || order.openid !== member.openid) throw new AppError('NOT_FOUND', '订单不存在');
    if (order.state === 'created') await closeUnpaid(ctx, order, '会员取消订单', await loadConfig(ctx, PAY_CONFIG));
    // Whatever closing did — or a twin request, the timer or a payment did meanwhile — the order says how it ended.
    const now = (await findOne(ctx.db, 'payOrders', input.orderId)) ?? order;
    if (now.state === 'created') throw new AppError('CONFLICT', '支付状态确认中，请稍后再试');
    if (now.state !== 'expired') throw new AppError('ORDER_STATUS_INVALID', '订单已支付，无法取消');
    return payOrderView(now, null);
  },
);
