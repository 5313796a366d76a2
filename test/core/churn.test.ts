import assert from 'node:assert/strict';
import fc from 'fast-check';
import { auc } from '../../core/churn/auc';
import { fitBgNbd, logLikelihood, probabilityAlive } from '../../core/churn/bgnbd';
import { churnRisk, decayIndicators } from '../../core/churn/score';
import { simulateCohort } from '../../core/churn/simulate';
import { nelderMead } from '../../core/math/optimize';
import { lnGamma } from '../../core/math/special';

const TRUTH = { r: 0.6, alpha: 6, a: 0.7, b: 2.5 };
const near = (actual: number, expected: number, tolerance: number) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} vs ${expected}`);

describe('numerics', () => {
  it('ln Γ matches known values', () => {
    near(lnGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-12);
    near(lnGamma(10), Math.log(362_880), 1e-10);
    near(lnGamma(1), 0, 1e-12);
    near(lnGamma(0.1), Math.log(9.513507698668732), 1e-10);
  });

  it('Nelder–Mead finds the Rosenbrock minimum', () => {
    const { x } = nelderMead(([a = 0, b = 0]) => (1 - a) ** 2 + 100 * (b - a * a) ** 2, [-1.2, 1], {
      tolerance: 1e-14,
      maxIterations: 5000,
    });
    near(x[0]!, 1, 1e-3);
    near(x[1]!, 1, 1e-3);
  });

  it('AUC: perfect 1, reversed 0, ties and noise ½', () => {
    assert.equal(auc([0.1, 0.2, 0.8, 0.9], [false, false, true, true]), 1);
    assert.equal(auc([0.9, 0.8, 0.2, 0.1], [false, false, true, true]), 0);
    assert.equal(auc([1, 1, 1, 1], [false, true, false, true]), 0.5);
  });
});

describe('BG/NBD and MBG/NBD', () => {
  it('a member with no repeat visit: BG/NBD likelihood is the NBD zero term and P(alive) is 1', () => {
    const { r, alpha } = TRUTH;
    near(logLikelihood(TRUTH, { x: 0, tx: 0, T: 30 }, 'bg'), r * Math.log(alpha / (alpha + 30)), 1e-12);
    assert.equal(probabilityAlive(TRUTH, { x: 0, tx: 0, T: 300 }, 'bg'), 1);
    assert.ok(probabilityAlive(TRUTH, { x: 0, tx: 0, T: 300 }, 'mbg') < 1, 'MBG/NBD lets one-visit members go');
  });

  it('the longer the silence after the last visit, the less likely the member is alive', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0.5, max: 100, noNaN: true }),
        (x, tx, extra) => {
          for (const variant of ['bg', 'mbg'] as const) {
            const sooner = probabilityAlive(TRUTH, { x, tx, T: tx + extra }, variant);
            const later = probabilityAlive(TRUTH, { x, tx, T: tx + extra + 10 }, variant);
            assert.ok(later <= sooner && later > 0 && sooner <= 1);
          }
        },
      ),
    );
  });

  it('maximum likelihood recovers the simulator’s parameters (3000 members, within 20%)', () => {
    for (const variant of ['bg', 'mbg'] as const) {
      const cohort = simulateCohort(TRUTH, 3000, 180, 11, { dropoutAfterFirstVisit: variant === 'mbg' });
      const { params } = fitBgNbd(
        cohort.map((m) => ({ x: m.visits.length - 1, tx: m.visits.at(-1)!, T: m.T })),
        variant,
      );
      for (const k of ['r', 'alpha', 'a', 'b'] as const)
        assert.ok(Math.abs(params[k] - TRUTH[k]) / TRUTH[k] < 0.2, `${variant} ${k}: ${params[k]}`);
    }
  });

  it('the churn score tells who is gone better than "> 15 days without a visit"', () => {
    const cohort = simulateCohort(TRUTH, 3000, 180, 5, { dropoutAfterFirstVisit: true });
    const { params } = fitBgNbd(cohort.map((m) => ({ x: m.visits.length - 1, tx: m.visits.at(-1)!, T: m.T })));
    const gone = cohort.map((m) => m.droppedAt !== null);
    const score = auc(
      cohort.map((m) => churnRisk(params, { T: m.T, visits: m.visits }).risk),
      gone,
    );
    const rule = auc(
      cohort.map((m) => (m.T - m.visits.at(-1)! > 15 ? 1 : 0)),
      gone,
    );
    assert.ok(score > rule + 0.1, `score ${score} vs rule ${rule}`);
  });
});

describe('decay indicators', () => {
  it('a member who used to come every 2 days and has been away 9 shows a widening gap and falling frequency', () => {
    const visits = Array.from({ length: 30 }, (_, i) => i * 2); // days 0..58
    const steady = decayIndicators({ T: 59, visits });
    assert.deepEqual([steady.gapWidening, steady.frequencyDecay], [0, 0]);
    const away = decayIndicators({ T: 67, visits });
    assert.equal(away.gapWidening, 1);
    assert.ok(away.frequencyDecay > 0.5);
    assert.ok(churnRisk(TRUTH, { T: 67, visits }).risk > churnRisk(TRUTH, { T: 59, visits }).risk);
  });

  it('check-in gaps widening and an overdue repurchase count', () => {
    const d = decayIndicators({ T: 60, visits: [0, 60], checkins: [0, 1, 2, 3, 4, 5], purchases: [0, 10, 20] });
    assert.equal(d.checkinDrift, 1);
    assert.equal(d.purchaseOverdue, 1);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 40 }), fc.integer({ min: 0, max: 100 }), (raw, extra) => {
        const visits = [...new Set(raw)].sort((p, q) => p - q);
        const T = (visits.at(-1) ?? 0) + extra;
        const { risk } = churnRisk(TRUTH, { T, visits, checkins: visits, purchases: visits.filter((_, i) => i % 3 === 0) });
        assert.ok(risk >= 0 && risk <= 1);
      }),
    );
  });
});
