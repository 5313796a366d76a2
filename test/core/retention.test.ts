import assert from 'node:assert/strict';
import fc from 'fast-check';
import { type ActivityDoc, activeDays, monthsOf, productsByViewDays, withRedeemDays } from '../../core/activity/rollup';
import { DEFAULT_LIFECYCLE_CONFIG as config, lifecycleConfigSchema } from '../../core/config/lifecycle';
import { HOLDOUT, assignArm } from '../../core/experiments/assign';
import { meanInterval, proportionDifference, wilson } from '../../core/experiments/stats';
import { type LifecycleFacts, extendRun, nextStage, runLength } from '../../core/lifecycle/stage';
import { evaluateMember } from '../../core/retention/evaluate';
import { segmentAlerts } from '../../core/segments/alerts';
import {
  DEFAULT_THRESHOLDS,
  densityBucket,
  histogramQuantile,
  memberFeatures,
  segmentOf,
  tagsOf,
  thresholdsFrom,
  valueBucket,
} from '../../core/segments/segment';
import { addDays } from '../../core/time/beijing';

const today = '2026-05-20';
const facts = (over: Partial<LifecycleFacts>): LifecycleFacts => ({
  stage: 'active',
  firstActionDay: '2026-04-01',
  activeDays: 10,
  lastActiveDay: today,
  churnRisk: null,
  ...over,
});

describe('lifecycle stages', () => {
  it('walks potential → new → active → sleeping → churned with a reason for each move', () => {
    assert.equal(nextStage(facts({ stage: 'potential', firstActionDay: null, activeDays: 1 }), today, config), null);
    assert.deepEqual(nextStage(facts({ stage: 'potential', firstActionDay: today, activeDays: 1 }), today, config), {
      from: 'potential',
      to: 'new',
      reason: 'first action',
    });
    assert.deepEqual(nextStage(facts({ stage: 'new', activeDays: 3 }), today, config), {
      from: 'new',
      to: 'active',
      reason: '3 active days',
    });
    assert.equal(nextStage(facts({ stage: 'active', lastActiveDay: addDays(today, -7) }), today, config), null);
    assert.deepEqual(nextStage(facts({ lastActiveDay: addDays(today, -8) }), today, config), {
      from: 'active',
      to: 'sleeping',
      reason: 'absent 8 days',
    });
    assert.equal(nextStage(facts({ stage: 'sleeping', lastActiveDay: addDays(today, -30) }), today, config), null);
    assert.deepEqual(nextStage(facts({ stage: 'sleeping', lastActiveDay: addDays(today, -31) }), today, config), {
      from: 'sleeping',
      to: 'churned',
      reason: 'no login for 31 days',
    });
  });

  it('a churned member who comes back is active again through "returned"; a sleeping one wakes up', () => {
    assert.deepEqual(nextStage(facts({ stage: 'churned' }), today, config), { from: 'churned', to: 'active', reason: 'returned' });
    assert.deepEqual(nextStage(facts({ stage: 'sleeping' }), today, config), { from: 'sleeping', to: 'active', reason: 'woke up' });
  });

  it('a high churn risk puts a habitual member to sleep early, but never one seen today', () => {
    assert.deepEqual(nextStage(facts({ lastActiveDay: addDays(today, -3), churnRisk: 0.9 }), today, config), {
      from: 'active',
      to: 'sleeping',
      reason: 'churn risk 0.90',
    });
    assert.equal(nextStage(facts({ churnRisk: 0.95 }), today, config), null);
    assert.equal(nextStage(facts({ lastActiveDay: addDays(today, -3), churnRisk: 0.5 }), today, config), null);
  });

  it('consecutive active-day runs', () => {
    const run = extendRun(extendRun(extendRun(null, '2026-05-01'), '2026-05-02'), '2026-05-03');
    assert.equal(runLength(run), 3);
    assert.equal(runLength(extendRun(run, '2026-05-03')), 3, 'a second action the same day adds nothing');
    assert.deepEqual(extendRun(run, '2026-05-05'), { start: '2026-05-05', end: '2026-05-05' });
  });

  it('config refuses sleeping after churned and impossible intent windows', () => {
    assert.equal(lifecycleConfigSchema.safeParse(config).success, true);
    assert.equal(lifecycleConfigSchema.safeParse({ ...config, sleepingAfterDays: 40 }).success, false);
    assert.equal(
      lifecycleConfigSchema.safeParse({ ...config, tags: { ...config.tags, highIntent: { views: 8, days: 7 } } }).success,
      false,
    );
    assert.equal(lifecycleConfigSchema.safeParse({ ...config, sleepingRisk: 0 }).success, false);
    assert.equal(
      lifecycleConfigSchema.safeParse({ ...config, segmentAlert: { ...config.segmentAlert, drop: 0 } }).success,
      false,
      'an alert on no drop at all',
    );
  });
});

/** Rollup documents for a member active on the given days (each with the given counts). */
function rollups(openid: string, days: Record<string, ActivityDoc['days'][string]>): ActivityDoc[] {
  const byMonth = new Map<string, ActivityDoc>();
  for (const [day, counts] of Object.entries(days)) {
    const month = day.slice(0, 7);
    const doc = byMonth.get(month) ?? { _id: `${openid}:${month}`, openid, month, days: {} };
    doc.days[day.slice(8)] = counts;
    byMonth.set(month, doc);
  }
  return [...byMonth.values()];
}

describe('activity rollups and segmentation', () => {
  it('reads the active days of the window across month documents', () => {
    assert.deepEqual(monthsOf(today, 90), ['2026-02', '2026-03', '2026-04', '2026-05']);
    const docs = rollups('o', {
      '2026-02-19': { open: 1 },
      '2026-02-20': { open: 1 },
      '2026-05-20': { open: 2 },
      '2026-05-21': { open: 1 },
    });
    assert.deepEqual(
      activeDays(docs, today, 90).map((d) => [d.day, d.offset]),
      [
        ['2026-02-20', 0],
        ['2026-05-20', 89],
      ],
    );
  });

  it('browsing history: products by viewing days, the latest viewed first on ties', () => {
    const docs = rollups('o', {
      '2026-04-01': { view: 2, viewed: ['mug', 'tea'] },
      '2026-04-02': { view: 1, viewed: ['tea'] },
      '2026-05-01': { view: 2, viewed: ['mug', 'pen'] },
      '2026-05-02': { open: 1 },
    });
    assert.deepEqual(productsByViewDays(activeDays(docs, today, 90)), ['mug', 'tea', 'pen']);
    assert.deepEqual(productsByViewDays(activeDays(docs, today, 10)), []);
  });

  it('redemptions kept on the member count as the rollups would: the larger count of a day wins, a day only there is active', () => {
    const docs = rollups('o', {
      '2026-05-18': { open: 1, redeem: 1, couponClaim: 1 },
      '2026-05-19': { open: 1 },
    });
    const merged = withRedeemDays(docs, 'o', [
      { day: '2026-05-18', redeem: 3, couponClaim: 2 },
      { day: '2026-05-19', redeem: 1, couponClaim: 0 },
      { day: '2026-04-30', redeem: 1, couponClaim: 1 },
    ]);
    assert.deepEqual(
      activeDays(merged, today, 90).map((d) => [d.day, d.counts.open ?? 0, d.counts.redeem, d.counts.couponClaim]),
      [
        ['2026-04-30', 0, 1, 1],
        ['2026-05-18', 1, 3, 2],
        ['2026-05-19', 1, 1, 0],
      ],
    );
    assert.equal(memberFeatures(activeDays(merged, today, 90), 90, 7).couponClaims90, 3);
    assert.deepEqual(withRedeemDays(docs, 'o', undefined), docs);
  });

  it('features: density over 30 days, spend, coupon use, product interest', () => {
    const docs = rollups('o', {
      '2026-05-18': { open: 1, checkin: 1, task: 3, view: 1, viewed: ['p1'], spend: 12_000 },
      '2026-05-19': { open: 1, viewed: ['p1', 'p2'], couponClaim: 2 },
      '2026-05-20': { open: 1, viewed: ['p1'], couponClaim: 2, writeOff: 1 },
      '2026-03-01': { open: 1, spend: 50_000 },
    });
    const f = memberFeatures(activeDays(docs, today, 90), 90, 7);
    assert.deepEqual(f, { density: 3 + 1 + 1, spend30: 12_000, spend90: 62_000, couponClaims90: 4, writeOffs90: 1, topProductViewDays: 3 });
    assert.deepEqual(tagsOf({ features: f, densityLevel: 'high', daysAway: 0, hasOpenOrder: false }, config.tags), [
      'price_sensitive',
      'high_intent',
    ]);
    assert.deepEqual(
      tagsOf({ features: { ...f, spend30: 60_000 }, densityLevel: 'high', daysAway: 16, hasOpenOrder: false }, config.tags),
      ['high_value', 'potential_churn', 'price_sensitive', 'high_intent'],
    );
    assert.ok(
      !tagsOf({ features: f, densityLevel: 'low', daysAway: 16, hasOpenOrder: true }, config.tags).includes('potential_churn'),
      'an open order keeps a member out of potential churn',
    );
  });

  it('weekly thresholds are the data’s own tertiles and median', () => {
    const density = new Map<number, number>();
    for (let d = 0; d < 30; d++) density.set(densityBucket(d), 10);
    const t = thresholdsFrom(
      density,
      new Map([
        [valueBucket(100_00), 50],
        [valueBucket(1000_00), 50],
      ]),
    );
    assert.deepEqual(t.density, [10, 20]);
    assert.equal(segmentOf(9, 0, t), 'low-low');
    assert.equal(segmentOf(10, 0, t), 'mid-low');
    assert.equal(segmentOf(25, 1000_00, t), 'high-high');
    assert.equal(segmentOf(25, 100_00, t), 'high-low');
    assert.deepEqual(thresholdsFrom(new Map(), new Map()), DEFAULT_THRESHOLDS);
    assert.equal(histogramQuantile(new Map([[5, 1]]), 0.5), 5);
  });

  it('every member lands in exactly one segment, and more density never lowers it (property)', () => {
    const order = { low: 0, mid: 1, high: 2 };
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.nat(1e7),
        (a, b, value) => {
          const [lo, hi] = a < b ? [a, b] : [b, a];
          const s1 = segmentOf(lo, value, DEFAULT_THRESHOLDS).split('-')[0] as keyof typeof order;
          const s2 = segmentOf(hi, value, DEFAULT_THRESHOLDS).split('-')[0] as keyof typeof order;
          assert.ok(order[s1] <= order[s2]);
        },
      ),
    );
  });

  it('evaluates a member: risk rises with absence, segment and transition follow', () => {
    const days: Record<string, ActivityDoc['days'][string]> = {};
    for (let i = 60; i >= 20; i -= 2) days[addDays(today, -i)] = { open: 1, checkin: 1 };
    const evaluate = (activeDays: number, lastActiveDay: string) =>
      evaluateMember(
        { stage: 'active', firstActionDay: '2026-03-01', activeDays, lastActiveDay, activity: rollups('o', days), hasOpenOrder: false },
        today,
        null,
        DEFAULT_THRESHOLDS,
        config,
      );
    const gone = evaluate(21, addDays(today, -20));
    days[addDays(today, -1)] = { open: 1, checkin: 1 };
    const here = evaluate(22, addDays(today, -1));
    assert.ok(gone.risk > here.risk, `${gone.risk} > ${here.risk}`);
    assert.deepEqual(gone.transition, { from: 'active', to: 'sleeping', reason: 'absent 20 days' });
    assert.ok(gone.tags.includes('potential_churn'));
    assert.equal(here.participated, true);
    assert.equal(gone.participated, false);
  });
});

describe('experiments', () => {
  const experiment = {
    id: 'coupon-15-2026w20',
    holdoutPercent: 10,
    variants: [
      { key: 'manjian', weight: 1 },
      { key: 'zhekou', weight: 1 },
      { key: 'wumenkan', weight: 2 },
    ],
  };

  it('assignment is deterministic and follows the holdout and the weights', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const arm = assignArm(experiment, `o-member-${i}`);
      assert.equal(assignArm(experiment, `o-member-${i}`), arm);
      counts.set(arm, (counts.get(arm) ?? 0) + 1);
    }
    const share = (k: string) => (counts.get(k) ?? 0) / 20_000;
    assert.ok(Math.abs(share(HOLDOUT) - 0.1) < 0.01, `holdout ${share(HOLDOUT)}`);
    assert.ok(Math.abs(share('wumenkan') - 0.45) < 0.015, `wumenkan ${share('wumenkan')}`);
    assert.ok(Math.abs(share('manjian') - 0.225) < 0.015);
    const other = { ...experiment, id: 'another' };
    const moved = Array.from(
      { length: 1000 },
      (_, i) => assignArm(other, `o-member-${i}`) !== assignArm(experiment, `o-member-${i}`),
    ).filter(Boolean).length;
    assert.ok(moved > 400, 'another experiment shuffles members independently');
  });

  it('Wilson and Newcombe intervals match published values', () => {
    // Newcombe (1998), Table II example: 56/70 vs 48/80 → difference 0.2, 95 % CI 0.0524 to 0.3339.
    const d = proportionDifference(56, 70, 48, 80);
    assert.ok(Math.abs(d.low - 0.0524) < 5e-4 && Math.abs(d.high - 0.3339) < 5e-4, JSON.stringify(d));
    const w = wilson(0, 10);
    assert.equal(w.low, 0);
    assert.ok(Math.abs(w.high - 0.2775) < 5e-4);
    assert.deepEqual(meanInterval([]), null);
    const m = meanInterval([10, 20, 30])!;
    assert.ok(m.low < 20 && m.high > 20 && m.estimate === 20);
  });
});

describe('segment alerts', () => {
  const night = (day: string, rate: number, members = 100) => ({
    day,
    metrics: { 'mid-low': { members, participants: Math.round(rate * members) } },
  });
  const days = (n: number) => Array.from({ length: n }, (_, i) => addDays('2026-05-01', i));

  it('alerts once when participation stays > 15 % below baseline for 3 nights', () => {
    const rates = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.4, 0.4, 0.4, 0.4];
    const history = days(rates.length).map((d, i) => night(d, rates[i]!));
    const alertsByNight = history.map((_, i) => segmentAlerts(history.slice(0, i + 1), config.segmentAlert));
    assert.deepEqual(
      alertsByNight.map((a) => a.length),
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0],
    );
    assert.equal(alertsByNight[9]![0]!.since, '2026-05-08');
  });

  it('no alert for a 14 % drop, a 2-night dip, or a tiny segment', () => {
    const run = (rates: number[], members = 100) =>
      segmentAlerts(
        days(rates.length).map((d, i) => night(d, rates[i]!, members)),
        config.segmentAlert,
      );
    assert.equal(run([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.43, 0.43, 0.43]).length, 0);
    assert.equal(run([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.3, 0.3]).length, 0);
    assert.equal(run([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.3, 0.3, 0.3], 10).length, 0);
  });
});
