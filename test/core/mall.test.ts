import assert from 'node:assert/strict';
import fc from 'fast-check';
import { type MallItem, couponTemplateSchema, mallItemSchema } from '../../core/mall/catalogue';
import { notOnSaleBecause, redeemBlock } from '../../core/mall/availability';
import { currentCode, oneTimePassword, parseCode, stepAt, verifyPassword } from '../../core/mall/code';
import { couponWindow, describeRule, discountFor, fromTheMall, paidWith, payOrderSource, writeOffProblem } from '../../core/mall/coupon';
import { countedBack, countedOnce, limitPeriodKey, limitReached } from '../../core/mall/limits';
import { addressSchema, canMoveOrder } from '../../core/orders/delivery';
import { decideRedeem } from '../../core/mall/redeem';
import { newMember } from '../../core/member/registration';
import { DEFAULT_CODE_GUARD } from '../../core/config/codeGuard';
import { attemptWindow, lockFor, lockedUntil, wrongWindow } from '../../core/mall/codeGuard';

const RFC_SECRET = Buffer.from('12345678901234567890').toString('hex');

describe('rotating till code', () => {
  it('matches the RFC 6238 SHA-1 test vectors (last 6 digits)', () => {
    // RFC 6238 appendix B: T = 59 s and 1111111109 s with 30-second steps.
    assert.equal(oneTimePassword(RFC_SECRET, 1), '287082');
    assert.equal(oneTimePassword(RFC_SECRET, 37037036), '081804');
  });

  it('a code is accepted in its minute and the next, never later or earlier', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }), (ms) => {
        const now = new Date(ms);
        const { code, refreshAt } = currentCode('12345678', RFC_SECRET, now);
        const otp = parseCode(code)!.otp;
        assert.ok(verifyPassword(RFC_SECRET, otp, now));
        assert.ok(verifyPassword(RFC_SECRET, otp, new Date(refreshAt.getTime() + 59_999)));
        assert.equal(stepAt(refreshAt), stepAt(now) + 1);
        // Another step's password may collide by chance (1 in a million); the step two on must not verify ours.
        const later = new Date(refreshAt.getTime() + 60_000);
        if (oneTimePassword(RFC_SECRET, stepAt(later)) !== otp && oneTimePassword(RFC_SECRET, stepAt(later) - 1) !== otp)
          assert.ok(!verifyPassword(RFC_SECRET, otp, later));
      }),
    );
  });

  it('parses 14 digits with spaces and nothing else', () => {
    assert.deepEqual(parseCode('1234 5678 123 456'), { serial: '12345678', otp: '123456' });
    for (const bad of ['', '1234567812345', '123456781234567', '1234567a123456', '１２３４５６７８１２３４５６'])
      assert.equal(parseCode(bad), null, bad);
  });
});

describe('coupon rules', () => {
  it('满减 needs the threshold, 折扣 caps at maxOff, 无门槛 never exceeds the order', () => {
    assert.deepEqual(discountFor({ type: 'threshold', threshold: 10_000, amount: 2000 }, 10_000), { ok: true, discount: 2000 });
    assert.deepEqual(discountFor({ type: 'threshold', threshold: 10_000, amount: 2000 }, 9_999), { ok: false, reason: 'below_threshold' });
    assert.deepEqual(discountFor({ type: 'threshold', threshold: 10_000, amount: 2000 }, undefined), {
      ok: false,
      reason: 'amount_required',
    });
    assert.deepEqual(discountFor({ type: 'discount', percent: 85, maxOff: 5000 }, 10_000), { ok: true, discount: 1500 });
    assert.deepEqual(discountFor({ type: 'discount', percent: 85, maxOff: 5000 }, 1_000_000), { ok: true, discount: 5000 });
    assert.deepEqual(discountFor({ type: 'noThreshold', amount: 5000 }, 3000), { ok: true, discount: 3000 });
  });

  it('a discount is never negative nor more than the order', () => {
    const rule = fc.oneof(
      fc
        .record({
          type: fc.constant('threshold' as const),
          threshold: fc.integer({ min: 2, max: 1e7 }),
          amount: fc.integer({ min: 1, max: 1e7 }),
        })
        .filter((r) => r.amount < r.threshold),
      fc.record({ type: fc.constant('discount' as const), percent: fc.integer({ min: 10, max: 99 }) }),
      fc.record({ type: fc.constant('noThreshold' as const), amount: fc.integer({ min: 1, max: 1e7 }) }),
    );
    fc.assert(
      fc.property(rule, fc.integer({ min: 1, max: 1e8 }), (r, order) => {
        const outcome = discountFor(r, order);
        if (outcome.ok) assert.ok(outcome.discount >= 0 && outcome.discount <= order && Number.isInteger(outcome.discount));
      }),
    );
  });

  it('reads as people say it', () => {
    assert.equal(describeRule({ type: 'threshold', threshold: 10_000, amount: 2000 }), '满100减20');
    assert.equal(describeRule({ type: 'discount', percent: 80 }), '8折');
    assert.equal(describeRule({ type: 'noThreshold', amount: 5000 }), '50元无门槛');
  });

  it('N relative days end at Beijing midnight after the Nth day; fixed dates cover whole Beijing days', () => {
    const issued = new Date('2026-03-10T17:00:00Z'); // 01:00 on 3-11 in Beijing
    assert.equal(couponWindow({ type: 'relative', days: 7 }, issued).validTo.toISOString(), '2026-03-18T16:00:00.000Z');
    const fixed = couponWindow({ type: 'fixed', from: '2026-04-01', to: '2026-04-30' }, issued);
    assert.deepEqual(
      [fixed.validFrom.toISOString(), fixed.validTo.toISOString()],
      ['2026-03-31T16:00:00.000Z', '2026-04-30T16:00:00.000Z'],
    );
  });

  it('write-off problems: used, expired, not yet valid, wrong store, tier', () => {
    const base = {
      status: 'unused' as const,
      validFrom: new Date('2026-03-01T00:00:00Z'),
      validTo: new Date('2026-04-01T00:00:00Z'),
      storeIds: ['s1'],
      minTier: 'silver' as const,
      rule: { type: 'noThreshold' as const, amount: 100 },
    };
    const now = new Date('2026-03-15T00:00:00Z');
    assert.equal(writeOffProblem(base, 'gold', 's1', now), null);
    assert.equal(writeOffProblem({ ...base, status: 'used' }, 'gold', 's1', now), 'COUPON_ALREADY_USED');
    assert.equal(writeOffProblem(base, 'gold', 's1', new Date('2026-04-01T00:00:00Z')), 'COUPON_EXPIRED');
    assert.equal(writeOffProblem(base, 'gold', 's1', new Date('2026-02-28T00:00:00Z')), 'COUPON_NOT_YET_VALID');
    assert.equal(writeOffProblem(base, 'gold', 's2', now), 'COUPON_WRONG_STORE');
    assert.equal(writeOffProblem(base, 'bronze', 's1', now), 'COUPON_CONDITION_UNMET');
  });
});

describe('catalogue schemas and limits', () => {
  const item = (extra: Partial<MallItem> = {}): MallItem =>
    mallItemSchema.parse({ _id: 'item', title: 'x', kind: 'physical', price: 100, stock: 5, enabled: true, ...extra });

  it('limits count per lifetime and per day/week/month period', () => {
    const limit = { lifetime: 3, perPeriod: { period: 'week' as const, count: 1 } };
    const once = countedOnce(limit, undefined, '2026-03-11');
    assert.deepEqual(once, { lifetime: 1, period: { key: 'week-2026-03-09', count: 1 } });
    assert.ok(limitReached(limit, once, '2026-03-15'), 'same Monday-started week');
    assert.ok(!limitReached(limit, once, '2026-03-16'), 'next week');
    const third = countedOnce(limit, countedOnce(limit, once, '2026-03-16'), '2026-03-23');
    assert.ok(limitReached(limit, third, '2026-04-30'), 'lifetime');
    assert.equal(limitPeriodKey('month', '2026-03-31'), 'month-2026-03');
  });

  it('why an item cannot be redeemed, most fundamental first', () => {
    const rich = { tier: 'bronze' as const, points: 1000 };
    assert.equal(redeemBlock(item(), rich, undefined, '2026-03-10'), null);
    assert.equal(redeemBlock(item({ stock: 0, saleTo: '2026-03-01' }), rich, undefined, '2026-03-10'), 'ITEM_UNAVAILABLE');
    assert.equal(redeemBlock(item({ minTier: 'gold' }), rich, undefined, '2026-03-10'), 'ITEM_UNAVAILABLE');
    assert.equal(redeemBlock(item({ stock: 0 }), { tier: 'bronze', points: 0 }, undefined, '2026-03-10'), 'SOLD_OUT');
    assert.equal(
      redeemBlock(item({ limit: { lifetime: 1 } }), rich, { lifetime: 1, period: { key: 'none', count: 1 } }, '2026-03-10'),
      'REDEEM_LIMIT_REACHED',
    );
    assert.equal(redeemBlock(item({ price: 5000 }), rich, undefined, '2026-03-10'), 'INSUFFICIENT_POINTS');
  });

  it('templates refuse nonsense: 满减 at or above its threshold, 0折, reversed dates', () => {
    const template = { _id: 'tmpl', title: 't', validity: { type: 'relative', days: 7 } };
    assert.ok(!couponTemplateSchema.safeParse({ ...template, rule: { type: 'threshold', threshold: 100, amount: 100 } }).success);
    assert.ok(!couponTemplateSchema.safeParse({ ...template, rule: { type: 'discount', percent: 0 } }).success);
    assert.ok(
      !couponTemplateSchema.safeParse({
        ...template,
        rule: { type: 'noThreshold', amount: 10 },
        validity: { type: 'fixed', from: '2026-05-01', to: '2026-04-01' },
      }).success,
    );
    assert.ok(couponTemplateSchema.safeParse({ ...template, rule: { type: 'noThreshold', amount: 10 } }).success);
  });

  it('orders only move forward, sent ones through shipped and collected ones through picked up; done and cancelled are final', () => {
    assert.ok(canMoveOrder('express', 'pending', 'shipped') && canMoveOrder('express', 'shipped', 'done'));
    assert.ok(canMoveOrder('pickup', 'pending', 'pickedUp') && canMoveOrder('pickup', 'pickedUp', 'done'));
    assert.ok(canMoveOrder('express', 'pending', 'cancelled') && canMoveOrder('pickup', 'pending', 'cancelled'));
    assert.ok(!canMoveOrder('express', 'pending', 'pickedUp') && !canMoveOrder('pickup', 'pending', 'shipped'));
    assert.ok(!canMoveOrder('express', 'done', 'cancelled') && !canMoveOrder('pickup', 'cancelled', 'pending'));
  });

  it('an address is what wx.chooseAddress gives, without markup or control characters', () => {
    const address = {
      userName: '张三',
      telNumber: '020-81167888',
      provinceName: '广东省',
      cityName: '广州市',
      countyName: '海珠区',
      detailInfo: '新港中路397号',
      postalCode: '510000',
      nationalCode: '510000',
      errMsg: 'chooseAddress:ok',
    };
    const parsed = addressSchema.safeParse(address);
    assert.ok(parsed.success);
    assert.deepEqual(Object.keys(parsed.data).sort(), [
      'cityName',
      'countyName',
      'detailInfo',
      'postalCode',
      'provinceName',
      'telNumber',
      'userName',
    ]);
    for (const bad of [
      { userName: '' },
      { detailInfo: '<img src=x>' },
      { detailInfo: 'a\u0000b' },
      { telNumber: 'call me' },
      { cityName: 'x'.repeat(21) },
    ])
      assert.ok(!addressSchema.safeParse({ ...address, ...bad }).success, JSON.stringify(bad));
  });
});

describe('a cancelled redemption counted back', () => {
  const weekly: MallItem['limit'] = { lifetime: 3, perPeriod: { period: 'week', count: 1 } };

  it('counting once then back on the same day restores the counts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 100 }), (lifetime, dayOffset) => {
        const day = new Date(Date.UTC(2026, 0, 1 + dayOffset)).toISOString().slice(0, 10);
        const before = { lifetime, period: { key: limitPeriodKey('week', day), count: 0 } };
        assert.deepEqual(countedBack(weekly, countedOnce(weekly, before, day), day), before);
      }),
    );
  });

  it('a cancel from an earlier period frees the lifetime count but not this period', () => {
    const thisWeek = countedOnce(weekly, { lifetime: 1, period: { key: limitPeriodKey('week', '2026-03-02'), count: 1 } }, '2026-03-10');
    assert.deepEqual(countedBack(weekly, thisWeek, '2026-03-02'), {
      lifetime: 1,
      period: { key: limitPeriodKey('week', '2026-03-10'), count: 1 },
    });
  });

  it('never goes below zero', () => {
    assert.deepEqual(countedBack(weekly, { lifetime: 0, period: { key: 'none', count: 0 } }, '2026-03-02'), {
      lifetime: 0,
      period: { key: 'none', count: 0 },
    });
  });
});

describe('till-code guard', () => {
  const config = { ...DEFAULT_CODE_GUARD, wrongCodesBeforeLock: 3, wrongWindowMinutes: 10, lockMinutes: 15 };
  const at = new Date('2026-03-10T06:00:00Z');

  it('locks on the limit-th wrong code of a window, for lockMinutes', () => {
    assert.equal(lockFor(2, at, config), null);
    assert.deepEqual(lockFor(3, at, config), new Date(at.getTime() + 15 * 60_000));
  });

  it('a lock holds until its end, not after', () => {
    const guard = { lockedUntil: new Date(at.getTime() + 60_000) };
    assert.deepEqual(lockedUntil(guard, at), guard.lockedUntil);
    assert.equal(lockedUntil(guard, new Date(at.getTime() + 60_000)), null);
    assert.equal(lockedUntil(undefined, at), null);
  });

  it('wrong codes count in fixed windows; staff attempts in minutes', () => {
    assert.equal(wrongWindow('c1', at, config), wrongWindow('c1', new Date(at.getTime() + 9 * 60_000 + 59_999), config));
    assert.notEqual(wrongWindow('c1', at, config), wrongWindow('c1', new Date(at.getTime() + 10 * 60_000), config));
    assert.notEqual(wrongWindow('c1', at, config), wrongWindow('c2', at, config), 'each coupon has its own count');
    assert.notEqual(attemptWindow('s', at), attemptWindow('s', new Date(at.getTime() + 60_000)));
    assert.notEqual(attemptWindow('s', at), attemptWindow('t', at));
  });
});

describe('where a coupon came from', () => {
  it('a bought coupon names its pay order; one redeemed with points is from the mall too; a reward is not', () => {
    assert.equal(paidWith(payOrderSource('P123')), 'P123');
    assert.equal(paidWith('redemption:o-1:r1'), null);
    assert.deepEqual([payOrderSource('P123'), 'redemption:o-1:r1', 'reward:checkin:o-1:day3'].map(fromTheMall), [true, true, false]);
  });
});

describe('why an item is not on sale to a member', () => {
  const item = (fields: Partial<MallItem>): MallItem =>
    mallItemSchema.parse({ _id: 'thing', title: '东西', kind: 'physical', price: 200, stock: 10, enabled: true, order: 1, ...fields });
  const names = { bronze: '铜卡', silver: '银卡', gold: '金卡' } as const;
  const because = (
    fields: Partial<MallItem>,
    tier: 'bronze' | 'silver' | 'gold' = 'bronze',
    tags: ('high_value' | 'price_sensitive')[] = [],
  ) => notOnSaleBecause(item(fields), { tier, tags }, '2026-03-10', (t) => names[t]);

  it('says it in the member’s words: off sale, not yet (the day it opens), over, or for a higher tier', () => {
    assert.equal(because({}), null);
    assert.equal(because({ enabled: false }), '已下架');
    assert.equal(because({ saleFrom: '2026-03-12' }), '3月12日开兑');
    assert.equal(because({ saleTo: '2026-03-09' }), '兑换已结束');
    assert.equal(because({ minTier: 'silver' }), '银卡专享');
    assert.equal(because({ minTier: 'silver' }, 'gold'), null);
  });

  it('early access opens it days early for those entitled only', () => {
    const early = { saleFrom: '2026-03-11', earlyAccess: { days: 1, tags: ['high_value' as const], tiers: [] } };
    assert.equal(because(early, 'bronze', ['high_value']), null);
    assert.equal(because(early, 'bronze', ['price_sensitive']), '3月11日开兑');
  });
});

describe('redeem decision (no database)', () => {
  const AT = new Date('2026-03-10T06:00:00Z');
  const member = { ...newMember('o-r', null, AT, 'IABCDEFG'), points: 300 };
  const item = (fields: Partial<MallItem>): MallItem =>
    mallItemSchema.parse({ _id: 'thing', title: '东西', kind: 'physical', price: 200, stock: 10, enabled: true, order: 1, ...fields });

  it('not enough points, the limit reached, or not on sale to the member, is refused', () => {
    assert.deepEqual(decideRedeem({ ...member, points: 199 }, item({}), 'o-r:k', '2026-03-10', AT, '000000000001'), {
      rejection: 'INSUFFICIENT_POINTS',
    });
    const counted = { ...member, limitCounts: { thing: { lifetime: 1, period: { key: 'none', count: 1 } } } };
    assert.deepEqual(decideRedeem(counted, item({ limit: { lifetime: 1 } }), 'o-r:k', '2026-03-10', AT, '000000000001'), {
      rejection: 'REDEEM_LIMIT_REACHED',
    });
    assert.deepEqual(decideRedeem(member, item({ minTier: 'silver' }), 'o-r:k', '2026-03-10', AT, '000000000001'), {
      rejection: 'ITEM_UNAVAILABLE',
    });
  });

  it("a physical gift: one debit line keyed by the request, the item's counts and the day's redemption on the member, a pending order", () => {
    const d = decideRedeem(member, item({}), 'o-r:k', '2026-03-10', AT, '000000000001');
    assert.ok(!d.rejection);
    assert.deepEqual(
      d.lines.map((l) => [l._id, l.delta, l.counterparty]),
      [['redemption:o-r:k', -200, 'system:redemption']],
    );
    assert.deepEqual(d.patch.limitCounts, { thing: { lifetime: 1, period: { key: 'none', count: 1 } } });
    assert.deepEqual(d.patch.redeemDays, [{ day: '2026-03-10', redeem: 1, couponClaim: 0 }]);
    assert.deepEqual([d.order?.status, d.order?.voucherCode, d.result.orderId], ['pending', null, 'o-r:k']);
  });

  it('the member keeps 90 days of redemptions: a coupon is a claim too, older days are dropped', () => {
    const coupon = item({ kind: 'coupon', couponKey: 'mall-100-minus-20' });
    const redeemDays = [
      { day: '2025-12-10', redeem: 1, couponClaim: 1 },
      { day: '2025-12-11', redeem: 2, couponClaim: 0 },
      { day: '2026-03-10', redeem: 1, couponClaim: 1 },
    ];
    const d = decideRedeem({ ...member, redeemDays }, coupon, 'o-r:k', '2026-03-10', AT, '000000000001');
    assert.ok(!d.rejection);
    assert.deepEqual(d.patch.redeemDays, [
      { day: '2025-12-11', redeem: 2, couponClaim: 0 },
      { day: '2026-03-10', redeem: 2, couponClaim: 2 },
    ]);
  });

  it('a virtual good is delivered at once with the drawn voucher code; a coupon item has no order', () => {
    const virtual = decideRedeem(member, item({ kind: 'virtual', validDays: 30 }), 'o-r:v', '2026-03-10', AT, '123456789012');
    assert.ok(!virtual.rejection && virtual.order?.status === 'done' && virtual.result.voucherCode === '123456789012');
    const coupon = decideRedeem(
      member,
      item({ kind: 'coupon', couponKey: 'mall-100-minus-20' }),
      'o-r:c',
      '2026-03-10',
      AT,
      '123456789012',
    );
    assert.ok(!coupon.rejection && coupon.order === null && coupon.result.voucherCode === null);
  });

  it("an item document with the redemption path's holds on it reads as the item; the holds are never saved back", () => {
    const stored = {
      _id: 'thing',
      title: '东西',
      kind: 'physical',
      price: 200,
      stock: 10,
      enabled: true,
      holds: [{ key: 'o-r:k', at: AT }],
    };
    assert.ok(!('holds' in mallItemSchema.parse(stored)));
  });
});

describe('member-day early access', () => {
  const item = mallItemSchema.parse({
    _id: 'member-day-box',
    title: '会员日礼盒',
    kind: 'physical',
    price: 100,
    stock: 10,
    saleFrom: '2026-06-18',
    earlyAccess: { days: 1, tags: ['high_value'], tiers: ['gold'] },
    enabled: true,
  });
  const member = (tier: 'bronze' | 'gold', tags: ('high_value' | 'price_sensitive')[] = []) => ({ tier, points: 500, tags });

  it('high-value or gold members buy a day before the sale opens; everyone on the day', () => {
    assert.equal(redeemBlock(item, member('bronze', ['high_value']), undefined, '2026-06-17'), null);
    assert.equal(redeemBlock(item, member('gold'), undefined, '2026-06-17'), null);
    assert.equal(redeemBlock(item, member('bronze', ['price_sensitive']), undefined, '2026-06-17'), 'ITEM_UNAVAILABLE');
    assert.equal(redeemBlock(item, member('gold'), undefined, '2026-06-16'), 'ITEM_UNAVAILABLE', 'one day early, not two');
    assert.equal(redeemBlock(item, member('bronze'), undefined, '2026-06-18'), null);
  });

  it('early access needs a sale start and someone to be early for', () => {
    const { saleFrom: _from, ...noStart } = item;
    assert.equal(mallItemSchema.safeParse(noStart).success, false);
    assert.equal(mallItemSchema.safeParse({ ...item, earlyAccess: { days: 1 } }).success, false);
    assert.equal(mallItemSchema.safeParse({ ...item, earlyAccess: { days: 0, tiers: ['gold'] } }).success, false);
  });
});
