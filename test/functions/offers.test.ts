import assert from 'node:assert/strict';
import { newMember } from '../../core/member/registration';
import type { MemberDoc } from '../../typings/documents';
import { code, emulatorPerFile, ok } from '../helpers/emulator';

const suite = emulatorPerFile();
const emulator = suite.emulator;
const { member, call, at } = suite;
const ops = <A extends 'offerAudience' | 'issueOffer' | 'offerReadout' | 'putOffer'>(
  event: { action: A } & Record<string, unknown>,
  openid = 'demo-operator',
) => call('ops', openid, event);

/** `n` members the nightly pass tagged price-sensitive, and `others` it did not. */
function seedMembers(n: number, others: number): string[] {
  const now = emulator().clock.now();
  const ids: string[] = [];
  for (let i = 0; i < n + others; i++) {
    const openid = `o-m${String(i).padStart(3, '0')}`;
    const doc: MemberDoc = {
      ...newMember(openid, null, now, `I${String(i).padStart(7, '0')}`.slice(0, 8)),
      tags: i < n ? ['price_sensitive'] : [],
    };
    emulator().store.write('members', openid, doc as never);
    if (i < n) ids.push(openid);
  }
  return ids;
}

describe('targeted offers', () => {
  it('a 满减 offer reaches the price-sensitive members minus the holdout, once; its readout compares the arms', async () => {
    at('2026-05-10T10:00:00');
    const audience = seedMembers(120, 30);
    const size = ok(await ops({ action: 'offerAudience', offerId: 'price-sensitive-manjian' }));
    assert.deepEqual(size, { members: 120, holdoutPercent: 10 });
    const run = ok(await ops({ action: 'issueOffer', offerId: 'price-sensitive-manjian' }));
    assert.equal(run.done, true);
    assert.equal(run.issued + run.holdout, 120);
    assert.ok(run.holdout > 0 && run.holdout < 30, `holdout ${run.holdout} of 120 at 10 %`);
    const again = ok(await ops({ action: 'issueOffer', offerId: 'price-sensitive-manjian' }));
    assert.deepEqual([again.issued, again.holdout], [run.issued, run.holdout], 'issuing again repeats nothing');
    const coupons = emulator()
      .store.all('coupons')
      .filter((c) => c['templateKey'] === 'mall-100-minus-20');
    assert.equal(coupons.length, run.issued, 'one coupon per member in the offer arm');
    assert.ok(
      coupons.every((c) => audience.includes(c['openid'] as string)),
      'only the audience',
    );
    // Some come back the next day.
    at('2026-05-11T10:00:00');
    for (const openid of audience.slice(0, 40)) ok(await member(openid, { action: 'home' }));
    const buyer = emulator()
      .store.all('offerGrants')
      .find((g) => g['arm'] === 'offer')?.['openid'] as string;
    const memberCode = ok(await member(buyer, { action: 'memberCode' })).code as string;
    ok(await call('staff', 'demo-staff', { action: 'recordPurchase', code: memberCode, amount: 8_800, requestId: 'offer-buy-1' }));
    const readout = ok(await ops({ action: 'offerReadout', offerId: 'price-sensitive-manjian' }));
    assert.deepEqual(
      readout.arms.map((a) => a.arm),
      ['offer', 'holdout'],
    );
    assert.equal(readout.arms[0]!.members + readout.arms[1]!.members, 120);
    const back = readout.arms.reduce((s, a) => s + Math.round(a.returned7.estimate * a.members), 0);
    assert.equal(back, 40);
    assert.ok(readout.upliftReturned7, 'an interval for the uplift');
    assert.equal(
      Math.round((readout.arms[0]!.spendPerMember?.estimate ?? 0) * readout.arms[0]!.members),
      8_800,
      'spend since the grant, per member of the offer arm',
    );
    assert.equal(readout.arms[1]!.spendPerMember?.estimate ?? 0, 0);
  });

  it('days seen and away: the audience count agrees with who is issued, on Beijing days', async () => {
    at('2026-05-10T00:30:00'); // just after midnight in Beijing, still 05-09 in UTC
    seedMembers(0, 4);
    const seenOn = ['2026-05-09T23:59:00', '2026-05-08T00:01:00', '2026-05-07T23:59:00', '2026-05-01T12:00:00'];
    seenOn.forEach((t, i) => {
      const id = `o-m${String(i).padStart(3, '0')}`;
      emulator().store.write('members', id, {
        ...(emulator().store.get('members', id) as object),
        lastSeenAt: new Date(`${t}+08:00`),
      } as never);
    });
    const offer = {
      _id: 'drifting',
      version: 1,
      title: '回来看看',
      audience: { tiers: ['bronze'], awayAtLeastDays: 2, seenWithinDays: 8 },
      reward: { type: 'points', points: 10 },
      holdoutPercent: 0,
      enabled: true,
    };
    ok(await ops({ action: 'putOffer', offer }));
    const size = ok(await ops({ action: 'offerAudience', offerId: 'drifting' }));
    const run = ok(await ops({ action: 'issueOffer', offerId: 'drifting' }));
    assert.equal(size.members, 2, 'away 2 (05-08) and 3 (05-07) days; not 1 day, not 9 (seen within 8)');
    assert.equal(run.issued + run.holdout, size.members);
    assert.deepEqual(
      emulator()
        .store.all('offerGrants')
        .map((g) => g['openid'])
        .sort(),
      ['o-m001', 'o-m002'],
    );
  });

  it('issued three times at once: each member granted once, one coupon each', async () => {
    at('2026-05-10T10:00:00');
    seedMembers(60, 0);
    await Promise.all([0, 1, 2].map(() => ops({ action: 'issueOffer', offerId: 'price-sensitive-manjian' })));
    const finished = ok(await ops({ action: 'issueOffer', offerId: 'price-sensitive-manjian' }));
    assert.equal(finished.done, true);
    const grants = emulator().store.all('offerGrants');
    assert.equal(grants.length, 60);
    const coupons = emulator()
      .store.all('coupons')
      .filter((c) => c['templateKey'] === 'mall-100-minus-20');
    assert.equal(coupons.length, grants.filter((g) => g['arm'] === 'offer').length);
    assert.equal(new Set(coupons.map((c) => c['openid'])).size, coupons.length);
  });

  it('member-day early access: a high-value member buys the day before the sale opens, others wait', async () => {
    at('2026-06-17T10:00:00');
    const box = {
      _id: 'member-day-box',
      title: '会员日礼盒',
      kind: 'physical',
      price: 100,
      stock: 5,
      saleFrom: '2026-06-18',
      earlyAccess: { days: 1, tags: ['high_value'] },
      enabled: true,
    };
    ok(await call('ops', 'demo-operator', { action: 'putItem', item: box }));
    for (const [openid, tags] of [
      ['o-vip', ['high_value']],
      ['o-plain', []],
    ] as const) {
      ok(await member(openid, { action: 'home' }));
      const doc = emulator().store.get('members', openid) as Record<string, unknown>;
      emulator().store.write('members', openid, { ...doc, tags, points: 500 } as never);
    }
    assert.equal(ok(await member('o-vip', { action: 'mallItem', itemId: 'member-day-box' })).redeemable, true);
    assert.equal(ok(await member('o-plain', { action: 'mallItem', itemId: 'member-day-box' })).blockedBy, 'ITEM_UNAVAILABLE');
    ok(await member('o-vip', { action: 'redeem', itemId: 'member-day-box', requestId: 'member-day-1' }));
    assert.equal(
      code(await member('o-plain', { action: 'redeem', itemId: 'member-day-box', requestId: 'member-day-2' })),
      'ITEM_UNAVAILABLE',
    );
  });

  it('an issue that died mid-way is finished by the timer, granting nobody twice', async () => {
    at('2026-05-10T10:00:00');
    const audience = seedMembers(30, 0);
    // A first call granted the first ten and died before saving its place.
    emulator().store.write('jobs', 'offer:price-sensitive-manjian', {
      _id: 'offer:price-sensitive-manjian',
      cursor: '',
      processed: 0,
      done: false,
      stats: {},
      updatedAt: emulator().clock.now(),
    } as never);
    for (const openid of audience.slice(0, 10))
      emulator().store.write('offerGrants', `price-sensitive-manjian:${openid}`, {
        _id: `price-sensitive-manjian:${openid}`,
        offerId: 'price-sensitive-manjian',
        openid,
        arm: 'holdout',
        day: '2026-05-10',
        at: emulator().clock.now(),
      } as never);
    assert.ok((await emulator().fireTrigger('timer', 'tick')).ok);
    assert.equal(emulator().store.get('jobs', 'offer:price-sensitive-manjian')?.['done'], true);
    assert.equal(emulator().store.all('offerGrants').length, 30, 'each member once');
  });

  it('a bad offer is refused with its problems; only operators issue', async () => {
    const bad = await ops({
      action: 'putOffer',
      offer: { _id: 'x-offer', version: 1, title: '全员', audience: {}, reward: { type: 'points', points: -5 }, enabled: true },
    });
    assert.equal(code(bad), 'INVALID_INPUT');
    assert.match(bad.ok ? '' : bad.message, /audience/);
    assert.equal(code(await ops({ action: 'issueOffer', offerId: 'price-sensitive-manjian' }, 'demo-staff')), 'FORBIDDEN');
    assert.equal(code(await ops({ action: 'issueOffer', offerId: 'no-such-offer' })), 'NOT_FOUND');
  });
});
