import assert from 'node:assert/strict';
import type { PayOrderView } from '../../typings/api';
import { attemptRefund } from '../../server/orders/refunds';
import { code, emulatorPerFile, ok, serverContextAgainst } from '../helpers/emulator';

const suite = emulatorPerFile();
const emulator = suite.emulator;
const { member, call, raw, at, pay, deliverPay, fireTimer: fire } = suite;

// biome-ignore lint/suspicious/noExplicitAny: documents as stored, read field by field
const doc = (c: string, id: string) => emulator().store.get(c, id) as any;
const all = (c: string, openid: string) =>
  emulator()
    .store.all(c)
    .filter((d) => d['openid'] === openid);
const stockOf = (itemId: string) => doc('mallItems', itemId).stock as number;
let request = 0;
const order = (openid: string, itemId: string, requestId = `pay-req-${++request}`) =>
  member(openid, { action: 'createPayOrder', itemId, requestId });
/** A notification as WeChat Pay delivers it: to the `pay` function, with no caller identity. */
const notify = (event: unknown) => emulator().invoke('pay', event, 'platform');
const stateOf = (orderId: string) => doc('payOrders', orderId).state as PayOrderView['state'];
const seedPoints = (openid: string, points: number) =>
  call('ops', 'demo-operator', { action: 'grant', openid, points, reason: 'test', requestId: `seed-${openid}-${points}` });

beforeEach(() => at('2026-05-10T10:00:00'));

describe('WeChat Pay orders', () => {
  it('paid: the order is fulfilled once even when WeChat Pay notifies twice; spend, points and tier move once', async () => {
    ok(await member('o-payer', { action: 'home' }));
    const before = stockOf('thermos-cup');
    const created = ok(await order('o-payer', 'thermos-cup'));
    assert.deepEqual([created.state, created.amount, created.listPrice], ['created', 9900, 9900]);
    assert.match(created.payment?.['package'] ?? '', /^prepay_id=/);
    assert.equal(stockOf('thermos-cup'), before - 1, 'a unit is held while the member pays');
    assert.equal(await pay(created.orderId, 'success', 'twice'), 'requestPayment:ok');
    const paid = ok(await member('o-payer', { action: 'payOrder', orderId: created.orderId }));
    assert.equal(paid.state, 'fulfilled');
    assert.ok(paid.fulfilmentOrderId, 'the goods are ordered for the operator to ship');
    assert.deepEqual(
      all('spendLedger', 'o-payer').map((l) => [l['amount'], l['counterparty']]),
      [[9900, 'wechat-pay']],
    );
    assert.equal(doc('members', 'o-payer').points, 99);
    assert.equal(stockOf('thermos-cup'), before - 1);
    const reconciled = ok(await call('ops', 'demo-operator', { action: 'reconcile' }));
    assert.deepEqual([reconciled.mismatches, reconciled.spendMismatches], [[], []]);
  });

  it('a silver member pays the silver price; points + cash takes the points when the order is made', async () => {
    ok(await member('o-silver', { action: 'home' }));
    const code16 = ok(await member('o-silver', { action: 'memberCode' })).code as string;
    ok(await call('staff', 'demo-staff', { action: 'recordPurchase', code: code16, amount: 100_000, requestId: 'silver-up-1' }));
    const view = ok(await member('o-silver', { action: 'mallItem', itemId: 'thermos-cup' }));
    assert.deepEqual([view.cashPrice, view.memberCashPrice], [9900, 9405]);
    assert.equal(ok(await order('o-silver', 'thermos-cup')).amount, 9405);
    const mixed = ok(await order('o-silver', 'coupon-100-minus-20-cash'));
    assert.deepEqual([mixed.amount, mixed.points], [941, 100]);
    assert.equal(doc('members', 'o-silver').points, 1000 - 100);
    await pay(mixed.orderId);
    const done = ok(await member('o-silver', { action: 'payOrder', orderId: mixed.orderId }));
    assert.equal(done.state, 'fulfilled');
    assert.equal(doc('coupons', done.couponId as string).templateKey, 'mall-100-minus-20');
  });

  it('兑换记录 lists everything from the mall, with what it cost: the cup bought with money, a coupon bought with points + money, one redeemed with points', async () => {
    ok(await member('o-records', { action: 'home' }));
    ok(await seedPoints('o-records', 500));
    const cup = ok(await order('o-records', 'thermos-cup'));
    await pay(cup.orderId);
    at('2026-05-10T10:01:00');
    const mixed = ok(await order('o-records', 'coupon-100-minus-20-cash'));
    await pay(mixed.orderId);
    at('2026-05-10T10:02:00');
    ok(await member('o-records', { action: 'redeem', itemId: 'coupon-85-off', requestId: 'records-redeem-1' }));
    const { orders } = ok(await member('o-records', { action: 'myOrders' }));
    assert.deepEqual(
      orders.map((o) => [o.title, o.kind, o.price, o.cash, o.status]),
      [
        ['8.5折券', 'coupon', 300, null, 'unused'],
        ['满100减20券', 'coupon', 100, 990, 'unused'],
        ['品牌保温杯', 'physical', 0, 9900, 'pending'],
      ],
      'newest first; goods bought with money show the money, not "0 积分"',
    );
    const page2 = ok(await member('o-records', { action: 'myOrders', page: 1, pageSize: 2 }));
    assert.deepEqual([page2.orders.map((o) => o.kind), page2.hasMore], [['physical'], false]);
  });

  it('unpaid past its time: the order expires, its stock and points go back; a cancelled payment changes nothing first', async () => {
    ok(await member('o-late', { action: 'home' }));
    ok(await seedPoints('o-late', 300));
    const before = stockOf('coupon-100-minus-20-cash');
    const created = ok(await order('o-late', 'coupon-100-minus-20-cash'));
    assert.equal(doc('members', 'o-late').points, 200);
    assert.equal(await pay(created.orderId, 'cancel'), 'requestPayment:fail cancel');
    at('2026-05-10T10:14:00');
    await fire();
    assert.equal(stateOf(created.orderId), 'created', 'still within its 15 minutes');
    at('2026-05-10T10:16:00');
    await fire();
    await fire();
    assert.equal(stateOf(created.orderId), 'expired');
    assert.equal(stockOf('coupon-100-minus-20-cash'), before);
    assert.equal(doc('members', 'o-late').points, 300);
    assert.equal(await pay(created.orderId), 'requestPayment:fail', 'WeChat Pay closed it');
  });

  it('paid but notified late: the timer finds the payment when it would expire the order, and fulfils it', async () => {
    ok(await member('o-slow', { action: 'home' }));
    const created = ok(await order('o-slow', 'thermos-cup'));
    await pay(created.orderId, 'success', 'held');
    assert.equal(stateOf(created.orderId), 'created');
    at('2026-05-10T10:20:00');
    await fire();
    assert.equal(stateOf(created.orderId), 'fulfilled');
    await deliverPay(); // the notification, at last
    assert.equal(stateOf(created.orderId), 'fulfilled');
    assert.equal(all('spendLedger', 'o-slow').length, 1);
  });

  it('a doubled buy tap is one order, both taps can pay it; its goods are cancelled by a refund, not as a points order', async () => {
    ok(await member('o-double', { action: 'home' }));
    const taps = await Promise.all([order('o-double', 'thermos-cup', 'double-tap-1'), order('o-double', 'thermos-cup', 'double-tap-1')]);
    const [a, b] = taps.map(ok) as [PayOrderView, PayOrderView];
    assert.equal(a.orderId, b.orderId);
    assert.ok(a.payment && b.payment, 'both taps can open the payment');
    await pay(a.orderId);
    const goods = doc('payOrders', a.orderId).orderId as string;
    const cancel = await call('ops', 'demo-operator', { action: 'updateOrder', orderId: goods, status: 'cancelled' });
    assert.equal(code(cancel), 'ORDER_STATUS_INVALID');
    assert.equal(doc('orders', goods).status, 'pending');
    // Refunding it cancels the unshipped goods and puts the unit back.
    const stock = stockOf('thermos-cup');
    ok(await call('ops', 'demo-operator', { action: 'refundPayOrder', orderId: a.orderId, reason: '未发货退款' }));
    assert.equal(doc('orders', goods).status, 'cancelled');
    assert.equal(stockOf('thermos-cup'), stock + 1);
  });

  it('refunds once however often asked, taking back spend and earned points and stopping the coupon', async () => {
    ok(await member('o-refund', { action: 'home' }));
    ok(await seedPoints('o-refund', 100));
    const created = ok(await order('o-refund', 'coupon-100-minus-20-cash'));
    await pay(created.orderId);
    const asks = await Promise.all(
      Array.from({ length: 5 }, () =>
        call('ops', 'demo-operator', { action: 'refundPayOrder', orderId: created.orderId, reason: '顾客申请退款' }),
      ),
    );
    assert.equal(asks.filter((r) => r.ok).length, 1, asks.map(code).join());
    await deliverPay();
    assert.equal(stateOf(created.orderId), 'refunded');
    assert.equal(
      emulator()
        .pay.payments()
        .filter((p) => p._id === created.orderId)[0]?.state,
      'REFUND',
    );
    assert.equal(
      all('spendLedger', 'o-refund').reduce((sum, l) => sum + (l['amount'] as number), 0),
      0,
    );
    assert.equal(doc('members', 'o-refund').points, 100, 'the points part back, the 9 earned taken back');
    const coupon = ok(await member('o-refund', { action: 'coupon', couponId: doc('payOrders', created.orderId).couponId }));
    assert.equal(coupon.state, 'expired');
    assert.equal(
      code(await call('ops', 'demo-operator', { action: 'refundPayOrder', orderId: created.orderId, reason: '再退一次' })),
      'ORDER_STATUS_INVALID',
    );
  });

  it('a refund and a write-off of the order’s coupon at once: never both — the coupon is used or the money goes back', async () => {
    for (let round = 0; round < 6; round++) {
      const openid = `o-till-race-${round}`;
      ok(await member(openid, { action: 'home' }));
      ok(await seedPoints(openid, 100));
      const created = ok(await order(openid, 'coupon-100-minus-20-cash'));
      await pay(created.orderId);
      const { code: tillCode } = ok(await member(openid, { action: 'couponCode', couponId: doc('payOrders', created.orderId).couponId }));
      const [writtenOff, refunded] = await Promise.all([
        call('staff', 'demo-staff', { action: 'writeOff', code: tillCode, orderAmount: 12_000 }),
        call('ops', 'demo-operator', { action: 'refundPayOrder', orderId: created.orderId, reason: '顾客申请退款' }),
      ]);
      assert.ok(!(writtenOff.ok && refunded.ok), `round ${round}: written off and refunded (${code(writtenOff)}, ${code(refunded)})`);
      assert.ok(writtenOff.ok || refunded.ok, `round ${round}: neither (${code(writtenOff)}, ${code(refunded)})`);
    }
  });

  it('a refund WeChat Pay refuses is retried with backoff until it goes through; operators see it failing', async () => {
    ok(await member('o-stuck', { action: 'home' }));
    const created = ok(await order('o-stuck', 'thermos-cup'));
    await pay(created.orderId);
    emulator().pay.failRefunds = 5;
    ok(await call('ops', 'demo-operator', { action: 'refundPayOrder', orderId: created.orderId, reason: '质量问题' }));
    // Tried again after 1, 2, 4, 8 minutes (the firings come a little after each is due).
    for (const minute of [2, 5, 10, 20]) {
      at(`2026-05-10T10:${String(minute).padStart(2, '0')}:00`);
      await fire();
    }
    const failing = ok(await call('ops', 'demo-operator', { action: 'payOrders', state: 'refunding' }));
    const mine = failing.find((o) => o.orderId === created.orderId);
    assert.equal(mine?.refundAttempts, 5);
    assert.match(mine?.lastError ?? '', /系统超时/);
    assert.ok(emulator().store.get('alerts', `refund-failing:${created.orderId}`), 'operators are alerted');
    assert.equal(emulator().store.get('alerts', `refund-failing:${created.orderId}`)?.['attempts'], 5, 'at config/pay.refundAlertAfter');
    at('2026-05-10T10:30:00');
    await fire();
    assert.equal(stateOf(created.orderId), 'refunding', 'the next attempt is not due before 10:36');
    at('2026-05-10T10:40:00');
    await fire();
    await deliverPay();
    assert.equal(stateOf(created.orderId), 'refunded');
    assert.equal(all('spendLedger', 'o-stuck').length, 2);
  });

  it('refund attempts at once (timer firings, a notification) make one: a refused one is not retried before its backoff', async () => {
    ok(await member('o-twice', { action: 'home' }));
    const created = ok(await order('o-twice', 'thermos-cup'));
    await pay(created.orderId);
    emulator().pay.failRefunds = 1;
    ok(await call('ops', 'demo-operator', { action: 'refundPayOrder', orderId: created.orderId, reason: '质量问题' }));
    emulator().pay.failRefunds = 1;
    at('2026-05-10T10:02:00'); // the second attempt is due (1 minute after the first)
    const ctx = serverContextAgainst(emulator());
    await Promise.all(Array.from({ length: 6 }, () => attemptRefund(ctx, created.orderId)));
    await deliverPay();
    assert.equal(stateOf(created.orderId), 'refunding', 'one attempt, refused; none went on to ask again at once');
    assert.equal(emulator().pay.failRefunds, 0);
    const refund = emulator().store.get('payOrders', created.orderId)?.['refund'] as { attempts: number; lastError: string | null };
    assert.deepEqual([refund.attempts, typeof refund.lastError], [2, 'string']);
  });

  it('forged notifications change nothing: from a member they are refused, from anywhere they must be confirmed by WeChat Pay', async () => {
    ok(await member('o-forger', { action: 'home' }));
    const created = ok(await order('o-forger', 'thermos-cup'));
    const forged = {
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      outTradeNo: created.orderId,
      transactionId: 'x',
      totalFee: created.amount,
    };
    const fromMember = await raw('pay', 'o-forger', forged);
    assert.equal(code(fromMember), 'FORBIDDEN');
    const fromNowhere = await notify(forged);
    assert.deepEqual(fromNowhere, { ok: true, value: { errcode: 0, errmsg: 'OK' } });
    assert.equal(stateOf(created.orderId), 'created');
    assert.equal(all('spendLedger', 'o-forger').length, 0);
  });

  it('a refund notification counts only when WeChat Pay confirms it: forged, mismatched or early, it changes nothing', async () => {
    ok(await member('o-refund-forger', { action: 'home' }));
    const created = ok(await order('o-refund-forger', 'thermos-cup'));
    await pay(created.orderId);
    emulator().pay.failRefunds = 1;
    ok(await call('ops', 'demo-operator', { action: 'refundPayOrder', orderId: created.orderId, reason: '顾客退货' }));
    assert.equal(stateOf(created.orderId), 'refunding', 'WeChat Pay refused the refund');
    const forged = { returnCode: 'SUCCESS', outTradeNo: created.orderId, refundStatus: 'SUCCESS' };
    const refundNo = `R${created.orderId.slice(1)}`;
    for (const outRefundNo of ['x', refundNo]) {
      const reply = await notify({ ...forged, outRefundNo });
      assert.deepEqual(reply, { ok: true, value: { errcode: 0, errmsg: 'OK' } }, 'acknowledged: redelivery would not help');
    }
    const stored = doc('payOrders', created.orderId);
    assert.equal(stored.state, 'refunding', 'still owed: WeChat Pay shows the trade paid');
    assert.equal(stored.refund.attempts, 1, 'its retries go on');
    assert.equal(all('spendLedger', 'o-refund-forger').length, 1, 'the spend stands');
    // The retry goes through; WeChat Pay's own notification, confirmed, ends it.
    at('2026-05-10T10:02:00');
    await fire();
    await deliverPay();
    assert.equal(stateOf(created.orderId), 'refunded');
    assert.equal(all('spendLedger', 'o-refund-forger').length, 2);
  });

  it('a refund whose notification never arrives is finished by the timer’s re-check, which asks WeChat Pay', async () => {
    ok(await member('o-lost', { action: 'home' }));
    const created = ok(await order('o-lost', 'thermos-cup'));
    await pay(created.orderId);
    // The notifications go where no function listens (a misconfigured notifyFunction, an outage).
    const payConfig = {
      _id: 'pay',
      subMchId: '1900000109',
      orderMinutes: 15,
      notifyFunction: 'nowhere',
      refundAlertAfter: 5,
      refundRecheckMinutes: 30,
    };
    emulator().database.apply([{ collection: 'config', id: 'pay', doc: payConfig, mode: 'put' }]);
    ok(await call('ops', 'demo-operator', { action: 'refundPayOrder', orderId: created.orderId, reason: '顾客退货' }));
    await deliverPay();
    assert.equal(stateOf(created.orderId), 'refunding', 'the refund went through, but nobody was told');
    at('2026-05-10T10:31:00');
    await fire();
    assert.equal(stateOf(created.orderId), 'refunded');
    assert.equal(all('spendLedger', 'o-lost').length, 2);
    emulator().database.apply([{ collection: 'config', id: 'pay', doc: null, mode: 'put' }]);
  });

  it('WeChat Pay is given the order’s expiry and takes no money after it; a payment it reports after the expiry is refunded, not fulfilled', async () => {
    ok(await member('o-expiry', { action: 'home' }));
    const before = stockOf('thermos-cup');
    const late = ok(await order('o-expiry', 'thermos-cup'));
    const atWeChat = emulator()
      .pay.payments()
      .find((p) => p._id === late.orderId);
    const toTheSecond = Math.floor(Date.parse(late.expiresAt) / 1000) * 1000;
    assert.equal(new Date(atWeChat?.expiresAt ?? 0).getTime(), toTheSecond, 'time_expire is the order’s own expiry (in whole seconds)');
    at('2026-05-10T10:15:30');
    assert.equal(await pay(late.orderId), 'requestPayment:fail 订单已过期', 'before the timer has closed it');
    assert.equal(stateOf(late.orderId), 'created');
    // WeChat Pay and the order disagree on the time (a clock off, an order edited): WeChat
    // Pay takes the money at 10:05 for an order that ended at 10:01.
    at('2026-05-10T10:00:00');
    const skewed = ok(await order('o-expiry', 'thermos-cup'));
    emulator().database.apply([
      {
        collection: 'payOrders',
        id: skewed.orderId,
        doc: { ...doc('payOrders', skewed.orderId), expiresAt: new Date('2026-05-10T10:01:00+08:00') },
        mode: 'put',
      },
    ]);
    at('2026-05-10T10:05:00');
    assert.equal(await pay(skewed.orderId), 'requestPayment:ok');
    await deliverPay();
    const o = doc('payOrders', skewed.orderId);
    assert.deepEqual(
      o.history.map((h: { state: string }) => h.state),
      ['created', 'expired', 'refunding', 'refunded'],
    );
    assert.equal(o.orderId, null, 'no goods ordered');
    assert.equal(all('spendLedger', 'o-expiry').length, 0);
    at('2026-05-10T10:16:00');
    await fire();
    assert.equal(stockOf('thermos-cup'), before, 'both units back');
  });

  it('bad input: points-only items, cash items through redeem, unknown items and reused request ids', async () => {
    ok(await member('o-bad', { action: 'home' }));
    assert.equal(code(await order('o-bad', 'coupon-85-off')), 'NOT_FOUND');
    assert.equal(code(await order('o-bad', 'no-such-item')), 'NOT_FOUND');
    assert.equal(code(await member('o-bad', { action: 'redeem', itemId: 'thermos-cup', requestId: 'redeem-cash-1' })), 'ITEM_UNAVAILABLE');
    ok(await order('o-bad', 'thermos-cup', 'same-request-1'));
    assert.equal(code(await order('o-bad', 'coupon-100-minus-20-cash', 'same-request-1')), 'IDEMPOTENCY_KEY_REUSED');
    assert.equal(code(await raw('member', 'o-bad', { action: 'createPayOrder', itemId: 'thermos-cup', requestId: 'x' })), 'INVALID_INPUT');
    assert.equal(
      code(await raw('member', 'o-bad', { action: 'createPayOrder', itemId: 'thermos-cup', requestId: 'ok-request-1', amount: 1 })),
      'INVALID_INPUT',
    );
    assert.equal(code(await member('o-bad', { action: 'payOrder', orderId: `P${'0'.repeat(30)}` })), 'NOT_FOUND');
  });

  it('an item’s limit holds for money too: counted when the order is made, given back when it expires, exact under racing orders', async () => {
    const item = {
      _id: 'one-per-member',
      title: '限购一件',
      kind: 'physical',
      price: 0,
      cashPrice: 500,
      stock: 50,
      limit: { lifetime: 1 },
      enabled: true,
    };
    ok(await call('ops', 'demo-operator', { action: 'putItem', item }));
    ok(await member('o-limit', { action: 'home' }));
    const first = ok(await order('o-limit', 'one-per-member'));
    assert.equal(code(await order('o-limit', 'one-per-member')), 'REDEEM_LIMIT_REACHED');
    at('2026-05-10T10:20:00');
    await fire();
    assert.equal(stateOf(first.orderId), 'expired');
    const again = ok(await order('o-limit', 'one-per-member'));
    await pay(again.orderId);
    assert.equal(code(await order('o-limit', 'one-per-member')), 'REDEEM_LIMIT_REACHED');
    ok(await member('o-racer', { action: 'home' }));
    const racing = await Promise.all(Array.from({ length: 5 }, () => order('o-racer', 'one-per-member')));
    assert.equal(racing.filter((r) => r.ok).length, 1, racing.map(code).join());
    assert.equal(stockOf('one-per-member'), 50 - 2, 'refused orders put their unit back');
  });

  it('config/pay is validated: an impossible alert threshold or re-check time is listed and the defaults apply', async () => {
    emulator().database.apply([
      { collection: 'config', id: 'pay', doc: { _id: 'pay', refundAlertAfter: 0, refundRecheckMinutes: -1 }, mode: 'put' },
    ]);
    const issues = ok(await call('ops', 'demo-operator', { action: 'configIssues' }));
    const pay = issues.find((i) => i.collection === 'config' && i.id === 'pay');
    assert.ok(pay?.problems.some((p) => /refundAlertAfter/.test(p)) && pay.problems.some((p) => /refundRecheckMinutes/.test(p)));
    ok(await member('o-config-pay', { action: 'home' }));
    assert.equal(ok(await order('o-config-pay', 'thermos-cup')).state, 'created', 'orders still work on the defaults');
    emulator().database.apply([{ collection: 'config', id: 'pay', doc: null, mode: 'put' }]);
  });

  it('twenty members paying at once, every notification delivered twice: one posting each', async () => {
    const members = Array.from({ length: 20 }, (_, i) => `o-storm-${i}`);
    for (const m of members) ok(await member(m, { action: 'home' }));
    const orders = await Promise.all(
      members.map((m) =>
        order(m, 'coupon-100-minus-20-cash')
          .then(ok)
          .catch(() => null),
      ),
    );
    const placed = orders.filter((o): o is PayOrderView => o !== null);
    // The points part: these members have none, so only orders without it would go through.
    assert.equal(placed.length, 0);
    const cups = await Promise.all(members.map((m) => order(m, 'thermos-cup')));
    const cupOrders = cups.filter((r) => r.ok).map((r) => (r as { data: PayOrderView }).data);
    await Promise.all(cupOrders.map((o) => pay(o.orderId, 'success', 'twice')));
    for (const o of cupOrders) assert.equal(stateOf(o.orderId), 'fulfilled');
    const lines = emulator()
      .store.all('spendLedger')
      .filter((l) => String(l['openid']).startsWith('o-storm-'));
    assert.equal(lines.length, cupOrders.length);
  });
});
