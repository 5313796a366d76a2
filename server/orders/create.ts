import { createHash } from 'node:crypto';
import { BLOCK_MESSAGES, redeemBlock } from '../../core/mall/availability';
import { payOrderId, tierPrice } from '../../core/orders/order';
import { deliveryFor } from '../../core/orders/delivery';
import type { MallItem } from '../../core/mall/catalogue';
import type { PayConfig } from '../../core/config/pay';
import { spending } from '../../core/points/ledger';
import { beijingDay, wechatPayTime } from '../../core/time/beijing';
import type { PayOrderView } from '../../typings/api';
import type { PayOrderDoc } from '../../typings/documents';
import { loadConfigs } from '../platform/config';
import { PAY_CONFIG } from '../../core/config/pay';
import { TIERS_CONFIG } from '../../core/config/tiers';
import type { ServerContext } from '../platform/context';
import { findOne, inTransaction, insertOnce, txGet } from '../platform/db';
import { AppError } from '../platform/errors';
import { samePayload } from '../platform/idempotency';
import { itemRequest, loadItem, returnUnit, takeUnit } from '../mall/catalogue';
import { countOrder } from '../mall/limits';
import { ensureMember } from '../member/registration';
import { postJournal } from '../points/post';
import { action } from '../platform/router';
import { referralFor } from '../distribution/referral';
import { type Held, expireOrder } from './expire';
import { payOrderView } from './view';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The WeChat Pay order number of a member's request (a retry of the request finds its order). */
export const requestOrderId = (openid: string, requestId: string) => payOrderId(sha256, openid, requestId);

/**
 * Prepares a WeChat Pay order for an item with a cash price (`openPayOrder`): it holds a
 * unit of stock (conditional decrement), the member's count towards the item's limit and
 * the points part (posted). The member pays what their tier pays. A member brought to the
 * item by a friend's share carries the friend's commission on the order (分销).
 */
export const createPayOrder = action(
  () => itemRequest,
  async (ctx, { itemId, requestId, address }): Promise<PayOrderView> => {
    const { member } = await ensureMember(ctx);
    const id = requestOrderId(member.openid, requestId);
    const [item, [tiers, config], previous] = await Promise.all([
      loadItem(ctx, itemId),
      loadConfigs(ctx, TIERS_CONFIG, PAY_CONFIG),
      findOne(ctx.db, 'payOrders', id),
    ]);
    if (previous) return replayPayOrder(ctx, previous, samePayload(previous, { itemId }) && !previous.group, config);
    if (!item || item.cashPrice === undefined) throw new AppError('NOT_FOUND', '商品不存在或不支持微信支付');
    const now = ctx.clock.now();
    const block = redeemBlock(item, member, undefined, beijingDay(now));
    if (block) throw new AppError(block, BLOCK_MESSAGES[block]);
    const amount = tierPrice(item.cashPrice, member.tier, tiers);
    const referral = await referralFor(ctx, member.openid, itemId, amount);
    const order = newPayOrder(
      {
        _id: id,
        openid: member.openid,
        requestId,
        item,
        listPrice: item.cashPrice,
        amount,
        points: item.price,
        tier: member.tier,
        ...(referral ? { referral } : {}),
        ...(item.kind === 'physical' ? { delivery: deliveryFor(address) } : {}),
      },
      now,
      new Date(now.getTime() + config.orderMinutes * 60_000),
    );
    return openPayOrder(ctx, order, config, { item }, async () => {
      if (!(await takeUnit(ctx, itemId))) throw new AppError('SOLD_OUT', BLOCK_MESSAGES.SOLD_OUT);
      try {
        // The unit held, the item's limit counted and the points part taken together: what
        // expiry gives back, it finds here.
        await inTransaction(ctx.db, async (tx) => {
          await tx
            .collection('payOrders')
            .doc(id)
            .update({ data: { stockHeld: true } });
          await countOrder(tx, item, member.openid, beijingDay(now));
          if (order.points === 0) return;
          const m = await txGet(tx, 'members', member.openid);
          await postJournal(tx, m, [spending(`pay:${id}`, m.openid, order.points, id, now, beijingDay(now))]);
        });
      } catch (err) {
        await returnUnit(ctx, itemId);
        throw err;
      }
    });
  },
);

/** A new order waiting for payment: what is bought, for how much, until when. */
export function newPayOrder(
  base: Pick<
    PayOrderDoc,
    '_id' | 'openid' | 'requestId' | 'listPrice' | 'amount' | 'points' | 'tier' | 'group' | 'bargain' | 'delivery'
  > & {
    item: MallItem;
  },
  now: Date,
  expiresAt: Date,
): PayOrderDoc {
  const { item, ...fields } = base;
  return {
    ...fields,
    itemId: item._id,
    title: item.title,
    kind: item.kind,
    state: 'created',
    stockHeld: false,
    createdAt: now,
    expiresAt,
    paidAt: null,
    transactionId: null,
    couponId: null,
    orderId: null,
    earnedPoints: 0,
    refund: null,
    history: [{ state: 'created', at: now, note: '' }],
  };
}

/**
 * Opens a WeChat Pay order — an item's, a group seat's or a bargain's: the record first
 * (its number comes from the member's request, so a retry finds it, and a doubled tap's
 * twin answers with the same payment), then `hold` takes what the order needs — a refusal
 * expires the order, giving back what was taken (`held`), and comes back as is — then
 * `cloudPay.unifiedOrder`. Replies with what `wx.requestPayment` takes.
 */
export async function openPayOrder(
  ctx: ServerContext,
  order: PayOrderDoc,
  config: PayConfig,
  held: Held,
  hold: () => Promise<void>,
): Promise<PayOrderView> {
  if (!(await insertOnce(ctx.db, 'payOrders', order)))
    return replayPayOrder(ctx, (await findOne(ctx.db, 'payOrders', order._id)) as PayOrderDoc, true, config);
  try {
    await hold();
  } catch (err) {
    await expireOrder(ctx, order._id, err instanceof AppError ? err.message : '下单失败', held);
    throw err;
  }
  const payment = await prepare(ctx, order, config).catch(async (err: unknown) => {
    await expireOrder(ctx, order._id, '支付下单失败', held);
    throw err;
  });
  return payOrderView(order, payment);
}

/** A retried request finds its order: the same payment again while it waits; a different request with the same id is refused. */
export async function replayPayOrder(ctx: ServerContext, previous: PayOrderDoc, same: boolean, config: PayConfig): Promise<PayOrderView> {
  if (!same) throw new AppError('IDEMPOTENCY_KEY_REUSED', '该请求号已用于另一笔订单');
  const payable = previous.state === 'created' && new Date(previous.expiresAt) > ctx.clock.now();
  return payOrderView(previous, payable ? await prepare(ctx, previous, config) : null);
}

/**
 * `cloudPay.unifiedOrder` for the order (the same number and fee again answers the same),
 * with the order's expiry as `timeExpire`, so WeChat Pay takes no money after it.
 */
async function prepare(ctx: ServerContext, order: PayOrderDoc, config: PayConfig): Promise<Record<string, string>> {
  const reply = await ctx.pay('unifiedOrder', {
    body: order.title,
    outTradeNo: order._id,
    totalFee: order.amount,
    timeExpire: wechatPayTime(new Date(order.expiresAt)),
    spbillCreateIp: '127.0.0.1',
    subMchId: config.subMchId,
    functionName: config.notifyFunction,
  });
  if (reply.resultCode !== 'SUCCESS' || !reply['payment']) {
    ctx.log.error('unifiedOrder refused', { order: order._id, reason: reply.errCodeDes });
    throw new AppError('PAYMENT_UNAVAILABLE', '支付暂不可用，请稍后再试');
  }
  return reply['payment'] as Record<string, string>;
}
