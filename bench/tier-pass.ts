import { performance } from 'node:perf_hooks';
import { DEFAULT_TIERS_CONFIG as config } from '../core/config/tiers';
import { newMember } from '../core/member/registration';
import { seededRandom } from '../core/math/random';
import { reviewTier, windowMonths } from '../core/tiers/spend';
import type { MemberDoc } from '../typings/documents';
import { TIERS } from '../typings/vocabulary';

/**
 * The nightly tier review's per-member decision (`reviewTier`: qualifying spend over the
 * rolling window, warning, protection period, downgrade) over N generated members with up
 * to 13 months of spend, streamed a page of 1000 at a time as the timer reads them —
 * nothing outlives its page, so memory must not grow with N. Prints one JSON line.
 * Usage: tier-pass <N>.
 */
const TODAY = '2026-06-30';
const NOW = new Date('2026-06-29T18:00:00Z');
const PAGE = 1000;
const MONTHS = windowMonths(TODAY, 13);
const TEMPLATE = newMember('template', null, new Date('2025-01-01T00:00:00Z'), 'AAAAAAAA');

function generate(random: () => number, openid: string): MemberDoc {
  const months: Record<string, number> = {};
  for (const m of MONTHS) if (random() < 0.4) months[m] = Math.floor(random() * 40_000);
  const tier = TIERS[Math.floor(random() * 3)] ?? 'bronze';
  const warned =
    random() < 0.1 ? { warnedOn: '2026-06-01', downgradeOn: random() < 0.5 ? '2026-06-30' : '2026-07-01', to: 'bronze' as const } : null;
  return { ...TEMPLATE, _id: openid, openid, tier, spend: { total: 0, months }, tierReview: warned };
}

function run(members: number): void {
  const random = seededRandom(members);
  const counts: Record<string, number> = {};
  let evaluating = 0;
  let peakRss = 0;
  for (let first = 0; first < members; first += PAGE) {
    const page = Array.from({ length: Math.min(PAGE, members - first) }, (_, i) => generate(random, `o${first + i}`));
    const t0 = performance.now();
    for (const m of page) {
      const kind = reviewTier(m, config, TODAY, NOW).kind;
      counts[kind] = (counts[kind] ?? 0) + 1;
    }
    evaluating += performance.now() - t0;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  console.log(
    JSON.stringify({
      members,
      evaluateSeconds: evaluating / 1000,
      peakRssMb: Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 2 ** 20,
      counts,
    }),
  );
}

run(Number(process.argv[2] ?? 100_000));
