import assert from 'node:assert/strict';
import { DEFAULT_REMINDERS_CONFIG } from '../../core/config/reminders';
import { code, emulatorPerFile, ok } from '../helpers/emulator';

const suite = emulatorPerFile();
const { member, call, at, fireTimer: fire } = suite;
const dashboard = (day?: string) => call('ops', 'demo-operator', day ? { action: 'dashboard', day } : { action: 'dashboard' });

describe('operations center', () => {
  it('the day’s figures, counted by the timer, against the days before', async () => {
    at('2026-05-09T11:00:00');
    for (const o of ['o-a', 'o-b']) ok(await member(o, { action: 'checkin' }));
    await fire();
    at('2026-05-10T11:00:00');
    ok(await member('o-a', { action: 'checkin' }));
    ok(await member('o-c', { action: 'home' }));
    ok(await call('ops', 'demo-operator', { action: 'grant', openid: 'o-a', points: 500, reason: '测试', requestId: 'dash-grant-1' }));
    const coupon = ok(await member('o-a', { action: 'redeem', itemId: 'coupon-100-minus-20', requestId: 'dash-redeem-1' }));
    const till = ok(await member('o-a', { action: 'couponCode', couponId: coupon.couponId as string })).code as string;
    ok(await call('staff', 'demo-staff', { action: 'writeOff', code: till, orderAmount: 12_800 }));
    const memberCode = ok(await member('o-b', { action: 'memberCode' })).code as string;
    ok(await call('staff', 'demo-staff', { action: 'recordPurchase', code: memberCode, amount: 8_800, requestId: 'dash-till-1' }));
    await fire();
    const view = ok(await dashboard());
    assert.equal(view.day, '2026-05-10');
    const t = view.today;
    assert.ok(t);
    assert.deepEqual(
      [t.checkins, t.newMembers, t.redemptions, t.writeOffs, t.writeOffsByStore, t.purchases, t.spend],
      [1, 1, 1, 1, { 'demo-store-1': 1 }, 1, 8_800],
    );
    assert.equal(t.activeMembers, 3, 'a, b (the purchase) and c (opened the app)');
    assert.equal(t.pointsIssued, 20 + 500 + 88, 'the day-2 check-in, the grant, the purchase');
    assert.equal(t.pointsRedeemed, 200);
    const yesterday = view.previous.find((p) => p.day === '2026-05-09')?.figures;
    assert.deepEqual([yesterday?.checkins, yesterday?.newMembers, yesterday?.activeMembers], [2, 2, 2]);
    assert.equal(view.previous.length, 7);
    assert.equal(
      view.previous.find((p) => p.day === '2026-05-08')?.figures?.checkins,
      0,
      'the day before the first firing, counted as yesterday then',
    );
    assert.equal(view.previous.find((p) => p.day === '2026-05-07')?.figures, null, 'never counted');
    assert.deepEqual(
      [view.funnels.checkin.checkedIn, view.funnels.checkin.returnedNextDay],
      [3, 0],
      'next-day returns wait for the day after',
    );
    // The first firing of 05-11 closes 05-10, and 05-09 learns who came back on 05-10.
    at('2026-05-11T00:05:00');
    await fire();
    const later = ok(await dashboard('2026-05-10'));
    assert.equal(later.previous.find((p) => p.day === '2026-05-09')?.figures?.checkinsReturnedNextDay, 2, 'a and b were back on 05-10');
    assert.equal(later.funnels.checkin.returnedNextDay, 2);
  });

  it('a member who registered on a day was active that day: new members are among the active ones', async () => {
    at('2026-07-01T10:00:00');
    ok(await member('o-old', { action: 'home' }));
    await fire();
    at('2026-07-02T10:00:00');
    // Registered by a screen that records no visit (我的, a shared deal's page…), and by the home page.
    for (const o of ['o-p1', 'o-p2', 'o-p3']) ok(await member(o, { action: 'profile' }));
    for (const o of ['o-h1', 'o-h2', 'o-old']) ok(await member(o, { action: 'home' }));
    await fire();
    const today = ok(await dashboard()).today;
    assert.deepEqual([today?.newMembers, today?.activeMembers], [5, 6], 'the five new ones and o-old');
    at('2026-07-03T00:05:00');
    ok(await member('o-p1', { action: 'home' }));
    await fire();
    const closed = ok(await dashboard('2026-07-03')).previous.find((p) => p.day === '2026-07-02')?.figures;
    assert.deepEqual([closed?.newMembers, closed?.activeMembers], [5, 6], 'the day as closed by the next one’s first firing');
  });

  it('lists the reminder experiments running, for their readouts', async () => {
    assert.deepEqual(ok(await dashboard()).experiments, []);
    const campaigns = {
      ...DEFAULT_REMINDERS_CONFIG.campaigns,
      'absent-7': {
        ...DEFAULT_REMINDERS_CONFIG.campaigns['absent-7'],
        experiment: { id: 'absent-copy', holdoutPercent: 10, variants: [{ key: 'a', weight: 1 }] },
      },
    };
    ok(await call('ops', 'demo-operator', { action: 'saveConfig', collection: 'config', id: 'reminders', doc: { campaigns } }));
    assert.deepEqual(ok(await dashboard()).experiments, [{ campaign: 'absent-7', experimentId: 'absent-copy' }]);
  });

  it('only operators; a bad day is refused', async () => {
    assert.equal(code(await call('ops', 'demo-staff', { action: 'dashboard' })), 'FORBIDDEN');
    assert.equal(code(await dashboard('2026-02-30')), 'INVALID_INPUT');
  });
});
