import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkinPoints, drawReward, milestonesAhead, streakWeek } from '../../core/checkin/reward';
import { currentStreak, makeupRejection, runAfterCheckin, runAfterMakeup } from '../../core/checkin/streak';
import { DEFAULT_CHECKIN_CONFIG as config, checkinConfigSchema } from '../../core/config/checkin';
import { expiryDay } from '../../core/points/expiry';
import { decideCheckin, decideMakeup } from '../../core/checkin/decide';
import { newMember } from '../../core/member/registration';
import { decideClaim } from '../../core/tasks/claim';
import type { TaskDefinition } from '../../core/tasks/definition';
import type { MemberDoc } from '../../typings/documents';

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
    assert.deepEqual(runAfterMakeup({ start: '2026-03-01', end: '2026-03-02' }, '2026-03-03', new Set()), {
      start: '2026-03-01',
      end: '2026-03-03',
    });
  });

  it('a make-up away from the run leaves it unchanged', () => {
    const run = { start: '2026-03-05', end: '2026-03-06' };
    assert.deepEqual(runAfterMakeup(run, '2026-03-01', new Set()), run);
  });

  it('only past days within the window, since the member registered, that are not checked can be made up', () => {
    const checked = new Set(['2026-03-08']);
    const window = { today: '2026-03-10', windowDays: 7, since: '2026-01-01' };
    assert.equal(makeupRejection('2026-03-10', window, checked), 'MAKEUP_DAY_INVALID');
    assert.equal(makeupRejection('2026-03-11', window, checked), 'MAKEUP_DAY_INVALID');
    assert.equal(makeupRejection('2026-03-02', window, checked), 'MAKEUP_DAY_INVALID');
    assert.equal(makeupRejection('2026-03-08', window, checked), 'MAKEUP_ALREADY_CHECKED');
    assert.equal(makeupRejection('2026-03-03', window, checked), undefined);
    const joinedOn5th = { ...window, since: '2026-03-05' };
    assert.equal(makeupRejection('2026-03-04', joinedOn5th, checked), 'MAKEUP_DAY_INVALID', 'the day before registering was not missed');
    assert.equal(makeupRejection('2026-03-05', joinedOn5th, checked), undefined, 'the first day was');
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

describe('check-in and make-up decisions (no database)', () => {
  const AT = new Date('2026-03-04T02:00:00Z');
  const member = (fields: Partial<MemberDoc> = {}): MemberDoc => ({
    ...newMember('o-d', null, new Date('2026-03-01T02:00:00Z'), 'IABCDEFG'),
    ...fields,
  });

  it('day 3 of a streak: points grow, doubled for a newbie, the day-3 coupon is to be recorded, all lines keyed by the day', () => {
    const d = decideCheckin(member({ streak: { start: '2026-03-02', end: '2026-03-03' } }), config, '2026-03-04', AT);
    assert.equal(d.result.streak, 3);
    assert.equal(d.result.points, 30);
    assert.equal(d.result.newbie, true);
    assert.deepEqual(
      d.lines.map((l) => [l._id, l.delta]),
      [['checkin:o-d:2026-03-04', 30]],
    );
    assert.equal(d.checkin._id, 'o-d_20260304');
    assert.equal(d.reward?.reward.type, 'coupon');
    assert.deepEqual(d.patch.streak, { start: '2026-03-02', end: '2026-03-04' });
  });

  it('the same occasion always draws the same mystery gift; a member-once milestone comes once', () => {
    const seventh = member({ streak: { start: '2026-03-01', end: '2026-03-06' }, registeredDay: '2026-01-01' });
    const a = decideCheckin(seventh, config, '2026-03-07', AT);
    const b = decideCheckin(seventh, config, '2026-03-07', AT);
    assert.deepEqual(a.reward, b.reward);
    const again = decideCheckin({ ...seventh, lifetimeMilestones: [7] }, config, '2026-03-07', AT);
    const milestone7 = config.milestones.find((m) => m.day === 7);
    assert.equal(again.reward === null, milestone7?.once === 'member');
  });

  it('a make-up without a card is refused; with one it joins the days on both sides', () => {
    assert.deepEqual(decideMakeup(member({ makeupCards: 0 }), '2026-03-03', '2026-03-06', AT, new Set()), { rejection: 'MAKEUP_NO_CARDS' });
    const d = decideMakeup(
      member({ makeupCards: 2, streak: { start: '2026-03-05', end: '2026-03-06' } }),
      '2026-03-04',
      '2026-03-06',
      AT,
      new Set(['2026-03-03', '2026-03-02']),
    );
    assert.ok(!d.rejection);
    assert.deepEqual(d.patch, { makeupCards: 1, streak: { start: '2026-03-02', end: '2026-03-06' } });
    assert.deepEqual(d.result, { day: '2026-03-04', streak: 5, makeupCards: 1 });
    assert.equal(d.checkin.kind, 'makeup');
  });

  it('a day before the member registered is not made up, even with a card (it was never missed)', () => {
    const joined = member({ makeupCards: 2, registeredDay: '2026-03-04' });
    assert.deepEqual(decideMakeup(joined, '2026-03-03', '2026-03-06', AT, new Set()), { rejection: 'MAKEUP_DAY_INVALID' });
    assert.ok(!decideMakeup(joined, '2026-03-04', '2026-03-06', AT, new Set()).rejection);
  });
});

describe('task claim decision (no database)', () => {
  const AT = new Date('2026-03-04T02:00:00Z');
  const member = newMember('o-t', null, AT, 'IABCDEFG');
  const task = (reward: TaskDefinition['reward']): TaskDefinition =>
    ({
      _id: 'daily-browse-3',
      version: 1,
      title: '浏览3件商品',
      description: '',
      kind: 'daily',
      trigger: 'browse_product',
      target: 3,
      reward,
      order: 1,
      difficulty: 'easy',
      enabled: true,
    }) as TaskDefinition;
  const progress = (count: number, claimed = false) => ({
    _id: 'p',
    openid: 'o-t',
    taskId: 'daily-browse-3',
    period: '2026-03-04',
    count,
    claimed,
  });

  it('not complete, or claimed already, is refused', () => {
    const t = task({ type: 'points', points: 10 });
    assert.deepEqual(decideClaim(member, t, 'p', undefined, '2026-03-04', AT), { rejection: 'TASK_NOT_COMPLETE' });
    assert.deepEqual(decideClaim(member, t, 'p', progress(2), '2026-03-04', AT), { rejection: 'TASK_NOT_COMPLETE' });
    assert.deepEqual(decideClaim(member, t, 'p', progress(3, true), '2026-03-04', AT), { rejection: 'TASK_ALREADY_CLAIMED' });
  });

  it('each kind of reward becomes a line, a member field or a reward to record, keyed by the progress', () => {
    const points = decideClaim(member, task({ type: 'points', points: 10 }), 'p', progress(3), '2026-03-04', AT);
    assert.ok(!points.rejection && points.lines[0]?._id === 'task:p' && points.lines[0].delta === 10);
    const cards = decideClaim(member, task({ type: 'makeupCard', cards: 2 }), 'p', progress(3), '2026-03-04', AT);
    assert.ok(!cards.rejection && cards.patch.makeupCards === 2 && cards.lines.length === 0);
    const badge = decideClaim(
      { ...member, badges: ['b1'] },
      task({ type: 'badge', badge: 'b1', title: '徽章' }),
      'p',
      progress(3),
      '2026-03-04',
      AT,
    );
    assert.ok(!badge.rejection && badge.patch.badges?.length === 1, 'a badge owned already is not doubled');
    const coupon = decideClaim(member, task({ type: 'coupon', couponKey: 'k', title: '券' }), 'p', progress(3), '2026-03-04', AT);
    assert.ok(!coupon.rejection && coupon.reward?._id === 'task:p');
  });
});

describe('the 7-day check-in strip', () => {
  const slots = (streak: number, checkedToday: boolean, registeredDay = '2026-01-01', today = '2026-03-10') =>
    streakWeek(config, registeredDay, today, streak, checkedToday);

  it('a new member sees days 1–7 with today first, each day’s points doubled in the newbie week, and the milestones', () => {
    const week = slots(0, false, '2026-03-10');
    assert.deepEqual(
      week.map((s) => [s.streakDay, s.state, s.points]),
      [
        [1, 'today', 10],
        [2, 'ahead', 20],
        [3, 'ahead', 30],
        [4, 'ahead', 40],
        [5, 'ahead', 50],
        [6, 'ahead', 60],
        [7, 'ahead', 60],
      ],
    );
    assert.deepEqual(
      week.filter((s) => s.milestone).map((s) => [s.streakDay, s.milestone]),
      config.milestones.filter((m) => m.day <= 7).map((m) => [m.day, m.title]),
    );
  });

  it('checked today: today’s slot is done; the newbie doubling stops on the date it ends', () => {
    // Registered 03-05: the newbie week is 03-05..03-11; today 03-10 is streak day 3.
    const week = slots(3, true, '2026-03-05');
    assert.deepEqual(
      week.map((s) => s.state),
      ['done', 'done', 'done', 'ahead', 'ahead', 'ahead', 'ahead'],
    );
    assert.deepEqual(
      week.map((s) => s.points),
      [10, 20, 30, 40, 25, 30, 30],
      'day 4 falls on 03-11 (doubled), day 5 on 03-12 (not)',
    );
  });

  it('after a week the strip moves on to days 8–14', () => {
    assert.deepEqual(
      slots(7, false).map((s) => s.streakDay),
      [8, 9, 10, 11, 12, 13, 14],
    );
    assert.deepEqual(
      slots(7, true).map((s) => s.state),
      Array(7).fill('done'),
      'day 7 checked: the first week, all done',
    );
  });
});
