import { z } from 'zod';
import { PICKUP, canMoveOrder, shippingSchema } from '../../core/orders/delivery';
import { refund } from '../../core/points/ledger';
import { beijingDay } from '../../core/time/beijing';
import type { OrderView } from '../../typings/api';
import type { OrderDoc } from '../../typings/documents';
import { findDocs, findOne, inTransaction, txGet } from '../platform/db';
import { countBack } from '../mall/limits';
import { AppError } from '../platform/errors';
import { orderView } from './mine';
import { loadItem } from '../mall/catalogue';
import { requireRole } from '../platform/roles';
import { action } from '../platform/router';
import { postJournal } from '../points/post';

const statuses = z.lazy(() => z.enum(['pending', 'shipped', 'pickedUp', 'done', 'cancelled']));

/** Fulfilment orders, oldest first (the queue to work through), optionally by status. */
export const orders = action(
  () =>
    z
      .object({
        status: statuses.optional(),
        cursor: z.string().max(200).optional(),
        pageSize: z.number().int().min(1).max(100).optional(),
      })
      .strict(),
  async (ctx, input): Promise<{ orders: (OrderView & { openid: string })[]; nextCursor: string | null }> => {
    await requireRole(ctx, 'operator');
    const _ = ctx.db.command;
    const pageSize = input.pageSize ?? 50;
    const where = {
      kind: 'physical',
      ...(input.status ? { status: input.status } : {}),
      ...(input.cursor ? { _id: _.gt(input.cursor) } : {}),
    };
    const rows = await findDocs<OrderDoc>(
      ctx.db
        .collection('orders')
        .where(where)
        .orderBy('_id', 'asc')
        .limit(pageSize + 1),
    );
    const page = rows.slice(0, pageSize);
    return {
      orders: page.map((o) => ({ ...orderView(o), openid: o.openid })),
      nextCursor: rows.length > pageSize ? (page.at(-1)?._id ?? null) : null,
    };
  },
);

const STATUS_NAMES: Record<OrderDoc['status'], string> = {
  pending: '待发货',
  shipped: '已发货',
  pickedUp: '已自提',
  done: '已完成',
  cancelled: '已取消',
};

/**
 * Moves a physical order on or cancels it: an order sent to an address is shipped — with
 * its carrier and tracking number, which the member then sees — then done; one collected
 * at a store is picked up, then done. Cancelling returns
 * the member's points (a reversal entry), the unit of stock and the member's use of the
 * item's limit (a cancelled unit no longer counts) in the same transaction, so a doubled
 * cancel refunds once and a redemption racing the cancel sees the counts before or after.
 */
export const updateOrder = action(
  () =>
    z
      .object({
        orderId: z.string().min(1).max(200),
        status: statuses.unwrap().exclude(['pending']),
        shipping: shippingSchema.optional(),
      })
      .strict()
      .refine((u) => (u.status === 'shipped') === (u.shipping !== undefined), {
        message: '发货需填写快递公司和单号（仅发货时填写）',
        path: ['shipping'],
      }),
  async (ctx, input): Promise<OrderView> => {
    const operator = await requireRole(ctx, 'operator');
    const now = ctx.clock.now();
    const current = await findOne(ctx.db, 'orders', input.orderId);
    if (current?.kind !== 'physical') throw new AppError('NOT_FOUND', '订单不存在');
    // Goods paid with money are undone by refunding their pay order (refundPayOrder), which returns the money.
    if (input.status === 'cancelled' && (await findOne(ctx.db, 'payOrders', current._id)))
      throw new AppError('ORDER_STATUS_INVALID', '微信支付订单请通过退款取消');
    const item = await loadItem(ctx, current.itemId);
    return inTransaction(ctx.db, async (tx) => {
      const order = await txGet(tx, 'orders', current._id);
      const delivery = order.delivery ?? PICKUP;
      if (!canMoveOrder(delivery.kind, order.status, input.status))
        throw new AppError(
          'ORDER_STATUS_INVALID',
          `${delivery.kind === 'express' ? '快递' : '自提'}订单不能从「${STATUS_NAMES[order.status]}」变为「${STATUS_NAMES[input.status]}」`,
        );
      const history = [...order.history, { status: input.status, at: now, by: operator._id }];
      const moved = { status: input.status, history, ...(input.shipping ? { shipping: input.shipping } : {}) };
      await tx.collection('orders').doc(order._id).update({ data: moved });
      if (input.status === 'cancelled') {
        if (order.price > 0) {
          const member = await txGet(tx, 'members', order.openid);
          await postJournal(tx, member, [refund(`refund:${order._id}`, order.openid, order.price, order._id, now, beijingDay(now))]);
        }
        await tx
          .collection('mallItems')
          .doc(order.itemId)
          .update({ data: { stock: ctx.db.command.inc(1) } });
        await countBack(tx, order.openid, order.itemId, item?.limit ?? {}, beijingDay(order.at));
      }
      return orderView({ ...order, ...moved });
    });
  },
);
