import { auc } from '../core/churn/auc';
import { type BgNbdParams, type Variant, fitBgNbd } from '../core/churn/bgnbd';
import { churnRisk } from '../core/churn/score';
import { type SimulatedMember, simulateCohort } from '../core/churn/simulate';

/**
 * `npm run simulate [members] [days] [seed]`: cohorts with known hidden churn, run through
 * the same core code the nightly job uses. Prints how well the fitted parameters recover
 * the simulator's, and the AUC of the churn score vs the seed rule "> 15 days without a
 * visit" at telling who is truly gone — in the world the product lives in (members may
 * leave after any visit, MBG/NBD) and in the textbook BG/NBD world.
 */
const members = Number(process.argv[2] ?? 10_000);
const days = Number(process.argv[3] ?? 180);
const seed = Number(process.argv[4] ?? 7);
const truth: BgNbdParams = { r: 0.6, alpha: 6, a: 0.7, b: 2.5 };
const keys = ['r', 'alpha', 'a', 'b'] as const;

function run(world: string, variant: Variant, cohort: SimulatedMember[]) {
  const started = performance.now();
  const fit = fitBgNbd(
    cohort.map((m) => ({ x: m.visits.length - 1, tx: m.visits[m.visits.length - 1]!, T: m.T })),
    variant,
  );
  const seconds = (performance.now() - started) / 1000;
  const gone = cohort.map((m) => m.droppedAt !== null);
  const risk = cohort.map((m) => churnRisk(fit.params, { T: m.T, visits: m.visits }, { variant }));
  const recency = cohort.map((m) => m.T - m.visits[m.visits.length - 1]!);
  const errors = keys.map((k) => Math.abs(fit.params[k] - truth[k]) / truth[k]);
  console.log(
    `\n${world}: ${members} members over ${days} days (seed ${seed}), ${gone.filter(Boolean).length} truly gone; ${variant === 'mbg' ? 'MBG/NBD' : 'BG/NBD'} fitted in ${fit.iterations} iterations, ${seconds.toFixed(1)} s`,
  );
  console.log('  parameter recovery (maximum likelihood):');
  for (const [i, k] of keys.entries())
    console.log(
      `    ${k.padEnd(5)} true ${truth[k].toFixed(3)}  fitted ${fit.params[k].toFixed(3)}  error ${(errors[i]! * 100).toFixed(1)}%`,
    );
  console.log(`    worst ${(Math.max(...errors) * 100).toFixed(1)}% (aim ≤ 10% at 10k members)`);
  console.log('  who is truly gone — AUC (0.5 = coin flip, 1 = perfect):');
  const rows: [string, number][] = [
    [
      'churn score (model + decay)',
      auc(
        risk.map((r) => r.risk),
        gone,
      ),
    ],
    [
      'model 1 − P(alive) alone',
      auc(
        risk.map((r) => 1 - r.pAlive),
        gone,
      ),
    ],
    ['days since last visit', auc(recency, gone)],
    [
      'seed rule "> 15 days"',
      auc(
        recency.map((d) => (d > 15 ? 1 : 0)),
        gone,
      ),
    ],
  ];
  for (const [name, value] of rows) console.log(`    ${name.padEnd(30)} ${value.toFixed(3)}`);
  console.log(`  churn score vs seed rule: ${rows[0]![1] - rows[3]![1] >= 0 ? '+' : ''}${(rows[0]![1] - rows[3]![1]).toFixed(3)} AUC`);
}

run('members may leave after any visit', 'mbg', simulateCohort(truth, members, days, seed, { dropoutAfterFirstVisit: true }));
run('textbook BG/NBD world (no one leaves before a repeat visit)', 'bg', simulateCohort(truth, members, days, seed + 1));
