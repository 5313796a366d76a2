import assert from 'node:assert/strict';
import type { GroupView, PayOrderView } from '../../typings/api';
import { failDueGroups } from '../../server/group/sweep';
import { code, emulatorPerFile, ok, serverContextAgainst } from '../helpers/emulator';

const suite = emulatorPerFile();
const emulator = suite.emulator;
const { member, call, raw, at, pay, deliverPay: deliver, fireTimer: fire } = suite;

// biome-ignore lint/suspicious/noExplicitAny: documents as stored, read field by field
const doc = (c: string, id: string) => emulator().store.get(c, id) as any;
const all = (c: string) => emulator().store.all(c);
let request = 0;
const next = () => `group-req-${++request}`;
const open = (openid: string, dealId = 'cup-group', requestId = next()) => member(openid, { action: 'openGroup', dealId, requestId });
const join = (openid: string, groupId: string, requestId = next()) => member(openid, { action: 'joinGroup', groupId, requestId });
const stateOf = (orderId: string) => doc('payOrders', orderId).state as PayOrderView['state'];
const dealStock = () => doc('groupDeals', 'cup-group').stock as number;
const refundsOf = (orderId: string) => all('emu_refunds').filter((r) => r['outTradeNo'] === orderId);
const view = async (openid: string, groupId: string): Promise<GroupView> => ok(await member(openid, { action: 'group', groupId }));

/** The member accepts the template in wx.requestSubscribeMessage: the platform's credit and the report to the server. */
async function consent(openid: string, template: string) {
  emulator().subscribe.grant(openid, template);
  ok(await member(openid, { action: 'subscribe', accepted: [template], rejected: [] }));
}

/** A group whose leader has paid: open to friends. */
async function openedBy(leader: string): Promise<{ groupId: string; orderId: string }> {
  ok(await member(leader, { action: 'home' }));
  const opened = ok(await open(leader));
  assert.equal(await pay(opened.order.orderId), 'requestPayment:ok');
  return { groupId: opened.groupId, orderId: opened.order.orderId };
}

beforeEach(() => at('2026-05-10T10:00:00'));

describe('group buying (拼团)', () => {
  it('three members complete a group at 7折: every order is fulfilled together, spend and points posted once each', async () => {
    const deals = ok(await member('o-lead', { action: 'groupDeals' }));
    const cup = deals.find((d) => d.dealId === 'cup-group');
    assert.deepEqual([cup?.listPrice, cup?.groupPrice, cup?.size], [9900, 6930, 3]);
    const before = dealStock();
    const { groupId, orderId: leaderOrder } = await openedBy('o-lead');
    assert.equal(stateOf(leaderOrder), 'paid', 'the leader waits, paid, for the group to fill');
    assert.equal((await view('o-friend-1', groupId)).state, 'open');
    const listed = ok(await member('o-friend-1', { action: 'groupDeal', dealId: 'cup-group' }));
    assert.equal((await fetch(listed.deal.image as string)).headers.get('content-type'), 'image/png', 'the cup’s picture');
    assert.deepEqual(
      listed.groups.map((g) => g.groupId),
      [groupId],
    );
    const forTheLeader = ok(await member('o-lead', { action: 'groupDeal', dealId: 'cup-group' }));
    assert.deepEqual(forTheLeader.groups, [], 'no one is invited to join their own group');
    const orders = [leaderOrder];
    for (const friend of ['o-friend-1', 'o-friend-2']) {
      ok(await member(friend, { action: 'home' }));
      if (friend === 'o-friend-1') await consent(friend, cup?.resultTemplate as string);
      const seat = ok(await join(friend, groupId));
      assert.equal(seat.order.amount, 6930);
      assert.equal(await pay(seat.order.orderId), 'requestPayment:ok');
      orders.push(seat.order.orderId);
    }
    assert.deepEqual(orders.map(stateOf), ['fulfilled', 'fulfilled', 'fulfilled']);
    const done = await view('o-lead', groupId);
    assert.deepEqual([done.state, done.seatsLeft, done.members.every((m) => m.paid)], ['succeeded', 0, true]);
    assert.equal(done.mine?.state, 'fulfilled');
    assert.equal(dealStock(), before - 3, 'one unit of the deal per seat');
    for (const o of ['o-lead', 'o-friend-1', 'o-friend-2']) {
      assert.deepEqual(
        all('spendLedger')
          .filter((l) => l['openid'] === o)
          .map((l) => l['amount']),
        [6930],
      );
      assert.equal(doc('members', o).points, 69, '1 point per yuan of the group price');
    }
    assert.equal(
      orders.filter((id) => doc('orders', doc('payOrders', id).orderId)?.status === 'pending').length,
      3,
      'each member’s cup is ordered for shipping',
    );
    const told = emulator().subscribe.outbox('o-friend-1');
    assert.equal(told.length, 1, 'the member who subscribed is told, once');
    assert.match(JSON.stringify(told[0]), /拼团成功/);
    assert.match(JSON.stringify(told[0]), /deals\/group\/index\?id=G[0-9a-f]{30}&from=reminder&campaign=group-result/);
    assert.equal(emulator().subscribe.outbox('o-friend-2').length, 0, 'no consent, no message');
    const mine = ok(await member('o-friend-2', { action: 'myGroups' }));
    assert.deepEqual(
      mine.map((g) => [g.groupId, g.state, g.mine?.state]),
      [[groupId, 'succeeded', 'fulfilled']],
    );
    const reconciled = ok(await call('ops', 'demo-operator', { action: 'reconcile' }));
    assert.deepEqual([reconciled.mismatches, reconciled.spendMismatches], [[], []]);
  });

  it('fifty members join a 3-person group at once: exactly two get a seat, everyone else GROUP_FULL and never charged', async () => {
    const { groupId } = await openedBy('o-lead');
    const friends = Array.from({ length: 50 }, (_, i) => `o-racer-${i}`);
    const replies = await Promise.all(friends.map((f) => join(f, groupId)));
    const seated = replies.filter((r) => r.ok);
    assert.equal(seated.length, 2);
    assert.deepEqual([...new Set(replies.filter((r) => !r.ok).map(code))], ['GROUP_FULL']);
    const g = doc('groups', groupId);
    assert.deepEqual([g.taken, g.seats.length], [3, 3]);
    const charged = all('emu_payments').filter((p) => p['_id'] !== undefined);
    assert.equal(charged.length, 3, 'only the leader and the two seated friends were offered a payment');
    const waiting = all('payOrders').filter((o) => o['state'] === 'created' || o['state'] === 'paid');
    assert.equal(waiting.length, 3, 'a refused join leaves no order waiting (refused before one was made, or closed at once)');
    assert.equal(all('dealSlots').length, 3, 'refused members keep no place in the deal');
  });

  it('the last two seats paid at once, each notification delivered twice: the group succeeds once, each order fulfilled once', async () => {
    const { groupId } = await openedBy('o-lead');
    const seats = [ok(await join('o-a', groupId)), ok(await join('o-b', groupId))];
    await Promise.all(seats.map((s) => pay(s.order.orderId, 'success', 'twice')));
    await deliver();
    assert.equal(doc('groups', groupId).state, 'succeeded');
    assert.deepEqual(
      seats.map((s) => stateOf(s.order.orderId)),
      ['fulfilled', 'fulfilled'],
    );
    assert.equal(all('spendLedger').length, 3, 'one spend line per member');
    assert.equal(all('orders').length, 3, 'one parcel per member');
  });

  it('a member cannot join their own group or one group twice, even racing; nor more groups of a deal than it allows', async () => {
    const { groupId } = await openedBy('o-lead');
    assert.equal(code(await join('o-lead', groupId)), 'GROUP_ALREADY_JOINED');
    ok(await member('o-twice', { action: 'home' }));
    const twice = await Promise.all(Array.from({ length: 6 }, () => join('o-twice', groupId)));
    assert.equal(twice.filter((r) => r.ok).length, 1);
    // Refused by the group (already in it) or by the deal (its one place is taken): either way, no second seat.
    for (const r of twice.filter((t) => !t.ok)) assert.ok(['GROUP_ALREADY_JOINED', 'GROUP_LIMIT_REACHED'].includes(code(r)), code(r));
    assert.equal(doc('groups', groupId).taken, 2);
    assert.equal(code(await open('o-twice')), 'GROUP_LIMIT_REACHED', 'one group per member for this deal');
  });

  it('one member joining two groups of a one-per-member deal at once gets one seat', async () => {
    const first = await openedBy('o-lead-1');
    const second = await openedBy('o-lead-2');
    ok(await member('o-both', { action: 'home' }));
    const replies = await Promise.all([join('o-both', first.groupId), join('o-both', second.groupId)]);
    assert.equal(replies.filter((r) => r.ok).length, 1);
    assert.equal(code(replies.find((r) => !r.ok) ?? { ok: true, data: null }), 'GROUP_LIMIT_REACHED');
    assert.equal(doc('groups', first.groupId).taken + doc('groups', second.groupId).taken, 3);
  });

  it('a retried join returns the same seat and payment; a forged, unknown or unpaid group is refused', async () => {
    const { groupId } = await openedBy('o-lead');
    const first = ok(await join('o-retry', groupId, 'retry-join-1'));
    const again = ok(await join('o-retry', groupId, 'retry-join-1'));
    assert.deepEqual([again.order.orderId, again.order.payment?.['package']], [first.order.orderId, first.order.payment?.['package']]);
    assert.equal(doc('groups', groupId).taken, 2);
    assert.equal(code(await join('o-x', 'G'.padEnd(31, '0'))), 'NOT_FOUND');
    assert.equal(code(await join('o-x', '../groups')), 'INVALID_INPUT');
    assert.equal(code(await raw('member', 'o-x', { action: 'joinGroup', groupId, requestId: 'short' })), 'INVALID_INPUT');
    assert.equal(
      code(await raw('member', 'o-x', { action: 'openGroup', dealId: 'cup-group', requestId: next(), price: 1 })),
      'INVALID_INPUT',
    );
    ok(await member('o-unpaid-lead', { action: 'home' }));
    const unpaid = ok(await open('o-unpaid-lead'));
    assert.equal(code(await join('o-x', unpaid.groupId)), 'NOT_FOUND', 'friends see a group once its leader has paid');
    assert.equal(code(await open('o-x', 'no-such-deal')), 'NOT_FOUND');
  });

  it('an unpaid seat goes back to the group after the hold time, for someone else to take; WeChat Pay takes nothing after it', async () => {
    const { groupId } = await openedBy('o-lead');
    const slow = ok(await join('o-slow', groupId));
    assert.equal(doc('groups', groupId).taken, 2);
    const before = dealStock();
    at('2026-05-10T10:06:00');
    assert.equal(await pay(slow.order.orderId), 'requestPayment:fail 订单已过期', 'the hold has run out, though the timer has not run');
    await fire();
    assert.equal(stateOf(slow.order.orderId), 'expired');
    assert.deepEqual([doc('groups', groupId).taken, doc('groups', groupId).seats.length, dealStock()], [1, 1, before + 1]);
    assert.equal(await pay(slow.order.orderId), 'requestPayment:fail', 'WeChat Pay closed the order');
    ok(await join('o-next', groupId));
    ok(await join('o-slow', groupId));
    assert.equal(doc('groups', groupId).taken, 3);
  });

  it('a payment still on its way when the group fails is refunded, not kept', async () => {
    const { groupId } = await openedBy('o-lead');
    at('2026-05-11T09:57:00');
    const late = ok(await join('o-late-payer', groupId));
    assert.equal(new Date(doc('payOrders', late.order.orderId).expiresAt).toISOString(), doc('groups', groupId).deadline.toISOString());
    assert.equal(await pay(late.order.orderId, 'success', 'held'), 'requestPayment:ok');
    at('2026-05-11T10:00:01');
    // A firing's group sweep gets there before any firing has closed the order.
    const swept = await failDueGroups(serverContextAgainst(emulator()));
    assert.deepEqual([swept.failed, swept.waiting], [1, 1], 'the group waits, unsettled, for the order in flight');
    assert.equal(doc('groups', groupId).state, 'failed');
    await deliver(); // the payment's notification, which asks for the refund
    await deliver(); // the refund's result
    assert.equal(stateOf(late.order.orderId), 'refunded');
    assert.equal(refundsOf(late.order.orderId).length, 1);
    assert.equal(all('spendLedger').length, 0);
    await fire();
    assert.equal(doc('groups', groupId).settled, true);
    assert.equal(refundsOf(late.order.orderId).length, 1);
  });

  it('deadline passes unfilled: the group fails and every paid member is refunded exactly once, a refused refund retried until it goes', async () => {
    const { groupId, orderId: leaderOrder } = await openedBy('o-lead');
    const friend = ok(await join('o-friend', groupId));
    await consent('o-friend', 'local-tmpl-group-result');
    await pay(friend.order.orderId);
    const waiting = ok(await join('o-dawdler', groupId));
    const before = dealStock();
    emulator().pay.failRefunds = 1;
    at('2026-05-11T10:01:00');
    await Promise.all([fire(), fire()]);
    await deliver(); // the accepted refund's result
    assert.equal(doc('groups', groupId).state, 'failed');
    assert.equal(stateOf(waiting.order.orderId), 'expired');
    const states = [leaderOrder, friend.order.orderId].map(stateOf).sort();
    assert.deepEqual(states, ['refunded', 'refunding'], 'the first refund attempt was refused; the other went through');
    at('2026-05-11T10:12:00');
    await fire(); // the refused refund, asked again
    await deliver(); // its result
    await fire(); // a later firing asks no more
    assert.deepEqual([leaderOrder, friend.order.orderId].map(stateOf), ['refunded', 'refunded']);
    for (const id of [leaderOrder, friend.order.orderId]) assert.equal(refundsOf(id).length, 1, `${id} refunded once`);
    assert.equal(dealStock(), before + 3, 'every seat’s unit is back');
    assert.equal(all('dealSlots').length, 0, 'members may try another group');
    assert.equal(doc('groups', groupId).settled, true);
    assert.equal(all('spendLedger').length, 0, 'a failed group never counted as spend');
    assert.equal(code(await join('o-late', groupId)), 'GROUP_EXPIRED');
    assert.equal(emulator().subscribe.outbox('o-friend').length, 1, 'told once, however many firings');
    assert.match(JSON.stringify(emulator().subscribe.outbox('o-friend')[0]), /拼团失败/);
  });

  it('a group opened late on the deal’s last day ends with the deal, not 24 hours later', async () => {
    at('2026-05-10T22:00:00');
    const deals = ok(
      await call('ops', 'demo-operator', { action: 'putGroupDeal', deal: { ...doc('groupDeals', 'cup-group'), to: '2026-05-10' } }),
    );
    assert.equal(deals.id, 'cup-group');
    const { groupId } = await openedBy('o-lead');
    assert.equal((await view('o-lead', groupId)).deadline, new Date('2026-05-10T16:00:00Z').toISOString());
  });
});
