import assert from 'node:assert/strict';
import { DEFAULT_REMINDERS_CONFIG as config } from '../../core/config/reminders';
import { emulatorPerFile } from '../helpers/emulator';

const suite = emulatorPerFile();
const emulator = suite.emulator;
const { member, call, raw } = suite;

const RETURN = config.templates.returnReminder;
const code = (reply: { ok: boolean; code?: string }) => (reply.ok ? 'ok' : reply.code);
const at = (beijing: string) => emulator().setNow(new Date(`${beijing}+08:00`));
const fire = async (beijing: string) => {
  at(beijing);
  const outcome = await emulator().fireTrigger('timer', 'tick');
  assert.ok(outcome.ok, JSON.stringify(outcome));
};
/** The night's pass (tags) and the day's reminder pass. */
const nightAndDay = async (day: string) => {
  await fire(`${day}T02:00:00`);
  await fire(`${day}T10:00:00`);
};
// biome-ignore lint/suspicious/noExplicitAny: documents as stored, read field by field
const doc = (c: string, id: string) => emulator().store.get(c, id) as ({ _id: string } & Record<string, any>) | undefined;
const all = (c: string, openid: string) =>
  emulator()
    .store.all(c)
    .filter((d) => d['openid'] === openid);
const giftId = (openid: string, lastSeen: string) => `${openid}:return-gift:since-${lastSeen}`;

async function visit(openid: string, beijing: string, events: Record<string, unknown>[] = []) {
  at(beijing);
  assert.equal(code(await member(openid, { action: 'home' })), 'ok');
  for (const event of events) assert.equal(code(await raw('member', openid, event)), 'ok', JSON.stringify(event));
}
const browse = (productId: string) => ({ action: 'track', event: 'browse_product', productId });

describe('return gift pack for potential churners', () => {
  it('is reserved on day 16 away with a message naming what the member browsed most; re-runs add nothing', async () => {
    await visit('o-drift', '2026-02-27T09:00:00', [browse('parking-2h')]);
    await visit('o-drift', '2026-02-28T09:00:00', [browse('parking-2h'), browse('gift-mug')]);
    await visit('o-drift', '2026-03-01T09:00:00', [browse('gift-mug'), browse('coupon-85-off')]);
    await visit('o-drift', '2026-03-01T09:05:00', [browse('gift-mug')]);
    emulator().subscribe.grant('o-drift', RETURN);
    assert.equal(code(await member('o-drift', { action: 'subscribe', accepted: [RETURN], rejected: [] })), 'ok');

    await fire('2026-03-16T02:00:00');
    assert.deepEqual(doc('members', 'o-drift')?.['tags'], [], '15 days away: not yet');
    await nightAndDay('2026-03-17');
    assert.deepEqual(doc('members', 'o-drift')?.['tags'], ['potential_churn']);
    const gift = doc('gifts', giftId('o-drift', '2026-03-01'));
    assert.equal(gift?.['status'], 'waiting');
    assert.deepEqual(gift?.['pack'], config.campaigns['return-gift'].pack);
    assert.equal(gift?.['expiresDay'], '2026-04-15');
    assert.deepEqual(gift?.['recommendation'], { itemId: 'gift-mug', title: '品牌马克杯' }, 'viewed on 2 days, latest');
    assert.equal(doc('members', 'o-drift')?.['waitingGift'], gift?._id);
    const sent = emulator().subscribe.outbox('o-drift');
    assert.deepEqual(
      sent.map((m) => [m.data['thing1'], m.data['thing3']]),
      [['回归礼包已为你备好', '你看过的品牌马克杯还在']],
    );
    assert.deepEqual(
      all('coupons', 'o-drift').map((c) => c['templateKey']),
      ['active-day3'],
      'the pack is handed over on return, not before',
    );

    await fire('2026-03-17T10:10:00');
    emulator().store.write('jobs', 'reminders-day:2026-03-17', null);
    await fire('2026-03-17T10:20:00');
    await nightAndDay('2026-03-18');
    assert.equal(emulator().subscribe.outbox('o-drift').length, 1);
    assert.equal(all('gifts', 'o-drift').length, 1);
  });

  it('is handed over once when the member comes back, however many visits race', async () => {
    await visit('o-back', '2026-03-01T09:00:00');
    await nightAndDay('2026-03-17');
    assert.equal(doc('reminders', giftId('o-back', '2026-03-01'))?.['reason'], 'no_consent', 'no consent: no message');
    assert.equal(doc('gifts', giftId('o-back', '2026-03-01'))?.['status'], 'waiting', 'the pack needs no consent');
    const before = doc('members', 'o-back')!;

    at('2026-03-20T12:00:00');
    const replies = await Promise.all(Array.from({ length: 8 }, () => member('o-back', { action: 'home' })));
    const welcomes = replies.flatMap((r) => (r.ok && r.data.welcomeBack ? [r.data] : []));
    assert.equal(replies.filter((r) => r.ok).length, 8);
    assert.equal(welcomes.length, 1, 'one visit hands it over');
    assert.deepEqual(welcomes[0]?.welcomeBack, { points: 100, makeupCards: 1, coupon: '回归礼包满100减20券', recommendation: null });
    assert.equal(welcomes[0]?.points, before['points'] + 100);
    const after = doc('members', 'o-back')!;
    assert.equal(after['points'], before['points'] + 100);
    assert.equal(after['makeupCards'], before['makeupCards'] + 1);
    assert.equal(after['waitingGift'], null);
    assert.deepEqual(
      all('ledger', 'o-back')
        .filter((e) => e['reason'] === 'gift')
        .map((e) => e['delta']),
      [100],
    );
    assert.deepEqual(
      all('coupons', 'o-back').map((c) => c['templateKey']),
      ['return-gift-100-minus-20'],
    );
    assert.equal(doc('gifts', giftId('o-back', '2026-03-01'))?.['status'], 'granted');
    const reconciled = await call('ops', 'demo-operator', { action: 'reconcile' });
    assert.ok(reconciled.ok && reconciled.data.mismatches.length === 0, JSON.stringify(reconciled));
  });

  it('three timer firings racing over the day pass reserve one pack and send one message', async () => {
    await visit('o-raced', '2026-03-01T09:00:00');
    emulator().subscribe.grant('o-raced', RETURN);
    assert.equal(code(await member('o-raced', { action: 'subscribe', accepted: [RETURN], rejected: [] })), 'ok');
    await fire('2026-03-17T02:00:00');
    at('2026-03-17T10:00:00');
    await Promise.all([1, 2, 3].map(() => emulator().fireTrigger('timer', 'tick')));
    assert.equal(all('gifts', 'o-raced').length, 1);
    assert.equal(doc('members', 'o-raced')?.['waitingGift'], giftId('o-raced', '2026-03-01'));
    assert.equal(emulator().subscribe.outbox('o-raced').length, 1);
  });

  it('after the day-15 coupon message the sleeping cap holds the message back, not the pack', async () => {
    await visit('o-capped', '2026-03-01T09:00:00');
    for (let i = 0; i < 2; i++) {
      emulator().subscribe.grant('o-capped', RETURN);
      assert.equal(code(await member('o-capped', { action: 'subscribe', accepted: [RETURN], rejected: [] })), 'ok');
    }
    await nightAndDay('2026-03-16');
    await nightAndDay('2026-03-17');
    assert.deepEqual(
      emulator()
        .subscribe.outbox('o-capped')
        .map((m) => m.data['thing1']),
      ['50元无门槛券已到账'],
    );
    assert.equal(doc('reminders', giftId('o-capped', '2026-03-01'))?.['reason'], 'capped');
    assert.equal(doc('gifts', giftId('o-capped', '2026-03-01'))?.['status'], 'waiting');
  });

  it('expires when the member comes back after its last day', async () => {
    await visit('o-late', '2026-03-01T09:00:00');
    await nightAndDay('2026-03-17');
    at('2026-04-16T09:00:00');
    const reply = await member('o-late', { action: 'home' });
    assert.ok(reply.ok);
    assert.equal(reply.data.welcomeBack, null);
    assert.equal(doc('gifts', giftId('o-late', '2026-03-01'))?.['status'], 'expired');
    assert.equal(doc('members', 'o-late')?.['waitingGift'], null);
    assert.equal(all('ledger', 'o-late').filter((e) => e['reason'] === 'gift').length, 0);
  });

  it('a member with an open order is not a potential churner: no pack, the day-15 coupon stays the last word', async () => {
    await visit('o-order', '2026-03-01T09:00:00');
    assert.equal(
      code(
        await call('ops', 'demo-operator', { action: 'grant', openid: 'o-order', points: 1500, reason: '测试', requestId: 'gift-order-1' }),
      ),
      'ok',
    );
    assert.equal(code(await member('o-order', { action: 'redeem', itemId: 'gift-mug', requestId: 'req-gift-order' })), 'ok');
    await nightAndDay('2026-03-17');
    assert.deepEqual(doc('members', 'o-order')?.['tags'], []);
    assert.equal(all('gifts', 'o-order').length, 0);
    assert.equal(doc('reminders', 'o-order:coupon-15:since-2026-03-01')?.['campaign'], 'coupon-15');
  });

  it("an experiment variant's coupon replaces the pack's", async () => {
    const experiment = {
      id: 'gift-coupon',
      holdoutPercent: 0,
      variants: [{ key: 'no-threshold', weight: 1, couponKey: 'mall-30-no-threshold' }],
    };
    emulator().store.write('config', 'reminders', {
      _id: 'reminders',
      campaigns: { ...config.campaigns, 'return-gift': { ...config.campaigns['return-gift'], experiment } },
    } as never);
    await visit('o-variant', '2026-03-01T09:00:00');
    await nightAndDay('2026-03-17');
    assert.equal(doc('gifts', giftId('o-variant', '2026-03-01'))?.['pack']['couponKey'], 'mall-30-no-threshold');
    assert.equal(doc('reminders', giftId('o-variant', '2026-03-01'))?.['arm'], 'no-threshold');
  });

  it('operators see an empty pack or a campaign only churned members could reach as issues; members keep the defaults', async () => {
    const pack = { points: 0, makeupCards: 0, couponKey: null };
    emulator().store.write('config', 'reminders', {
      _id: 'reminders',
      campaigns: { ...config.campaigns, 'return-gift': { ...config.campaigns['return-gift'], pack, afterDays: 40 } },
    } as never);
    const issues = await call('ops', 'demo-operator', { action: 'configIssues' });
    assert.ok(issues.ok);
    const problems = issues.data.find((i) => i.id === 'reminders')?.problems.join(' ') ?? '';
    assert.match(problems, /gift pack must hold/);
    assert.match(problems, /only churned members/);
    await visit('o-safe', '2026-03-01T09:00:00');
    await nightAndDay('2026-03-17');
    assert.deepEqual(doc('gifts', giftId('o-safe', '2026-03-01'))?.['pack'], config.campaigns['return-gift'].pack);
  });
});
