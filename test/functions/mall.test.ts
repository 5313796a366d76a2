import assert from 'node:assert/strict';
import { newMember } from '../../core/member/registration';
import type { Reply } from '../../typings/envelope';
import { emulatorPerFile } from '../helpers/emulator';

const suite = emulatorPerFile();
const emulator = suite.emulator;
const { member, call } = suite;

const NOW = new Date('2026-03-10T02:00:00Z');
const code = (reply: Reply<unknown>) => (reply.ok ? 'ok' : reply.code);
// biome-ignore lint/suspicious/noExplicitAny: documents as stored, read field by field
const doc = (collection: string, id: string) => emulator().store.get(collection, id) as Record<string, any> | undefined;
// biome-ignore lint/suspicious/noExplicitAny: documents as stored, read field by field
const all = (collection: string) => emulator().store.all(collection) as Record<string, any>[];

/** Members written straight into the store (registered, with points), fast enough for a thousand. */
function seedMembers(openids: string[], points: number, tier: 'bronze' | 'silver' | 'gold' = 'bronze') {
  emulator().setNow(NOW);
  for (const openid of openids)
    emulator().store.write('members', openid, { ...newMember(openid, null, NOW, `I${openid}`), points, tier } as never);
}

function putItem(item: Record<string, unknown>) {
  return call('ops', 'demo-operator', { action: 'putItem', item: { enabled: true, ...item } });
}

const redeem = (openid: string, itemId: string, requestId = `req-${openid}-${itemId}`) =>
  member(openid, { action: 'redeem', itemId, requestId });

/** The coupons and orders a member's redemptions made: each one is its request's record. */
const outcomesOf = (openid: string) =>
  [...all('coupons'), ...all('orders')].filter((d) => d['openid'] === openid && d['reply']?.['redemptionId']?.startsWith(`${openid}:`));

/** The units of an item held by redemptions (server/mall/holds.ts). */
const holdsOn = (itemId: string) => (doc('mallItems', itemId)?.['holds'] ?? []) as { key: string; at: Date }[];

describe('mall redemption', () => {
  it('items come with their pictures from cloud storage: the list a cover each, the item page all, none for a missing file', async () => {
    const list = await member('o-pictures', { action: 'mall' });
    assert.ok(list.ok);
    const cup = list.data.items.find((i) => i.id === 'thermos-cup');
    assert.equal(cup?.images.length, 1, 'the cover only');
    const cover = await fetch(cup?.images[0] as string);
    assert.deepEqual([cover.status, cover.headers.get('content-type')], [200, 'image/png']);
    const page = await member('o-pictures', { action: 'mallItem', itemId: 'thermos-cup' });
    assert.ok(page.ok);
    assert.equal(page.data.images.length, 2, 'the gallery');
    assert.ok(page.data.images.every((url) => /\/_emu\/files\/items\/thermos-cup-\d\.png\?t=\d+&sign=/.test(url)));
    emulator().reset(); // fresh instances, nothing cached
    emulator().storage.handle('storage.batchDeleteFile', { fileid_list: [doc('mallItems', 'thermos-cup')?.['images'][1]] });
    const after = await member('o-pictures', { action: 'mallItem', itemId: 'thermos-cup' });
    assert.ok(after.ok);
    assert.equal(after.data.images.length, 1, 'a picture whose file is gone is left out');
  });

  it('an item for a higher tier says so to the member: 金卡专享 on the list and the item page, and cannot be redeemed', async () => {
    const cup = doc('mallItems', 'gift-mug') as Record<string, unknown>;
    emulator().database.apply([
      { collection: 'mallItems', id: 'gift-mug', doc: { ...cup, _id: 'gift-mug', minTier: 'gold' }, mode: 'put' },
    ]);
    seedMembers(['o-bronze'], 10_000);
    const list = await member('o-bronze', { action: 'mall', kind: 'physical' });
    assert.ok(list.ok);
    const mug = list.data.items.find((i) => i.id === 'gift-mug');
    assert.deepEqual([mug?.redeemable, mug?.blockedBy, mug?.blockedText], [false, 'ITEM_UNAVAILABLE', '金卡专享']);
    const page = await member('o-bronze', { action: 'mallItem', itemId: 'gift-mug' });
    assert.equal(page.ok && page.data.blockedText, '金卡专享');
    assert.equal(code(await redeem('o-bronze', 'gift-mug')), 'ITEM_UNAVAILABLE');
  });

  it('the wallet marks an unused coupon 即将过期 in its last 3 days (business time), not before', async () => {
    seedMembers(['o-soon'], 500);
    const reply = await redeem('o-soon', 'coupon-100-minus-20');
    assert.ok(reply.ok);
    const coupon = doc('coupons', reply.data.couponId as string);
    assert.ok(coupon);
    const validTo = (coupon['validTo'] as Date).getTime();
    const soon = async () => {
      const wallet = await member('o-soon', { action: 'myCoupons', state: 'unused' });
      assert.ok(wallet.ok);
      return wallet.data.coupons[0]?.expiresSoon;
    };
    emulator().setNow(new Date(validTo - 4 * 86_400_000));
    assert.equal(await soon(), false);
    emulator().setNow(new Date(validTo - 2 * 86_400_000));
    assert.equal(await soon(), true);
  });

  it('redeeming a 满减 coupon debits points, takes stock and puts the coupon in the wallet', async () => {
    seedMembers(['o-ann'], 500);
    const reply = await redeem('o-ann', 'coupon-100-minus-20');
    assert.ok(reply.ok, JSON.stringify(reply));
    assert.equal(reply.data.balance, 300);
    assert.equal(doc('members', 'o-ann')?.['points'], 300);
    assert.equal(doc('mallItems', 'coupon-100-minus-20')?.['stock'], 99);
    const entry = doc('ledger', `redemption:${reply.data.redemptionId}`);
    assert.deepEqual([entry?.['delta'], entry?.['counterparty']], [-200, 'system:redemption']);
    const wallet = await member('o-ann', { action: 'myCoupons', state: 'unused' });
    assert.ok(wallet.ok);
    assert.deepEqual(
      wallet.data.coupons.map((c) => [c.id, c.ruleText, c.state]),
      [[reply.data.couponId, '满100减20', 'unused']],
    );
    assert.ok(!('secret' in wallet.data.coupons[0]!), 'the secret never leaves the server');
  });

  // Sized to prove the race (every call in flight at once against 4 instances); bench (g) runs it with 1000 members and stock 100.
  it('with stock 30, 300 concurrent redemptions by 300 members: exactly 30 succeed and are debited', async () => {
    const openids = Array.from({ length: 300 }, (_, i) => `race-${i}`);
    seedMembers(openids, 100);
    assert.equal(
      code(await putItem({ _id: 'hot-coupon', title: '抢购券', kind: 'coupon', couponKey: 'mall-100-minus-20', price: 60, stock: 30 })),
      'ok',
    );
    const replies = await Promise.all(openids.map((o) => redeem(o, 'hot-coupon')));
    const outcomes = replies.map(code);
    assert.equal(outcomes.filter((c) => c === 'ok').length, 30);
    assert.equal(outcomes.filter((c) => c === 'SOLD_OUT').length, 270, JSON.stringify([...new Set(outcomes)]));
    assert.equal(doc('mallItems', 'hot-coupon')?.['stock'], 0);
    const debits = all('ledger').filter((e) => e['reason'] === 'redemption');
    assert.equal(debits.length, 30);
    assert.equal(all('members').filter((m) => m['points'] === 40).length, 30);
    assert.equal(all('coupons').length, 30);
  });

  it('a retried request id replays its first outcome: one debit, one coupon', async () => {
    seedMembers(['o-bob'], 1000);
    const replies = await Promise.all(Array.from({ length: 10 }, () => redeem('o-bob', 'coupon-100-minus-20', 'same-request-1')));
    assert.ok(
      replies.every((r) => r.ok),
      JSON.stringify(replies.map(code)),
    );
    assert.equal(new Set(replies.map((r) => r.ok && r.data.couponId)).size, 1);
    const again = await redeem('o-bob', 'coupon-100-minus-20', 'same-request-1');
    assert.deepEqual(again, replies[0]);
    assert.equal(doc('members', 'o-bob')?.['points'], 800);
    assert.equal(doc('mallItems', 'coupon-100-minus-20')?.['stock'], 99);
  });

  it('a repeat after the last unit went, or the points were spent, replays the success; doubled requests hold one unit', async () => {
    // Several rounds: a doubled request must never turn the last unit into a SOLD_OUT for itself.
    for (const round of [1, 2, 3, 4]) {
      const openid = `o-last-${round}`;
      const itemId = `last-one-${round}`;
      seedMembers([openid], 200);
      assert.equal(
        code(await putItem({ _id: itemId, title: '最后一件', kind: 'coupon', couponKey: 'mall-100-minus-20', price: 200, stock: 1 })),
        'ok',
      );
      const replies = await Promise.all(Array.from({ length: 6 }, () => redeem(openid, itemId, `${itemId}-request`)));
      assert.ok(
        replies.every((r) => r.ok),
        JSON.stringify(replies.map(code)),
      );
      assert.equal(new Set(replies.map((r) => r.ok && r.data.couponId)).size, 1);
      assert.equal(doc('mallItems', itemId)?.['stock'], 0);
      assert.equal(doc('members', openid)?.['points'], 0);
      // Sold out and no points left: the same request still answers as it did.
      assert.deepEqual(await redeem(openid, itemId, `${itemId}-request`), replies[0]);
      assert.equal(code(await redeem(openid, itemId, `${itemId}-other`)), 'SOLD_OUT');
      assert.equal(doc('mallItems', itemId)?.['stock'], 0);
    }
  });

  it('the same request id for another item is IDEMPOTENCY_KEY_REUSED, racing or not, and redeems nothing more', async () => {
    seedMembers(['o-reuse'], 1000);
    const replies = await Promise.all(
      ['coupon-100-minus-20', 'parking-2h', 'coupon-100-minus-20', 'parking-2h'].map((item) => redeem('o-reuse', item, 'reused-request-1')),
    );
    const outcomes = replies.map(code);
    assert.equal(outcomes.filter((c) => c === 'ok').length, 2, JSON.stringify(outcomes));
    assert.equal(outcomes.filter((c) => c === 'IDEMPOTENCY_KEY_REUSED').length, 2, JSON.stringify(replies));
    const made = outcomesOf('o-reuse');
    assert.equal(made.length, 1, "one coupon or order, the request's record");
    assert.ok(replies.every((r) => !r.ok || r.data.itemId === made[0]?.['reply']['itemId']));
    assert.equal(all('ledger').filter((e) => e['openid'] === 'o-reuse').length, 1, 'one debit');
    assert.equal(holdsOn('coupon-100-minus-20').length + holdsOn('parking-2h').length, 1, 'the refused request gave its unit back');
  });

  it('per-member limits hold under concurrency, and the stock held by refused requests goes back', async () => {
    seedMembers(['o-cat'], 10_000);
    const replies = await Promise.all(Array.from({ length: 8 }, (_, i) => redeem('o-cat', 'coupon-100-minus-20', `limit-req-${i}`)));
    const outcomes = replies.map(code).sort();
    assert.deepEqual(outcomes, [
      'REDEEM_LIMIT_REACHED',
      'REDEEM_LIMIT_REACHED',
      'REDEEM_LIMIT_REACHED',
      'REDEEM_LIMIT_REACHED',
      'REDEEM_LIMIT_REACHED',
      'REDEEM_LIMIT_REACHED',
      'ok',
      'ok',
    ]);
    assert.equal(doc('mallItems', 'coupon-100-minus-20')?.['stock'], 98);
    assert.equal(doc('members', 'o-cat')?.['points'], 9600);
    const monthly = await Promise.all(['m-1', 'm-2', 'm-3'].map((r) => redeem('o-cat', 'coupon-85-off', `monthly-${r}`)));
    assert.deepEqual(monthly.map(code).sort(), ['REDEEM_LIMIT_REACHED', 'REDEEM_LIMIT_REACHED', 'ok']);
    emulator().setNow(new Date('2026-04-01T02:00:00Z'));
    assert.equal(code(await redeem('o-cat', 'coupon-85-off', 'monthly-april')), 'ok');
  });

  it('points spent by a concurrent redemption: the loser is refused and its stock returned', async () => {
    seedMembers(['o-dan'], 300);
    const replies = await Promise.all([
      redeem('o-dan', 'coupon-100-minus-20', 'spend-a-123'),
      redeem('o-dan', 'coupon-85-off', 'spend-b-123'),
    ]);
    assert.deepEqual(replies.map(code).sort(), ['INSUFFICIENT_POINTS', 'ok']);
    const stocks = [doc('mallItems', 'coupon-100-minus-20')?.['stock'], doc('mallItems', 'coupon-85-off')?.['stock']];
    assert.equal(stocks[0] + stocks[1], 149, 'exactly one unit left the shelves');
    assert.ok((doc('members', 'o-dan')?.['points'] as number) >= 0);
    assert.equal(outcomesOf('o-dan').length, 1, 'one coupon');
    assert.deepEqual(
      all('ledger')
        .filter((e) => e['openid'] === 'o-dan')
        .map((e) => e['reason']),
      ['redemption'],
    );
    assert.deepEqual([...holdsOn('coupon-100-minus-20'), ...holdsOn('coupon-85-off')].length, 1, "only the winner's hold stays");
  });

  it('a unit whose redemption died before committing is released by the timer, once; a hold that became a coupon only goes', async () => {
    seedMembers(['o-ivy'], 5000);
    const done = await redeem('o-ivy', 'coupon-100-minus-20', 'done-request-1');
    assert.ok(done.ok);
    const mug = doc('mallItems', 'gift-mug')!;
    const dead = { key: 'o-ivy:dead-request-1', at: new Date(NOW.getTime() - 11 * 60_000) };
    const live = { key: 'o-ivy:live-request-1', at: new Date(NOW.getTime() - 60_000) };
    emulator().store.write('mallItems', 'gift-mug', { ...mug, stock: 28, holds: [dead, live] } as never);
    const coupon = doc('mallItems', 'coupon-100-minus-20')!;
    const [made] = coupon['holds'] as { key: string; at: Date }[];
    emulator().store.write('mallItems', 'coupon-100-minus-20', {
      ...coupon,
      holds: [{ ...made, at: new Date(NOW.getTime() - 11 * 60_000) }],
    } as never);
    await Promise.all([emulator().fireTrigger('timer', 'tick'), emulator().fireTrigger('timer', 'tick')]);
    assert.equal(doc('mallItems', 'gift-mug')?.['stock'], 29, "the dead one's unit is back, once of two racing firings");
    assert.deepEqual(
      holdsOn('gift-mug').map((h) => h.key),
      [live.key],
      'a call still within its time limit is left alone',
    );
    assert.equal(doc('mallItems', 'coupon-100-minus-20')?.['stock'], 99, 'a unit that became a coupon stays taken');
    assert.deepEqual(holdsOn('coupon-100-minus-20'), []);
    assert.equal(code(await redeem('o-ivy', 'gift-mug', 'dead-request-1')), 'ok', 'nothing was taken the first time: the retry redeems');
  });

  it('a redemption refused after taking its unit gives it back, and a doubled request meets the same refusal', async () => {
    seedMembers(['o-kim'], 100);
    await putItem({ _id: 'last-mug', title: '最后一个', kind: 'physical', price: 500, stock: 1 });
    const replies = await Promise.all(Array.from({ length: 4 }, () => redeem('o-kim', 'last-mug', 'kim-request-1')));
    assert.deepEqual(replies.map(code), Array(4).fill('INSUFFICIENT_POINTS'));
    assert.equal(doc('mallItems', 'last-mug')?.['stock'], 1);
    assert.deepEqual(holdsOn('last-mug'), []);
    await putItem({ _id: 'bad-template', title: '坏模板', kind: 'coupon', couponKey: 'no-such-template', price: 10, stock: 5 });
    assert.equal(code(await redeem('o-kim', 'bad-template')), 'ITEM_UNAVAILABLE');
    assert.equal(doc('mallItems', 'bad-template')?.['stock'], 5);
    assert.deepEqual(holdsOn('bad-template'), []);
    assert.equal(doc('members', 'o-kim')?.['points'], 100);
  });

  it('limit counts on the member hold under concurrent redemptions of different items and the same one', async () => {
    seedMembers(['o-lim'], 100_000);
    const requests = [
      ...Array.from({ length: 4 }, (_, i) => ['coupon-100-minus-20', `lim-req-a-${i}`]),
      ...Array.from({ length: 3 }, (_, i) => ['coupon-85-off', `lim-req-b-${i}`]),
      ...Array.from({ length: 3 }, (_, i) => ['gift-mug', `lim-req-c-${i}`]),
      ...Array.from({ length: 3 }, (_, i) => ['parking-2h', `lim-req-d-${i}`]),
    ];
    const replies = await Promise.all(requests.map(([item, request]) => redeem('o-lim', item!, request)));
    const won = (item: string) => replies.filter((r, i) => r.ok && requests[i]![0] === item).length;
    assert.deepEqual(
      ['coupon-100-minus-20', 'coupon-85-off', 'gift-mug', 'parking-2h'].map(won),
      [2, 1, 1, 1],
      JSON.stringify(replies.map(code)),
    );
    assert.ok(
      replies.every((r) => r.ok || r.code === 'REDEEM_LIMIT_REACHED'),
      JSON.stringify(replies.map(code)),
    );
    const counts = doc('members', 'o-lim')?.['limitCounts'] as Record<string, { lifetime: number }>;
    assert.deepEqual(Object.fromEntries(Object.entries(counts).map(([item, c]) => [item, c.lifetime])), {
      'coupon-100-minus-20': 2,
      'coupon-85-off': 1,
      'gift-mug': 1,
      'parking-2h': 1,
    });
    assert.equal(doc('members', 'o-lim')?.['points'], 100_000 - 2 * 200 - 300 - 1500 - 100);
    assert.deepEqual(doc('members', 'o-lim')?.['redeemDays'], [{ day: '2026-03-10', redeem: 5, couponClaim: 3 }]);
  });

  it('an operator’s edit of an item reaches warm instances at once: the decrement holds only the version they cached', async () => {
    const openids = Array.from({ length: 24 }, (_, i) => `o-price-${i}`);
    seedMembers(openids, 1000);
    assert.equal(code(await putItem({ _id: 'repriced', title: '调价', kind: 'physical', price: 100, stock: 100 })), 'ok');
    // Every member worker redeems the item once and keeps it in its cache.
    const before = await Promise.all(openids.slice(0, 12).map((o) => redeem(o, 'repriced')));
    assert.deepEqual(new Set(before.map((r) => r.ok && r.data.price)), new Set([100]));
    assert.equal(code(await putItem({ _id: 'repriced', title: '调价', kind: 'physical', price: 300, stock: 100 })), 'ok');
    const after = await Promise.all(openids.slice(12).map((o) => redeem(o, 'repriced')));
    assert.deepEqual(new Set(after.map((r) => r.ok && r.data.price)), new Set([300]));
    assert.deepEqual(new Set(openids.slice(12).map((o) => doc('members', o)?.['points'])), new Set([700]));
  });

  it('refuses what the member cannot have, writing nothing', async () => {
    seedMembers(['o-eve'], 100);
    assert.equal(code(await redeem('o-eve', 'coupon-100-minus-20')), 'INSUFFICIENT_POINTS');
    assert.equal(code(await redeem('o-eve', 'no-such-item')), 'NOT_FOUND');
    seedMembers(['o-eve'], 5000);
    assert.equal(code(await redeem('o-eve', 'coupon-30-no-threshold')), 'ITEM_UNAVAILABLE', 'silver only');
    await putItem({ _id: 'later', title: '未开售', kind: 'physical', price: 10, stock: 5, saleFrom: '2026-04-01' });
    assert.equal(code(await redeem('o-eve', 'later')), 'ITEM_UNAVAILABLE');
    await putItem({ _id: 'gone', title: '售罄', kind: 'physical', price: 10, stock: 0 });
    assert.equal(code(await redeem('o-eve', 'gone')), 'SOLD_OUT');
    const bad: Record<string, unknown>[] = [
      { itemId: 'gift-mug', requestId: 'short' },
      { itemId: 'gift-mug', requestId: 'req-quantity-1', quantity: -1 },
      { itemId: 'gift-mug', requestId: 'req-quantity-2', quantity: 1.5 },
      { itemId: '../etc', requestId: 'req-path-0001' },
      { itemId: 'gift-mug', requestId: 'req-price-001', price: 0 },
      { itemId: 'gift-mug', requestId: 'req-openid-01', openid: 'o-other' },
    ];
    for (const input of bad)
      assert.equal(code(await member('o-eve', { action: 'redeem', ...input })), 'INVALID_INPUT', JSON.stringify(input));
    assert.deepEqual([outcomesOf('o-eve'), all('ledger').filter((e) => e['openid'] === 'o-eve')], [[], []]);
    assert.equal(doc('members', 'o-eve')?.['points'], 5000);
    assert.deepEqual(
      ['coupon-100-minus-20', 'coupon-30-no-threshold', 'later'].map((id) => [doc('mallItems', id)?.['stock'], holdsOn(id).length]),
      [
        [100, 0],
        [20, 0],
        [5, 0],
      ],
      'a unit taken by a refused redemption is back',
    );
  });

  it('pages the mall in the ranked order, and refuses page sizes and pages out of range', async () => {
    seedMembers(['o-pager'], 250);
    const all = await member('o-pager', { action: 'mall' });
    assert.ok(all.ok && all.data.hasMore === false);
    const ids = all.data.items.map((i) => i.id);
    const pages = [];
    for (let page = 0; page * 2 < ids.length; page++) {
      const reply = await member('o-pager', { action: 'mall', page, pageSize: 2 });
      assert.ok(reply.ok);
      pages.push(...reply.data.items.map((i) => i.id));
      assert.equal(reply.data.hasMore, (page + 1) * 2 < ids.length, `page ${page}`);
    }
    assert.deepEqual(pages, ids, 'the pages put together are the whole ranked list');
    for (const bad of [{ pageSize: 0 }, { pageSize: 51 }, { page: -1 }, { page: 1.5 }, { page: '1' }]) {
      assert.equal(code(await member('o-pager', { action: 'mall', ...bad })), 'INVALID_INPUT', JSON.stringify(bad));
    }
  });

  it('lists affordable items first and sold-out ones last, filtered by kind', async () => {
    seedMembers(['o-fay'], 250);
    await putItem({ _id: 'gone', title: '售罄', kind: 'physical', price: 10, stock: 0, order: 1 });
    const reply = await member('o-fay', { action: 'mall' });
    assert.ok(reply.ok);
    const items = reply.data.items;
    assert.deepEqual(
      items.filter((i) => i.redeemable).map((i) => i.id),
      ['coupon-100-minus-20', 'coupon-100-minus-20-cash', 'parking-2h', 'thermos-cup'],
    );
    assert.equal(items.at(-1)?.id, 'gone');
    assert.equal(items.at(-1)?.blockedBy, 'SOLD_OUT');
    const coupons = await member('o-fay', { action: 'mall', kind: 'coupon' });
    assert.ok(coupons.ok && coupons.data.items.every((i) => i.kind === 'coupon'));
    const one = await member('o-fay', { action: 'mallItem', itemId: 'coupon-85-off' });
    assert.ok(one.ok);
    assert.deepEqual(
      [one.data.ruleText, one.data.blockedBy, one.data.limitText],
      ['8.5折，最高减50', 'INSUFFICIENT_POINTS', '每月限兑1次'],
    );
  });
});

describe('orders: physical gifts and virtual goods', () => {
  it('a virtual good is delivered as a code at once', async () => {
    seedMembers(['o-gus'], 500);
    const reply = await redeem('o-gus', 'parking-2h');
    assert.ok(reply.ok);
    assert.match(reply.data.voucherCode ?? '', /^\d{12}$/);
    const orders = await member('o-gus', { action: 'myOrders' });
    assert.ok(orders.ok);
    assert.deepEqual(
      orders.data.orders.map((o) => [o.kind, o.status, o.voucherCode]),
      [['virtual', 'done', reply.data.voucherCode]],
    );
  });

  it('a physical gift waits for the operator; cancelling returns points and stock once', async () => {
    seedMembers(['o-hal'], 2000);
    const reply = await redeem('o-hal', 'gift-mug');
    assert.ok(reply.ok && reply.data.orderId);
    assert.equal(doc('orders', reply.data.orderId)?.['status'], 'pending');
    assert.equal(doc('mallItems', 'gift-mug')?.['stock'], 29);
    const cancels = await Promise.all(
      Array.from({ length: 4 }, () =>
        call('ops', 'demo-operator', { action: 'updateOrder', orderId: reply.data.orderId, status: 'cancelled' }),
      ),
    );
    assert.deepEqual(cancels.map(code).sort(), ['ORDER_STATUS_INVALID', 'ORDER_STATUS_INVALID', 'ORDER_STATUS_INVALID', 'ok']);
    assert.equal(doc('members', 'o-hal')?.['points'], 2000);
    assert.equal(doc('mallItems', 'gift-mug')?.['stock'], 30);
    assert.equal(all('ledger').filter((e) => e['reason'] === 'reversal').length, 1);
  });

  it('a cancelled order no longer counts toward the item limit: the member may redeem it again', async () => {
    seedMembers(['o-mug'], 5000);
    const first = await redeem('o-mug', 'gift-mug', 'mug-request-1');
    assert.ok(first.ok && first.data.orderId);
    assert.equal(code(await redeem('o-mug', 'gift-mug', 'mug-request-2')), 'REDEEM_LIMIT_REACHED', 'lifetime limit 1');
    assert.equal(
      code(await call('ops', 'demo-operator', { action: 'updateOrder', orderId: first.data.orderId, status: 'cancelled' })),
      'ok',
    );
    assert.equal(code(await redeem('o-mug', 'gift-mug', 'mug-request-3')), 'ok');
    assert.equal(doc('members', 'o-mug')?.['limitCounts']['gift-mug']['lifetime'], 1);
  });

  it('cancel racing a new redemption: the limit counts exactly the orders not cancelled, every time', async () => {
    const openids = Array.from({ length: 6 }, (_, i) => `o-cr-${i}`);
    seedMembers(openids, 5000);
    for (const openid of openids) {
      const first = await redeem(openid, 'gift-mug', `${openid}-first`);
      assert.ok(first.ok && first.data.orderId);
      await Promise.all([
        call('ops', 'demo-operator', { action: 'updateOrder', orderId: first.data.orderId, status: 'cancelled' }),
        redeem(openid, 'gift-mug', `${openid}-second`),
      ]);
      const live = all('orders').filter((o) => o['openid'] === openid && o['status'] !== 'cancelled').length;
      assert.ok(live <= 1, 'the lifetime limit of 1 holds');
      assert.equal(doc('members', openid)?.['limitCounts']['gift-mug']['lifetime'], live, openid);
      assert.equal(doc('members', openid)?.['points'], 5000 - 1500 * live);
    }
  });

  it('moves an order sent to an address pending → shipped → done, and refuses going back', async () => {
    seedMembers(['o-ida'], 2000);
    const address = {
      userName: '艾达',
      telNumber: '13900001111',
      provinceName: '上海市',
      cityName: '上海市',
      countyName: '徐汇区',
      detailInfo: '漕溪北路 1 号',
    };
    const reply = await member('o-ida', { action: 'redeem', itemId: 'gift-mug', requestId: 'req-ida-mug', address });
    assert.ok(reply.ok && reply.data.orderId);
    const move = (status: string) =>
      call('ops', 'demo-operator', {
        action: 'updateOrder',
        orderId: reply.data.orderId,
        status,
        ...(status === 'shipped' ? { shipping: { carrier: '中通快递', trackingNo: '75312345678' } } : {}),
      });
    assert.equal(code(await move('shipped')), 'ok');
    assert.equal(code(await move('pickedUp')), 'ORDER_STATUS_INVALID');
    assert.equal(code(await move('done')), 'ok');
    assert.equal(code(await move('cancelled')), 'ORDER_STATUS_INVALID');
    assert.equal(
      code(await call('ops', 'o-ida', { action: 'updateOrder', orderId: reply.data.orderId, status: 'cancelled' })),
      'FORBIDDEN',
    );
    const queue = await call('ops', 'demo-operator', { action: 'orders', status: 'done' });
    assert.ok(queue.ok);
    assert.deepEqual(
      queue.data.orders.map((o) => o.id),
      [reply.data.orderId],
    );
  });
});

describe('catalogue edits by operators', () => {
  it('refuses nonsense items, naming each problem, and members cannot edit', async () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ _id: 'neg', title: 'x', kind: 'physical', price: 10, stock: -1 }, /stock/],
      [{ _id: 'free', title: 'x', kind: 'physical', price: 0, stock: 1 }, /price 0 needs free/],
      [{ _id: 'nokey', title: 'x', kind: 'coupon', price: 10, stock: 1 }, /couponKey/],
      [{ _id: 'frac', title: 'x', kind: 'virtual', price: 1.5, stock: 1 }, /price/],
      [{ _id: 'window', title: 'x', kind: 'virtual', price: 1, stock: 1, saleFrom: '2026-05-01', saleTo: '2026-04-01' }, /saleFrom/],
      [{ title: 'x', kind: 'virtual', price: 1, stock: 1 }, /_id/],
    ];
    for (const [item, problem] of bad) {
      const reply = await putItem(item);
      assert.ok(!reply.ok && reply.code === 'INVALID_INPUT', JSON.stringify(item));
      assert.match(reply.message, problem);
    }
    assert.equal(
      code(
        await call('ops', 'o-member', {
          action: 'putItem',
          item: { _id: 'mine', title: 'x', kind: 'physical', price: 1, stock: 1, enabled: true },
        }),
      ),
      'FORBIDDEN',
    );
    assert.equal(doc('mallItems', 'mine'), undefined);
    assert.equal(code(await putItem({ _id: 'gift-free', title: '免费领', kind: 'physical', price: 0, free: true, stock: 3 })), 'ok');
  });

  it('a bad document edited in the console is reported and hidden, not served', async () => {
    emulator().store.write('mallItems', 'broken', {
      _id: 'broken',
      title: 'x',
      kind: 'coupon',
      price: -5,
      stock: 1,
      enabled: true,
    } as never);
    const issues = await call('ops', 'demo-operator', { action: 'configIssues' });
    assert.ok(issues.ok);
    assert.ok(issues.data.some((i) => i.collection === 'mallItems' && i.id === 'broken'));
    seedMembers(['o-jo'], 100);
    const list = await member('o-jo', { action: 'mall' });
    assert.ok(list.ok && !list.data.items.some((i) => i.id === 'broken'));
    assert.equal(code(await redeem('o-jo', 'broken')), 'NOT_FOUND');
  });
});

describe('rewards issue real coupons', () => {
  it('the day-3 check-in milestone puts a coupon in the wallet', async () => {
    for (let day = 0; day < 3; day++) {
      emulator().setNow(new Date(NOW.getTime() + day * 86_400_000));
      assert.equal(code(await member('o-kim', { action: 'checkin' })), 'ok');
    }
    const wallet = await member('o-kim', { action: 'myCoupons', state: 'unused' });
    assert.ok(wallet.ok);
    // The 3rd consecutive active day brings the lifecycle coupon too (config/lifecycle).
    assert.deepEqual(wallet.data.coupons.map((c) => c.title).sort(), ['连签专属满100减20券', '连续3天专属满50减15券'].sort());
    const reward = all('rewards').find((r) => r['source'] === 'checkin-streak-3');
    assert.equal(reward?.['status'], 'granted');
    assert.ok(wallet.data.coupons.some((c) => c.id === reward?.['couponId']));
  });
});
