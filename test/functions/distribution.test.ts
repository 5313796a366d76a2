import assert from 'node:assert/strict';
import { code, emulatorPerFile, ok } from '../helpers/emulator';

const suite = emulatorPerFile();
const emulator = suite.emulator;
const { member, call, raw, at, pay, deliverPay, fireTimer: fire } = suite;

// biome-ignore lint/suspicious/noExplicitAny: documents as stored, read field by field
const doc = (c: string, id: string) => emulator().store.get(c, id) as any;
const pointsOf = (openid: string) => (doc('members', openid)?.points ?? 0) as number;
let request = 0;
/** `openid` buys the thermos cup with WeChat Pay (9900, bronze). */
async function buys(openid: string): Promise<string> {
  const order = ok(await member(openid, { action: 'createPayOrder', itemId: 'thermos-cup', requestId: `dist-buy-${++request}` }));
  assert.equal(await pay(order.orderId), 'requestPayment:ok');
  assert.equal(doc('payOrders', order.orderId).state, 'fulfilled');
  return order.orderId;
}
/** `openid` opens the item from `sharer`'s share. */
async function opensShareOf(openid: string, sharer: string): Promise<boolean> {
  const ref = ok(await member(sharer, { action: 'mallItem', itemId: 'thermos-cup' })).shareCode;
  return ok(await member(openid, { action: 'openReferral', itemId: 'thermos-cup', ref })).recorded;
}

/** Balances and commissions agree with the ledger and the orders. */
async function assertReconciled(): Promise<void> {
  const reconciled = ok(await call('ops', 'demo-operator', { action: 'reconcile' }));
  assert.deepEqual([reconciled.mismatches, reconciled.commissionMismatches], [[], []]);
}

beforeEach(() => at('2026-05-10T10:00:00'));

describe('distribution (分销)', () => {
  it('a friend buys through a share: the commission is paid in points once the refund window has passed, once', async () => {
    ok(await member('o-sharer', { action: 'home' }));
    assert.equal(await opensShareOf('o-friend', 'o-sharer'), true);
    assert.equal(doc('invites', 'o-friend')?.inviter, 'o-sharer', 'a new member brought by the share is an invite');
    assert.equal(await opensShareOf('o-friend', 'o-sharer'), false, 'first touch is kept; opens are counted');
    const orderId = await buys('o-friend');
    assert.deepEqual([doc('commissions', orderId).state, doc('commissions', orderId).points], ['pending', 99]);
    // 我的推广: the sharer sees it pending, by the item's name; the buyer's own list is empty.
    const pending = ok(await member('o-sharer', { action: 'myCommissions' }));
    assert.deepEqual(
      [pending.pendingPoints, pending.paidPoints, pending.commissions.map((c) => [c.title, c.points, c.state])],
      [99, 0, [['品牌保温杯', 99, 'pending']]],
    );
    assert.equal(JSON.stringify(pending).includes('o-friend'), false, 'who bought is not shown');
    assert.deepEqual(ok(await member('o-friend', { action: 'myCommissions' })).commissions, []);
    at('2026-05-17T09:59:00');
    await fire();
    assert.equal(pointsOf('o-sharer'), 0, 'not before the refund window has passed');
    at('2026-05-17T10:01:00');
    await Promise.all([fire(), fire()]);
    await fire();
    assert.equal(pointsOf('o-sharer'), 99);
    assert.equal(doc('commissions', orderId).state, 'paid');
    assert.equal(doc('ledger', `commission:${orderId}`).reason, 'commission');
    assert.deepEqual(
      [
        ok(await member('o-sharer', { action: 'myCommissions' })).pendingPoints,
        ok(await member('o-sharer', { action: 'myCommissions' })).paidPoints,
      ],
      [0, 99],
    );
    const path = ok(await call('ops', 'demo-operator', { action: 'referrals', sharer: 'o-sharer' }));
    assert.deepEqual(
      path.spreads.map((s) => [s.viewer, s.opens, s.conversions]),
      [['o-friend', 2, 1]],
    );
    assert.deepEqual(
      path.commissions.map((c) => [c.buyer, c.points, c.state]),
      [['o-friend', 99, 'paid']],
    );
    const reconciled = ok(await call('ops', 'demo-operator', { action: 'reconcile' }));
    assert.deepEqual(reconciled.mismatches, []);
  });

  it('a refund before the window ends cancels the commission; racing the payout, the refunded order never keeps it', async () => {
    ok(await member('o-sharer', { action: 'home' }));
    await opensShareOf('o-a', 'o-sharer');
    await opensShareOf('o-b', 'o-sharer');
    const refunded = await buys('o-a');
    ok(await call('ops', 'demo-operator', { action: 'refundPayOrder', orderId: refunded, reason: '退货' }));
    assert.equal(doc('commissions', refunded).state, 'cancelled');
    const raced = await buys('o-b');
    at('2026-05-17T10:01:00');
    await Promise.all([fire(), call('ops', 'demo-operator', { action: 'refundPayOrder', orderId: raced, reason: '退货' })]);
    await fire();
    await deliverPay();
    assert.equal(doc('payOrders', raced).state, 'refunded');
    const state = doc('commissions', raced).state as string;
    assert.ok(['cancelled', 'reversed'].includes(state), state);
    assert.equal(pointsOf('o-sharer'), 0, 'paid and taken back, or never paid');
    await assertReconciled();
  });

  it('a refund after the payout takes the commission back as far as the sharer’s balance allows, forgiving and recording the rest', async () => {
    ok(await member('o-sharer', { action: 'home' }));
    await opensShareOf('o-friend', 'o-sharer');
    const orderId = await buys('o-friend');
    at('2026-05-17T10:01:00');
    await fire();
    assert.equal(pointsOf('o-sharer'), 99);
    // The sharer spends most of it: 99 + 150 granted − 200 for a coupon leaves 49.
    ok(await call('ops', 'demo-operator', { action: 'grant', openid: 'o-sharer', points: 150, reason: '活动', requestId: 'dist-grant-1' }));
    ok(await member('o-sharer', { action: 'redeem', itemId: 'coupon-100-minus-20', requestId: 'dist-redeem-1' }));
    assert.equal(pointsOf('o-sharer'), 49);
    ok(await call('ops', 'demo-operator', { action: 'refundPayOrder', orderId, reason: '七天后退货' }));
    await deliverPay();
    assert.equal(doc('payOrders', orderId).state, 'refunded');
    assert.equal(pointsOf('o-sharer'), 0);
    assert.equal(doc('ledger', `commission-refund:${orderId}`).delta, -49);
    const [commission] = ok(await call('ops', 'demo-operator', { action: 'referrals', sharer: 'o-sharer' })).commissions;
    assert.deepEqual([commission?.state, commission?.reversal], ['reversed', { takenBack: 49, forgiven: 50 }]);
    await assertReconciled();
  });

  it('reconcile reports a commission that disagrees with its order', async () => {
    ok(await member('o-sharer', { action: 'home' }));
    await opensShareOf('o-friend', 'o-sharer');
    const orderId = await buys('o-friend');
    emulator().store.write('commissions', orderId, { ...doc('commissions', orderId), state: 'cancelled' });
    const reconciled = ok(await call('ops', 'demo-operator', { action: 'reconcile' }));
    assert.deepEqual(reconciled.commissionMismatches, [{ orderId, sharer: 'o-sharer', commission: 'cancelled', order: 'fulfilled' }]);
  });

  it('self-referral and referral loops earn nothing', async () => {
    ok(await member('o-a', { action: 'home' }));
    assert.equal(await opensShareOf('o-a', 'o-a'), false, 'own share');
    assert.equal(await opensShareOf('o-b', 'o-a'), true, 'A brings B');
    assert.equal(await opensShareOf('o-c', 'o-b'), true, 'B brings C');
    assert.equal(await opensShareOf('o-a', 'o-c'), false, 'C sharing to A closes a loop');
    assert.equal(await opensShareOf('o-a', 'o-b'), false, 'so does B sharing back to A');
    await buys('o-a');
    assert.equal(emulator().store.all('commissions').length, 0);
  });

  it('bad input: a malformed or unknown referral code; only operators read the spread path; bad config is refused', async () => {
    assert.equal(code(await raw('member', 'o-x', { action: 'openReferral', itemId: 'thermos-cup', ref: 'bad' })), 'INVALID_INPUT');
    assert.equal(ok(await member('o-x', { action: 'openReferral', itemId: 'thermos-cup', ref: 'ZZZZZZZZ' })).recorded, false);
    assert.equal(code(await call('ops', 'o-x', { action: 'referrals' })), 'FORBIDDEN');
    emulator().store.write('config', 'distribution', { _id: 'distribution', ratePercent: -5 } as never);
    const issues = ok(await call('ops', 'demo-operator', { action: 'configIssues' }));
    assert.ok(issues.some((i) => i.collection === 'config' && i.id === 'distribution'));
  });
});
