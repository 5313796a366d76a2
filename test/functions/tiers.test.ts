import assert from 'node:assert/strict';
import { code, emulatorPerFile, ok } from '../helpers/emulator';

const suite = emulatorPerFile();
const emulator = suite.emulator;
const member = suite.member;
const staff = (event: { action: 'recordPurchase' } & Record<string, unknown>, openid = 'demo-staff') => suite.call('staff', openid, event);
const refund = (purchaseId: string, openid = 'demo-staff', reason = '顾客退货') =>
  suite.call('staff', openid, { action: 'refundPurchase', purchaseId, reason });

const at = (iso: string) => emulator().setNow(new Date(iso));
const all = (collection: string) => emulator().store.all(collection);
const codeOf = async (openid: string) => ok(await member(openid, { action: 'memberCode' })).code as string;
let request = 0;
const purchase = async (openid: string, amount: number, requestId = `till-${++request}-req`) =>
  staff({ action: 'recordPurchase', code: await codeOf(openid), amount, requestId });

beforeEach(() => at('2026-03-02T02:00:00Z'));

describe('spend and tiers', () => {
  it('a 1,000元 purchase from the member code makes a bronze member silver at once, with points, history and the silver price', async () => {
    const shown = await codeOf('o-buyer');
    assert.match(shown, /^\d{16}$/);
    const result = ok(await staff({ action: 'recordPurchase', code: shown, amount: 100_000, requestId: 'till-1-first' }));
    assert.deepEqual(
      [result.tier, result.tierName, result.upgradedFrom, result.points, result.balance, result.qualifyingSpend],
      ['silver', '银卡', 'bronze', 1000, 1000, 100_000],
    );
    assert.equal(result.memberNickname, '微**', 'masked for staff, as on every till screen');
    const view = ok(await member('o-buyer', { action: 'tier' }));
    assert.equal(view.tier, 'silver');
    assert.equal(view.benefits.pricePercent, 95);
    assert.deepEqual(view.next, { tier: 'gold', name: '金卡', toGo: 400_000 });
    assert.deepEqual(
      view.history.map((h) => [h.from, h.to, h.qualifyingSpend]),
      [['bronze', 'silver', 100_000]],
    );
    const lines = all('spendLedger').filter((l) => l['openid'] === 'o-buyer');
    assert.deepEqual(
      lines.map((l) => [l['amount'], l['counterparty'], l['reason']]),
      [[100_000, 'store:demo-store-1', 'purchase']],
    );
    // The silver-only item of the mall is now within reach.
    ok(await member('o-buyer', { action: 'redeem', itemId: 'coupon-30-no-threshold', requestId: 'silver-only-1' }));
    // The code shown counted once; a minute later the page shows a fresh one. A silver
    // member earns at silver's multiplier (1.2 points per yuan).
    assert.equal(
      code(await staff({ action: 'recordPurchase', code: shown, amount: 10_000, requestId: 'till-1-second' })),
      'MEMBER_CODE_USED',
    );
    at('2026-03-02T02:01:00Z');
    assert.equal(ok(await purchase('o-buyer', 10_000)).points, 120);
  });

  it('spend counts over a rolling 12 months: spend from 13 months ago no longer qualifies', async () => {
    at('2026-01-10T04:00:00Z');
    ok(await purchase('o-window', 60_000));
    at('2027-02-10T04:00:00Z');
    const later = ok(await purchase('o-window', 50_000));
    assert.deepEqual([later.tier, later.qualifyingSpend], ['bronze', 50_000]);
    at('2027-03-10T04:00:00Z');
    const third = ok(await purchase('o-window', 50_000));
    assert.deepEqual([third.tier, third.upgradedFrom, third.qualifyingSpend], ['silver', 'bronze', 100_000]);
  });

  it('one member code at 10 tills at once counts once; the others are told it was used', async () => {
    const shown = await codeOf('o-race');
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) => staff({ action: 'recordPurchase', code: shown, amount: 5_000, requestId: `race-till-${i}` })),
    );
    assert.equal(replies.filter((r) => r.ok).length, 1, replies.map(code).join());
    assert.deepEqual([...new Set(replies.filter((r) => !r.ok).map(code))], ['MEMBER_CODE_USED']);
    assert.equal(all('spendLedger').filter((l) => l['openid'] === 'o-race').length, 1);
    assert.equal(all('purchases').filter((p) => p['openid'] === 'o-race').length, 1);
  });

  it('a till retrying one purchase 8 times at once records it once and answers each the same', async () => {
    const shown = await codeOf('o-retry');
    const replies = await Promise.all(
      Array.from({ length: 8 }, () => staff({ action: 'recordPurchase', code: shown, amount: 12_345, requestId: 'retry-till-1' })),
    );
    assert.deepEqual([...new Set(replies.map(code))], ['ok']);
    assert.equal(new Set(replies.map((r) => (r.ok ? r.data.purchaseId : ''))).size, 1);
    assert.equal(all('spendLedger').filter((l) => l['openid'] === 'o-retry').length, 1);
    assert.equal(emulator().store.get('members', 'o-retry')?.['points'], 123);
    at('2026-03-02T02:01:00Z'); // a fresh code: the id, not the code, is what is reused
    const reused = await staff({ action: 'recordPurchase', code: await codeOf('o-retry'), amount: 1, requestId: 'retry-till-1' });
    assert.equal(code(reused), 'IDEMPOTENCY_KEY_REUSED');
  });

  it('bad amounts, stale or foreign codes and members at the till are refused, and nothing is written', async () => {
    const shown = await codeOf('o-bad');
    const refused = async (event: Record<string, unknown>, openid?: string) =>
      code(await staff({ action: 'recordPurchase', code: shown, requestId: 'bad-request-1', amount: 100, ...event }, openid));
    assert.equal(await refused({ amount: 0 }), 'INVALID_INPUT');
    assert.equal(await refused({ amount: -100 }), 'INVALID_INPUT');
    assert.equal(await refused({ amount: 10.5 }), 'INVALID_INPUT');
    assert.equal(await refused({ amount: '100' }), 'INVALID_INPUT');
    assert.equal(await refused({ amount: 5_000_001 }), 'AMOUNT_TOO_LARGE');
    assert.equal(await refused({ code: '12345678901234' }), 'MEMBER_CODE_INVALID');
    assert.equal(await refused({ code: 'not a code' }), 'MEMBER_CODE_INVALID');
    assert.equal(await refused({ code: `${shown.slice(0, 10)}000000` }), 'MEMBER_CODE_INVALID');
    assert.equal(await refused({}, 'o-bad'), 'FORBIDDEN');
    assert.equal(await refused({ openid: 'o-someone' }), 'INVALID_INPUT');
    at('2026-03-02T02:03:00Z'); // three minutes on: the shown code has expired
    assert.equal(await refused({}), 'MEMBER_CODE_INVALID');
    assert.equal(all('purchases').filter((p) => p['openid'] === 'o-bad').length, 0);
    assert.equal(all('spendLedger').filter((l) => l['openid'] === 'o-bad').length, 0);
    assert.equal(emulator().store.get('members', 'o-bad')?.['tier'], 'bronze');
  });

  it('five wrong member codes lock the code: the right one is refused too, the member sees the lock, operators get an alert', async () => {
    const shown = await codeOf('o-locked');
    const serial = shown.slice(0, 10);
    for (let i = 0; i < 5; i++) {
      const wrong = `${serial}${String((Number(shown.slice(10)) + 1 + i) % 1_000_000).padStart(6, '0')}`;
      await staff({ action: 'recordPurchase', code: wrong, amount: 100, requestId: `lock-try-${i}-x` });
    }
    assert.equal(
      code(await staff({ action: 'recordPurchase', code: shown, amount: 100, requestId: 'lock-right-1' })),
      'MEMBER_CODE_LOCKED',
    );
    const page = ok(await member('o-locked', { action: 'memberCode' }));
    assert.deepEqual([page.code, typeof page.lockedUntil], [null, 'string']);
    const alerts = ok(await suite.call('ops', 'demo-operator', { action: 'alerts', from: '2026-03-02', to: '2026-03-02' })).alerts;
    assert.deepEqual(
      alerts.filter((a) => a.kind === 'memberCodeLocked').map((a) => (a.kind === 'memberCodeLocked' ? a.memberCode : '')),
      [serial],
    );
    assert.equal(all('purchases').filter((p) => p['openid'] === 'o-locked').length, 0);
  });

  it('a refund takes back the spend and the points it earned; points already spent stay spent, never below zero', async () => {
    const bought = ok(await purchase('o-refund', 100_000));
    assert.equal(bought.tier, 'silver');
    // The member spends 600 of the 1,000 points it earned on the silver-only coupon.
    ok(await member('o-refund', { action: 'redeem', itemId: 'coupon-30-no-threshold', requestId: 'before-refund' }));
    const done = ok(await refund(bought.purchaseId));
    assert.deepEqual([done.pointsTakenBack, done.pointsForgiven, done.balance], [400, 600, 0]);
    const m = emulator().store.get('members', 'o-refund') as unknown as { points: number; spend: { total: number }; tier: string };
    assert.deepEqual([m.points, m.spend.total], [0, 0]);
    assert.equal(m.tier, 'silver', 'a downgrade is the timer job’s, after its warning and protection period');
    const lines = all('spendLedger').filter((l) => l['openid'] === 'o-refund');
    assert.equal(
      lines.reduce((sum, l) => sum + (l['amount'] as number), 0),
      0,
    );
    assert.equal(ok(await member('o-refund', { action: 'tier' })).qualifyingSpend, 0);
    const reconciled = ok(await suite.call('ops', 'demo-operator', { action: 'reconcile' }));
    assert.deepEqual([reconciled.mismatches, reconciled.spendMismatches], [[], []]);
    emulator().database.apply([
      {
        collection: 'members',
        id: 'o-refund',
        doc: { ...(emulator().store.get('members', 'o-refund') as { _id: string }), spend: { total: 5, months: {} } },
        mode: 'put',
      },
    ]);
    const drifted = ok(await suite.call('ops', 'demo-operator', { action: 'reconcile' }));
    assert.deepEqual(drifted.spendMismatches, [{ openid: 'o-refund', cached: 5, ledger: 0 }]);
  });

  it('five refunds of one purchase at once refund it once', async () => {
    const bought = ok(await purchase('o-twice', 20_000));
    const replies = await Promise.all(Array.from({ length: 5 }, () => refund(bought.purchaseId)));
    assert.equal(replies.filter((r) => r.ok).length, 1, replies.map(code).join());
    assert.deepEqual([...new Set(replies.filter((r) => !r.ok).map(code))], ['PURCHASE_ALREADY_REFUNDED']);
    assert.equal(all('refunds').filter((r) => r['openid'] === 'o-twice').length, 1);
    assert.equal(emulator().store.get('members', 'o-twice')?.['points'], 0);
  });

  it('another store’s staff, members and bad reasons cannot refund; an operator can, for any store', async () => {
    const bought = ok(await purchase('o-guarded', 30_000));
    emulator().database.apply([
      { collection: 'roles', id: 'staff-far', doc: { _id: 'staff-far', role: 'staff', storeId: 'demo-store-2' }, mode: 'put' },
    ]);
    assert.equal(code(await refund(bought.purchaseId, 'staff-far')), 'NOT_FOUND');
    assert.equal(code(await refund(bought.purchaseId, 'o-guarded')), 'FORBIDDEN');
    assert.equal(code(await refund(bought.purchaseId, 'demo-staff', ' ')), 'INVALID_INPUT');
    assert.equal(code(await refund('no-such-purchase')), 'NOT_FOUND');
    assert.equal(all('refunds').filter((r) => r['openid'] === 'o-guarded').length, 0);
    const byOperator = await suite.call('ops', 'demo-operator', {
      action: 'refundPurchase',
      purchaseId: bought.purchaseId,
      reason: '客诉',
    });
    assert.equal(ok(byOperator).pointsTakenBack, 300);
    assert.equal(all('refunds').find((r) => r['openid'] === 'o-guarded')?.['role'], 'operator');
  });

  it('the night warns a member whose spend fell below their tier, keeps the tier through the protection period, then moves them down', async () => {
    const fire = async (beijing: string) => {
      emulator().setNow(new Date(`${beijing}+08:00`));
      const outcome = await emulator().fireTrigger('timer', 'tick');
      assert.ok(outcome.ok, JSON.stringify(outcome));
    };
    const profile = async (openid: string) => ok(await member(openid, { action: 'profile' }));
    at('2026-03-20T02:00:00Z');
    ok(await purchase('o-lapse', 100_000));
    ok(await purchase('o-saved', 100_000));
    // A year on, both open the app the day before the spend of March 2026 leaves the window.
    for (const openid of ['o-lapse', 'o-saved']) {
      emulator().setNow(new Date('2027-03-31T12:00:00+08:00'));
      ok(await member(openid, { action: 'home' }));
      // The member's tap on 允许 (the platform's credit) and the app's report of it.
      emulator().subscribe.grant(openid, 'local-tmpl-return-reminder');
      ok(await member(openid, { action: 'subscribe', accepted: ['local-tmpl-return-reminder'], rejected: [] }));
    }
    await fire('2027-04-01T02:00:00');
    await fire('2027-04-01T02:10:00'); // a second firing the same night changes nothing
    const warned = emulator().store.get('members', 'o-lapse') as unknown as { tier: string; tierReview: Record<string, string> };
    assert.deepEqual([warned.tier, warned.tierReview], ['silver', { warnedOn: '2027-04-01', downgradeOn: '2027-05-01', to: 'bronze' }]);
    assert.deepEqual((await profile('o-lapse')).tierNotice, { toName: '铜卡', downgradeOn: '2027-05-01', toKeep: 100_000 });
    await fire('2027-04-01T10:00:00');
    const messages = emulator().subscribe.outbox('o-lapse');
    assert.equal(messages.length, 1);
    assert.match(JSON.stringify(messages[0]), /会员等级即将调整.*2027年5月1日/);

    // One of them spends back above the line within the period: the warning is lifted.
    emulator().setNow(new Date('2027-04-10T12:00:00+08:00'));
    ok(await purchase('o-saved', 100_000));
    await fire('2027-04-11T02:00:00');
    assert.equal(emulator().store.get('members', 'o-saved')?.['tierReview'], null);
    assert.equal((await profile('o-saved')).tierNotice, null);

    await fire('2027-04-30T02:00:00');
    assert.equal(emulator().store.get('members', 'o-lapse')?.['tier'], 'silver', 'still inside the protection period');
    await fire('2027-05-01T02:00:00');
    await fire('2027-05-01T02:10:00');
    assert.equal(emulator().store.get('members', 'o-lapse')?.['tier'], 'bronze');
    assert.equal(emulator().store.get('members', 'o-saved')?.['tier'], 'silver');
    const moves = ok(await member('o-lapse', { action: 'tier' })).history;
    assert.deepEqual(
      moves.map((h) => [h.from, h.to]),
      [
        ['silver', 'bronze'],
        ['bronze', 'silver'],
      ],
    );
    assert.equal((await profile('o-lapse')).tierNotice, null);
  });

  it('a purchase racing the night that would move the member down leaves them in the tier their spend supports', async () => {
    at('2026-03-20T02:00:00Z');
    ok(await purchase('o-race-night', 100_000));
    emulator().setNow(new Date('2027-04-01T02:00:00+08:00'));
    assert.ok((await emulator().fireTrigger('timer', 'tick')).ok); // warned: down on 2027-05-01
    emulator().setNow(new Date('2027-05-01T02:00:00+08:00'));
    const [night, bought] = await Promise.all([emulator().fireTrigger('timer', 'tick'), purchase('o-race-night', 100_000)]);
    assert.ok(night.ok);
    ok(bought);
    const m = emulator().store.get('members', 'o-race-night') as unknown as { tier: string; tierReview: unknown };
    assert.deepEqual([m.tier, m.tierReview ?? null], ['silver', null], 'whichever ran first, 1,000元 this month keeps silver');
    const moves = ok(await member('o-race-night', { action: 'tier' })).history.map((h) => `${h.from}>${h.to}`);
    assert.equal(moves[0], 'bronze>silver', `the latest move ends in silver, as the member is: ${moves.join(', ')}`);
  });

  it('a purchase can write off one of the member’s coupons in the same step: they pay, and earn on, the rest', async () => {
    ok(await member('o-combo', { action: 'home' }));
    ok(
      await suite.call('ops', 'demo-operator', {
        action: 'grant',
        openid: 'o-combo',
        points: 500,
        reason: 'test',
        requestId: 'combo-grant-1',
      }),
    );
    const redeemed = ok(await member('o-combo', { action: 'redeem', itemId: 'coupon-100-minus-20', requestId: 'combo-coupon-1' }));
    const couponCode = async () =>
      ok(await member('o-combo', { action: 'couponCode', couponId: redeemed.couponId as string })).code as string;
    const tooSmall = await staff({
      action: 'recordPurchase',
      code: await codeOf('o-combo'),
      amount: 5_000,
      requestId: 'combo-small',
      couponCode: await couponCode(),
    });
    assert.equal(code(tooSmall), 'COUPON_CONDITION_UNMET');
    assert.equal(all('purchases').filter((p) => p['openid'] === 'o-combo').length, 0, 'nothing written');
    const othersCoupon = await staff({
      action: 'recordPurchase',
      code: await codeOf('o-buyer'),
      amount: 12_800,
      requestId: 'combo-other',
      couponCode: await couponCode(),
    });
    assert.equal(code(othersCoupon), 'COUPON_CODE_INVALID');
    const done = ok(
      await staff({
        action: 'recordPurchase',
        code: await codeOf('o-combo'),
        amount: 12_800,
        requestId: 'combo-first',
        couponCode: await couponCode(),
      }),
    );
    assert.deepEqual([done.orderAmount, done.amount, done.coupon?.discount, done.points], [12_800, 10_800, 2_000, 108]);
    assert.equal(emulator().store.get('coupons', redeemed.couponId as string)?.['status'], 'used');
    assert.equal(emulator().store.get('writeOffs', redeemed.couponId as string)?.['orderAmount'], 12_800);
    assert.deepEqual(
      all('spendLedger')
        .filter((l) => l['openid'] === 'o-combo')
        .map((l) => l['amount']),
      [10_800],
    );
  });
});
