import { performance } from 'node:perf_hooks';
import type { ActivityDoc } from '../core/activity/rollup';
import { churnRisk } from '../core/churn/score';
import { DEFAULT_LIFECYCLE_CONFIG } from '../core/config/lifecycle';
import { DEFAULT_REMINDERS_CONFIG } from '../core/config/reminders';
import { seededRandom } from '../core/math/random';
import { dueReminder } from '../core/reminders/select';
import { type ChurnModel, behaviourOf, evaluateMember } from '../core/retention/evaluate';
import { DEFAULT_THRESHOLDS, densityBucket, valueBucket } from '../core/segments/segment';
import { addDays } from '../core/time/beijing';

/**
 * The nightly retention pass's per-member work (lifecycle, segmentation, churn score,
 * reminder selection) over N generated members with 90 days of rollups each, streamed a
 * page of 1000 at a time as the function reads them — nothing about a member outlives its
 * page, so memory must not grow with N. Prints one JSON line. Usage: retention-pass <N>.
 */
const TODAY = '2026-06-30';
const PAGE = 1000;
const MODEL: ChurnModel = { variant: 'mbg', params: { r: 0.8, alpha: 6, a: 0.6, b: 2.4 } };
const DAYS = Array.from({ length: 90 }, (_, i) => addDays(TODAY, i - 89));

/** A member's rollups: visits at a personal rate, stopping at a personal day for a third of them. */
function generate(random: () => number, openid: string): { docs: ActivityDoc[]; lastActiveDay: string; activeDays: number } {
  const rate = 0.05 + random() * 0.6;
  const stop = random() < 0.33 ? Math.floor(random() * 90) : 90;
  const byMonth = new Map<string, ActivityDoc>();
  let last = addDays(TODAY, -120);
  let activeDays = 0;
  for (let d = 0; d < stop; d++) {
    if (random() >= rate) continue;
    const day = DAYS[d]!;
    const month = day.slice(0, 7);
    const doc = byMonth.get(month) ?? { _id: `${openid}:${month}`, openid, month, days: {} };
    doc.days[day.slice(8)] = {
      open: 1,
      checkin: random() < 0.7 ? 1 : 0,
      task: random() < 0.3 ? 1 : 0,
      view: 2,
      viewed: [`p${Math.floor(random() * 20)}`],
      ...(random() < 0.05 ? { spend: Math.floor(random() * 30_000) } : {}),
    };
    byMonth.set(month, doc);
    last = day;
    activeDays++;
  }
  return { docs: [...byMonth.values()], lastActiveDay: last, activeDays };
}

function run(members: number): void {
  const random = seededRandom(members);
  const stats = new Map<string, number>();
  const count = (key: string) => stats.set(key, (stats.get(key) ?? 0) + 1);
  let evaluating = 0;
  let scoring = 0;
  let peakRss = 0;
  const started = performance.now();
  for (let first = 0; first < members; first += PAGE) {
    const page = Array.from({ length: Math.min(PAGE, members - first) }, (_, i) => ({
      openid: `o${String(first + i).padStart(8, '0')}`,
      ...generate(random, `o${first + i}`),
    }));
    const t0 = performance.now();
    for (const m of page) {
      const result = evaluateMember(
        {
          stage: 'active',
          firstActionDay: DAYS[0]!,
          activeDays: m.activeDays,
          lastActiveDay: m.lastActiveDay,
          activity: m.docs,
          hasOpenOrder: false,
        },
        TODAY,
        MODEL,
        DEFAULT_THRESHOLDS,
        DEFAULT_LIFECYCLE_CONFIG,
      );
      const due = dueReminder({ streak: null, lastSeenDay: m.lastActiveDay, tags: result.tags }, TODAY, 'day', DEFAULT_REMINDERS_CONFIG);
      count(`stage.${result.transition?.to ?? 'active'}`);
      count(`seg.${result.segment}`);
      count(`h.density.${densityBucket(result.features.density)}`);
      if (result.value > 0) count(`h.value.${valueBucket(result.value)}`);
      if (due) count(`due.${due.campaign}`);
    }
    const t1 = performance.now();
    evaluating += t1 - t0;
    // The scoring alone: the behaviour is already extracted, only the model and indicators run.
    const behaviours = page.map((m) => behaviourOf(m.docs, TODAY).behaviour);
    const t2 = performance.now();
    for (const b of behaviours) churnRisk(MODEL.params, b, { variant: 'mbg' });
    scoring += performance.now() - t2;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const total = (performance.now() - started) / 1000;
  const stages = Object.fromEntries([...stats].filter(([k]) => k.startsWith('stage.') || k.startsWith('due.')));
  console.log(
    JSON.stringify({
      members,
      evaluateSeconds: evaluating / 1000,
      scoreSeconds: scoring / 1000,
      totalSeconds: total,
      peakRssMb: Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 2 ** 20,
      stages,
    }),
  );
}

run(Number(process.argv[2] ?? 100_000));
