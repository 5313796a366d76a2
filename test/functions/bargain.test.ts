import assert from 'node:assert/strict';
import type { BargainView } from '../../typings/api';
import { code, emulatorPerFile, ok } from '../helpers/emulator';

const suite = emulatorPerFile();
const emulator = suite.emulator;
const { member, call, raw, at, pay, fireTimer: fire } = suite;

// biome-ignore lint/suspicious/noExplicitAny: documents as stored, read field by field
const doc = (c: string, id: string) => emulator().store.get(c, id) as any;
const all = (c: string) => emulator().store.all(c);
const help = (openid: string, bargainId: string) => member(openid, { action: 'helpBargain', bargainId });

async function started(owner = 'o-owner'): Promise<BargainView> {
  ok(await member(owner, { action: 'home' }));
  return ok(await member(owner, { action: 'startBargain', dealId: 'cup-bargain' }));
}

beforeEach(() => at('2026-05-10T10:00:00'));

describe('bargaining (砍价)', () => {
  it('friends cut a bargain within the bounds until the floor; the owner buys at the price reached', async () => {
    const deals = ok(await member('o-owner', { action: 'bargainDeals' }));
    assert.deepEqual(
      deals.map((d) => [d.dealId, d.listPrice, d.floorPrice, d.mine]),
      [['cup-bargain', 9900, 4900, null]],
    );
    const b = await started();
    assert.deepEqual([b.price, b.state, b.mine], [9900, 'open', true]);
    for (const image of [deals[0]?.image, b.image])
      assert.equal((await fetch(image as string)).headers.get('content-type'), 'image/png', 'the cup’s picture');
    assert.equal(
      ok(await member('o-owner', { action: 'startBargain', dealId: 'cup-bargain' })).bargainId,
      b.bargainId,
      'one per member and deal',
    );
    let price = 9900;
    for (let i = 0; price > 4900; i++) {
      const { cut, bargain } = ok(await help(`o-helper-${i}`, b.bargainId));
      assert.ok(cut >= 1 && cut <= 1500, String(cut));
      assert.ok(cut >= 500 || bargain.price === 4900, 'less than the least cut only to reach the floor');
      assert.equal(bargain.price, price - cut);
      assert.equal(bargain.myCut, cut);
      price = bargain.price;
    }
    assert.equal(price, 4900);
    // 我的砍价: the owner's own list shows how far it got; a helper has none of their own.
    const mine = ok(await member('o-owner', { action: 'myBargains' }));
    assert.deepEqual(
      mine.map((m) => [m.bargainId, m.price, m.floorPrice, m.state, m.helpCount > 0]),
      [[b.bargainId, 4900, 4900, 'open', true]],
    );
    assert.deepEqual(ok(await member('o-helper-0', { action: 'myBargains' })), []);
    assert.equal(code(await help('o-one-more', b.bargainId)), 'BARGAIN_FLOOR_REACHED');
    assert.equal(doc('bargainHelps', `${b.bargainId}:o-one-more`), undefined, 'a refused help is not recorded');
    const order = ok(await member('o-owner', { action: 'buyBargain', bargainId: b.bargainId, requestId: 'buy-bargain-1' }));
    assert.deepEqual([order.amount, order.listPrice], [4900, 9900]);
    assert.equal(await pay(order.orderId), 'requestPayment:ok');
    const done = ok(await member('o-owner', { action: 'bargain', bargainId: b.bargainId }));
    assert.deepEqual([done.state, done.order?.state], ['bought', 'fulfilled']);
    assert.equal(doc('members', 'o-owner').points, 49, 'spend earns points as any purchase');
    assert.equal(
      code(await member('o-owner', { action: 'buyBargain', bargainId: b.bargainId, requestId: 'buy-bargain-2' })),
      'BARGAIN_EXPIRED',
    );
  });

  it('forty friends help at once near the floor: the price stops exactly at the floor, each cut recorded once', async () => {
    const b = await started();
    // Bring it within a few cuts of the floor first.
    for (let i = 0; i < 3; i++) ok(await help(`o-early-${i}`, b.bargainId));
    const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => help(`o-crowd-${i}`, b.bargainId)));
    const final = doc('bargains', b.bargainId);
    assert.equal(final.price, 4900, 'never below the floor');
    const cuts = all('bargainHelps')
      .filter((h) => h['bargainId'] === b.bargainId)
      .map((h) => h['cut'] as number);
    assert.equal(9900 - cuts.reduce((a, c) => a + c, 0), 4900, 'the cuts recorded add up to the price');
    assert.equal(final.helps, cuts.length);
    for (const r of replies.filter((r) => !r.ok)) assert.ok(['BARGAIN_FLOOR_REACHED', 'CONFLICT'].includes(code(r)), code(r));
    assert.ok(replies.some((r) => code(r) === 'BARGAIN_FLOOR_REACHED'));
  });

  it('the owner cannot help, a friend helps once (even racing), and a new member brought by a help is the owner’s invite', async () => {
    const b = await started();
    assert.equal(code(await help('o-owner', b.bargainId)), 'BARGAIN_OWN');
    const twice = await Promise.all(Array.from({ length: 5 }, () => help('o-keen', b.bargainId)));
    assert.equal(twice.filter((r) => r.ok).length, 1);
    for (const r of twice.filter((r) => !r.ok)) assert.equal(code(r), 'BARGAIN_ALREADY_HELPED');
    ok(await help('o-brand-new', b.bargainId));
    assert.equal(doc('invites', 'o-brand-new')?.inviter, 'o-owner');
    assert.equal(doc('invites', 'o-keen')?.inviter, 'o-owner', 'o-keen was new too');
    ok(await member('o-old', { action: 'home' }));
    ok(await help('o-old', b.bargainId));
    assert.equal(doc('invites', 'o-old'), undefined, 'an existing member is not an invite');
  });

  it('a bargain expires: no more helps, no purchase; an unpaid order lets the owner buy again while it lasts', async () => {
    const b = await started();
    ok(await help('o-f1', b.bargainId));
    const first = ok(await member('o-owner', { action: 'buyBargain', bargainId: b.bargainId, requestId: 'bargain-buy-a' }));
    assert.equal(
      code(await member('o-owner', { action: 'buyBargain', bargainId: b.bargainId, requestId: 'bargain-buy-b' })),
      'ORDER_STATUS_INVALID',
    );
    assert.equal(
      ok(await member('o-owner', { action: 'buyBargain', bargainId: b.bargainId, requestId: 'bargain-buy-a' })).orderId,
      first.orderId,
    );
    at('2026-05-10T10:16:00');
    await fire();
    assert.equal(doc('payOrders', first.orderId).state, 'expired');
    ok(await help('o-f2', b.bargainId));
    const second = ok(await member('o-owner', { action: 'buyBargain', bargainId: b.bargainId, requestId: 'bargain-buy-c' }));
    assert.ok(second.amount < first.amount, 'at the price now');
    at('2026-05-11T10:00:01');
    assert.equal(code(await help('o-f3', b.bargainId)), 'BARGAIN_EXPIRED');
    assert.equal(
      code(await member('o-owner', { action: 'buyBargain', bargainId: b.bargainId, requestId: 'bargain-buy-d' })),
      'BARGAIN_EXPIRED',
    );
    assert.equal(ok(await member('o-f3', { action: 'bargain', bargainId: b.bargainId })).state, 'expired');
  });

  it('an order made just before the bargain ends cannot be paid after it: WeChat Pay refuses, the timer gives the unit back', async () => {
    const b = await started();
    ok(await help('o-f1', b.bargainId));
    at('2026-05-11T09:58:00');
    const order = ok(await member('o-owner', { action: 'buyBargain', bargainId: b.bargainId, requestId: 'bargain-last-minute' }));
    assert.equal(order.expiresAt, doc('bargains', b.bargainId).expiresAt.toISOString(), 'the order ends with the bargain');
    const stock = doc('bargainDeals', 'cup-bargain').stock as number;
    at('2026-05-11T10:05:00');
    assert.equal(await pay(order.orderId), 'requestPayment:fail 订单已过期');
    await fire();
    assert.equal(doc('payOrders', order.orderId).state, 'expired');
    assert.equal(doc('bargainDeals', 'cup-bargain').stock, stock + 1);
    assert.equal(all('spendLedger').length, 0);
  });

  it('the owner taps buy on two phones at once: one order waits, the other is refused; one unit held', async () => {
    const b = await started();
    const stock = doc('bargainDeals', 'cup-bargain').stock as number;
    const replies = await Promise.all(
      ['bargain-race-a', 'bargain-race-b', 'bargain-race-c'].map((requestId) =>
        member('o-owner', { action: 'buyBargain', bargainId: b.bargainId, requestId }),
      ),
    );
    assert.equal(replies.filter((r) => r.ok).length, 1);
    for (const r of replies.filter((r) => !r.ok)) assert.equal(code(r), 'ORDER_STATUS_INVALID');
    assert.equal(all('payOrders').filter((o) => o['state'] === 'created').length, 1);
    assert.equal(doc('bargainDeals', 'cup-bargain').stock, stock - 1);
  });

  it('bad input: forged ids, another member’s bargain, a bad deal', async () => {
    const b = await started();
    assert.equal(code(await help('o-x', 'B'.padEnd(31, '0'))), 'NOT_FOUND');
    assert.equal(code(await raw('member', 'o-x', { action: 'helpBargain', bargainId: b.bargainId, cut: 9000 })), 'INVALID_INPUT');
    assert.equal(code(await raw('member', 'o-x', { action: 'helpBargain', bargainId: '../bargains' })), 'INVALID_INPUT');
    assert.equal(code(await member('o-x', { action: 'buyBargain', bargainId: b.bargainId, requestId: 'steal-0001' })), 'NOT_FOUND');
    assert.equal(code(await member('o-x', { action: 'startBargain', dealId: 'no-such-deal' })), 'NOT_FOUND');
    const bad = { ...doc('bargainDeals', 'cup-bargain'), _id: 'bad', minCut: 2000, maxCut: 100 };
    assert.equal(code(await call('ops', 'demo-operator', { action: 'putBargainDeal', deal: bad })), 'INVALID_INPUT');
    assert.equal(code(await call('ops', 'o-x', { action: 'putBargainDeal', deal: bad })), 'FORBIDDEN');
  });
});
