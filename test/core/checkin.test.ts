import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { checkinPoints, drawReward, milestonesAhead } from '../../core/checkin/reward';
import { currentStreak, makeupRejection, runAfterCheckin, runAfterMakeup } from '../../core/checkin/streak';
import { DEFAULT_CHECKIN_CONFIG as config, checkinConfigSchema } from '../../core/config/checkin';
import { expiryDay } from '../../core/points/expiry';

describe('streak runs', () => {
  it('a check-in the day after the run extends it; any later one starts over', () => {
    const run = { start: '2026-03-01', end: '2026-03-03' };
    assert.deepEqual(runAfterCheckin(run, '2026-03-04'), { start: '2026-03-01', end: '2026-03-04' });
    assert.deepEqual(runAfterCheckin(run, '2026-03-05'), { start: '2026-03-05', end: '2026-03-05' });
    assert.deepEqual(runAfterCheckin(null, '2026-03-05'), { start: '2026-03-05', end: '2026-03-05' });
  });

  it('the streak survives until the end of the day after its last check-in', () => {
    const run = { start: '2026-03-01', end: '2026-03-03' };
    assert.equal(currentStreak(run, '2026-03-03'), 3);
    assert.equal(currentStreak(run, '2026-03-04'), 3);
    assert.equal(currentStreak(run, '2026-03-05'), 0);
  });

  it('a make-up before the run joins it with the checked days before', () => {
    const run = { start: '2026-03-05', end: '2026-03-06' };
    const checked = new Set(['2026-03-02', '2026-03-03', '2026-03-05', '2026-03-06']);
    assert.deepEqual(runAfterMakeup(run, '2026-03-04', checked), { start: '2026-03-02', end: '2026-03-06' });
  });

  it('a make-up of yesterday extends a run that ended the day before', () => {
    assert.deepEqual(runAfterMakeup({ start: '2026-03-01', end: '2026-03-02' }, '2026-03-03', new Set()), { start: '2026-03-01', end: '2026-03-03' });
  });

  it('a make-up away from the run leaves it unchanged', () => {
    const run = { start: '2026-03-05', end: '2026-03-06' };
    assert.deepEqual(runAfterMakeup(run, '2026-03-01', new Set()), run);
  });

  it('only past days within the window that are not checked can be made up', () => {
    const checked = new Set(['2026-03-08']);
    assert.equal(makeupRejection('2026-03-10', '2026-03-10', 7, checked), 'MAKEUP_DAY_INVALID');
    assert.equal(makeupRejection('2026-03-11', '2026-03-10', 7, checked), 'MAKEUP_DAY_INVALID');
    assert.equal(makeupRejection('2026-03-02', '2026-03-10', 7, checked), 'MAKEUP_DAY_INVALID');
    assert.equal(makeupRejection('2026-03-08', '2026-03-10', 7, checked), 'MAKEUP_ALREADY_CHECKED');
    assert.equal(makeupRejection('2026-03-03', '2026-03-10', 7, checked), undefined);
  });
});

describe('check-in points and milestones', () => {
  it('day n earns base + step × (n − 1), capped, doubled in the newbie week', () => {
    const veteran = (n: number) => checkinPoints(config, n, '2025-01-01', '2026-03-01');
    assert.deepEqual([1, 2, 3, 6, 7, 30].map(veteran), [5, 10, 15, 30, 30, 30]);
    assert.equal(checkinPoints(config, 2, '2026-03-01', '2026-03-07'), 20);
    assert.equal(checkinPoints(config, 2, '2026-03-01', '2026-03-08'), 10);
  });

  it('points are never negative and never above the (doubled) cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (n) => {
        const p = checkinPoints(config, n, '2026-03-01', '2026-03-01');
        return p > 0 && p <= config.capPoints * config.newbieMultiplier;
      }),
    );
  });

  it('a mystery gift is drawn in proportion to the weights', () => {
    const seven = config.milestones.find((m) => m.day === 7)!;
    const counts = { points: 0, makeupCard: 0, coupon: 0 };
    for (let i = 0; i < 1000; i++) counts[drawReward(seven, i / 1000).type]++;
    assert.deepEqual(counts, { points: 600, makeupCard: 300, coupon: 100 });
  });

  it('lists the milestones still ahead of a streak', () => {
    assert.deepEqual(milestonesAhead(config, 4), [{ day: 7, title: '连签7天神秘礼包', inDays: 3 }]);
  });

  it('the config schema refuses nonsense', () => {
    assert.equal(checkinConfigSchema.safeParse(config).success, true);
    assert.equal(checkinConfigSchema.safeParse({ ...config, capPoints: 1 }).success, false);
    assert.equal(checkinConfigSchema.safeParse({ ...config, basePoints: 2.5 }).success, false);
    assert.equal(checkinConfigSchema.safeParse({ ...config, extra: true }).success, false);
  });
});

describe('points expiry', () => {
  it('earned points expire at the end of the 12th month after the month earned', () => {
    assert.equal(expiryDay('2026-03-15'), '2027-03-31');
    assert.equal(expiryDay('2026-12-01'), '2027-12-31');
    assert.equal(expiryDay('2027-02-10'), '2028-02-29');
  });
});
