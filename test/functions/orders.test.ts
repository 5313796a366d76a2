import assert from 'node:assert/strict';
import type { OrderTab } from '../../typings/api';
import { code, emulatorPerFile, ok } from '../helpers/emulator';

/**
 * 我的订单 as a member follows an order: goods sent to the address `wx.chooseAddress` gave
 * or collected at a store, the tabs, the detail with its timeline and parcel, paying an
 * unpaid order later, cancelling it — and the operator shipping it.
 */
const suite = emulatorPerFile();
const emulator = suite.emulator;
const { member, call, raw, at, pay } = suite;

// biome-ignore lint/suspicious/noExplicitAny: documents as stored, read field by field
const doc = (c: string, id: string) => emulator().store.get(c, id) as any;
const stockOf = (itemId: string) => doc('mallItems', itemId).stock as number;

const ADDRESS = {
  userName: '张三',
  telNumber: '13800135678',
  provinceName: '广东省',
  cityName: '深圳市',
  countyName: '南山区',
  detailInfo: '科技园科苑路 15 号',
  postalCode: '518057',
};
const SHIPPING = { carrier: '顺丰速运', trackingNo: 'SF1234567890' };

let request = 0;
const buy = (openid: string, itemId = 'thermos-cup', address: unknown = ADDRESS) =>
  member(openid, { action: 'createPayOrder', itemId, requestId: `orders-${++request}`, ...(address ? { address } : {}) });
const tab = async (openid: string, name: OrderTab) =>
  ok(await member(openid, { action: 'myOrders', tab: name })).orders.map((o) => `${o.title}:${o.status}`);
const ship = (orderId: string, extra: Record<string, unknown> = { shipping: SHIPPING }) =>
  call('ops', 'demo-operator', { action: 'updateOrder', orderId, status: 'shipped', ...extra });

beforeEach(() => at('2026-05-10T10:00:00'));

describe('a goods order a member follows', () => {
  it('sent to the chosen address: 待付款, paid later from the detail, 待发货, shipped with its parcel, 已完成 — each in its tab', async () => {
    ok(await member('o-buyer', { action: 'home' }));
    const created = ok(await buy('o-buyer'));
    assert.deepEqual(await tab('o-buyer', 'unpaid'), ['品牌保温杯:unpaid']);
    const unpaid = ok(await member('o-buyer', { action: 'myOrder', id: created.orderId }));
    assert.equal(unpaid.delivery, 'express');
    assert.deepEqual(unpaid.address, ADDRESS);
    assert.ok(unpaid.payment, 'an unpaid order can be paid from its page');
    // The simulated clock runs on from 10:00 with real time: a second may have passed.
    assert.ok(
      unpaid.secondsLeft !== null && unpaid.secondsLeft > 14 * 60 && unpaid.secondsLeft <= 15 * 60,
      'within the order’s 15 minutes',
    );
    assert.ok(unpaid.image?.includes('/_emu/files/items/'), 'with the item’s picture');
    assert.deepEqual(
      unpaid.timeline.map((t) => t.text),
      ['提交订单'],
    );

    assert.equal(await pay(created.orderId), 'requestPayment:ok');
    assert.deepEqual(await tab('o-buyer', 'unpaid'), []);
    assert.deepEqual(await tab('o-buyer', 'toShip'), ['品牌保温杯:pending']);
    const goods = doc('payOrders', created.orderId).orderId as string;
    assert.deepEqual(doc('orders', goods).delivery, { kind: 'express', address: ADDRESS }, 'the address is kept on the goods');

    assert.equal(code(await ship(goods, {})), 'INVALID_INPUT', 'shipping needs the carrier and tracking number');
    assert.equal(code(await ship(goods, { shipping: { carrier: '顺丰', trackingNo: '<script>' } })), 'INVALID_INPUT');
    assert.equal(
      code(await call('ops', 'demo-operator', { action: 'updateOrder', orderId: goods, status: 'pickedUp' })),
      'ORDER_STATUS_INVALID',
    );
    ok(await ship(goods));
    assert.deepEqual(await tab('o-buyer', 'shipped'), ['品牌保温杯:shipped']);
    const shipped = ok(await member('o-buyer', { action: 'myOrder', id: goods }));
    assert.deepEqual(shipped.shipping, SHIPPING);
    assert.deepEqual(
      shipped.timeline.map((t) => t.text),
      ['提交订单', '支付成功', '等待发货', '已发货：顺丰速运 SF1234567890'],
    );
    assert.equal(shipped.payment, null);

    ok(await call('ops', 'demo-operator', { action: 'updateOrder', orderId: goods, status: 'done' }));
    assert.deepEqual(await tab('o-buyer', 'done'), ['品牌保温杯:done']);
    assert.deepEqual(await tab('o-buyer', 'all'), ['品牌保温杯:done']);
  });

  it('the member confirms receipt of a shipped parcel (确认收货): done, once; not before it ships, not someone else’s', async () => {
    ok(await member('o-receive', { action: 'home' }));
    const created = ok(await buy('o-receive'));
    await pay(created.orderId);
    const goods = doc('payOrders', created.orderId).orderId as string;
    const confirm = (openid: string) => member(openid, { action: 'confirmReceipt', orderId: goods });
    assert.equal(code(await confirm('o-receive')), 'ORDER_STATUS_INVALID', 'not shipped yet');
    ok(await ship(goods));
    assert.equal(code(await confirm('o-someone')), 'NOT_FOUND');
    const both = await Promise.all([confirm('o-receive'), confirm('o-receive')]);
    assert.deepEqual(
      both.map((r) => ok(r).status),
      ['done', 'done'],
    );
    assert.equal(doc('orders', goods).history.filter((h: { status: string }) => h.status === 'done').length, 1, 'done once');
    assert.deepEqual(await tab('o-receive', 'done'), ['品牌保温杯:done']);
  });

  it('redeemed with points and no address: collected at a store — picked up, never shipped', async () => {
    ok(await member('o-pickup', { action: 'home' }));
    ok(
      await call('ops', 'demo-operator', {
        action: 'grant',
        openid: 'o-pickup',
        points: 2000,
        reason: '测试',
        requestId: 'orders-grant-1',
      }),
    );
    const redeemed = ok(await member('o-pickup', { action: 'redeem', itemId: 'gift-mug', requestId: 'orders-mug-1' }));
    const orderId = redeemed.orderId as string;
    const detail = ok(await member('o-pickup', { action: 'myOrder', id: orderId }));
    assert.deepEqual([detail.delivery, detail.address, detail.cash], ['pickup', null, null]);
    assert.deepEqual(
      detail.timeline.map((t) => t.text),
      ['兑换成功，等待到店自提'],
    );
    assert.equal(code(await ship(orderId)), 'ORDER_STATUS_INVALID');
    ok(await call('ops', 'demo-operator', { action: 'updateOrder', orderId, status: 'pickedUp' }));
    assert.deepEqual(await tab('o-pickup', 'done'), ['品牌马克杯:pickedUp']);
  });

  it('a member cancels an unpaid order: the unit goes back, once; a paid one cannot be cancelled', async () => {
    ok(await member('o-cancel', { action: 'home' }));
    const stock = stockOf('thermos-cup');
    const created = ok(await buy('o-cancel'));
    assert.equal(stockOf('thermos-cup'), stock - 1);
    const twice = await Promise.all([
      member('o-cancel', { action: 'cancelOrder', orderId: created.orderId }),
      member('o-cancel', { action: 'cancelOrder', orderId: created.orderId }),
    ]);
    assert.deepEqual(
      twice.map((r) => ok(r).state),
      ['expired', 'expired'],
    );
    assert.equal(stockOf('thermos-cup'), stock, 'one unit back, not two');
    assert.deepEqual(await tab('o-cancel', 'all'), ['品牌保温杯:closed']);
    assert.equal(await pay(created.orderId), 'requestPayment:fail', 'WeChat Pay closed it');
    const detail = ok(await member('o-cancel', { action: 'myOrder', id: created.orderId }));
    assert.deepEqual(
      detail.timeline.map((t) => t.text),
      ['提交订单', '订单关闭：会员取消订单'],
    );

    const paid = ok(await buy('o-cancel'));
    await pay(paid.orderId);
    assert.equal(code(await member('o-cancel', { action: 'cancelOrder', orderId: paid.orderId })), 'ORDER_STATUS_INVALID');
    assert.equal(code(await member('o-stranger', { action: 'cancelOrder', orderId: created.orderId })), 'NOT_FOUND');
    assert.equal(code(await member('o-stranger', { action: 'myOrder', id: paid.orderId })), 'NOT_FOUND');
  });

  it('paid at the same moment as cancelled: WeChat Pay’s word wins — the order is booked as paid, nothing goes back', async () => {
    ok(await member('o-race', { action: 'home' }));
    const stock = stockOf('thermos-cup');
    const created = ok(await buy('o-race'));
    // The member paid in WeChat; its notification has not arrived when the cancel does.
    assert.equal(await pay(created.orderId, 'success', 'held'), 'requestPayment:ok');
    assert.equal(code(await member('o-race', { action: 'cancelOrder', orderId: created.orderId })), 'ORDER_STATUS_INVALID');
    assert.equal(doc('payOrders', created.orderId).state, 'fulfilled');
    assert.equal(stockOf('thermos-cup'), stock - 1);
    assert.deepEqual(await tab('o-race', 'toShip'), ['品牌保温杯:pending']);
  });

  it('a refunded order is in 退款 with the refund’s state', async () => {
    ok(await member('o-refund', { action: 'home' }));
    const created = ok(await buy('o-refund'));
    await pay(created.orderId);
    ok(await call('ops', 'demo-operator', { action: 'refundPayOrder', orderId: created.orderId, reason: '缺货退款' }));
    const [row] = await tab('o-refund', 'refund');
    assert.match(row ?? '', /^品牌保温杯:refund(ing|ed)$/);
    assert.deepEqual(await tab('o-refund', 'toShip'), []);
  });

  it('refuses a bad address and changes nothing', async () => {
    ok(await member('o-typo', { action: 'home' }));
    const stock = stockOf('thermos-cup');
    for (const address of [
      { ...ADDRESS, userName: '' },
      { ...ADDRESS, detailInfo: '<img src=x onerror=alert(1)>' },
      { ...ADDRESS, telNumber: 'x' },
      'somewhere',
    ])
      assert.equal(
        code(await raw('member', 'o-typo', { action: 'createPayOrder', itemId: 'thermos-cup', requestId: `typo-${++request}`, address })),
        'INVALID_INPUT',
      );
    assert.equal(stockOf('thermos-cup'), stock);
    assert.deepEqual(await tab('o-typo', 'all'), []);
  });
});
