import { lnBeta, lnGamma } from '../math/special';
import { nelderMead } from '../math/optimize';

/**
 * The BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way").
 * While alive, a member visits as a Poisson process with rate λ ~ Gamma(r, α); after each
 * repeat visit they drop out with probability p ~ Beta(a, b). Time is in days.
 *
 * BG/NBD cannot lose a member before their first repeat visit (P(alive | x = 0) = 1),
 * which is wrong for a mini-program where many open it once and never return. The MBG/NBD
 * variant (Batislam, Denizel & Filiztekin 2007) also allows dropout right after the first
 * visit; it is the default here (`variant: 'mbg'`), BG/NBD is kept for comparison.
 */
export type Variant = 'bg' | 'mbg';
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/**
 * A member's visit history as the model reads it: `x` repeat visits (after the first),
 * the last at `tx` days after the first, observed for `T` days since the first.
 */
export interface VisitSummary {
  x: number;
  tx: number;
  T: number;
}

/**
 * ln of the individual likelihood, in log space. BG/NBD (Fader et al. eq. 6):
 *   L = A1·A2·[(α+T)^−(r+x) + δ(x>0)·a/(b+x−1)·(α+tₓ)^−(r+x)],
 *   A1 = Γ(r+x)αʳ/Γ(r), A2 = B(a, b+x)/B(a, b);
 * MBG/NBD: L = A1·[B(a, b+x+1)/B(a, b)·(α+T)^−(r+x) + B(a+1, b+x)/B(a, b)·(α+tₓ)^−(r+x)].
 */
export function logLikelihood({ r, alpha, a, b }: BgNbdParams, { x, tx, T }: VisitSummary, variant: Variant = 'mbg'): number {
  const lnA1 = lnGamma(r + x) - lnGamma(r) + r * Math.log(alpha);
  const lnAliveTerm = -(r + x) * Math.log(alpha + T);
  const lnGoneTerm = -(r + x) * Math.log(alpha + tx);
  if (variant === 'mbg') {
    return lnA1 + logSumExp(lnBeta(a, b + x + 1) - lnBeta(a, b) + lnAliveTerm, lnBeta(a + 1, b + x) - lnBeta(a, b) + lnGoneTerm);
  }
  const lnA2 = lnBeta(a, b + x) - lnBeta(a, b);
  if (x === 0) return lnA1 + lnA2 + lnAliveTerm;
  return lnA1 + lnA2 + logSumExp(lnAliveTerm, Math.log(a) - Math.log(b + x - 1) + lnGoneTerm);
}

function logSumExp(p: number, q: number): number {
  const hi = Math.max(p, q);
  return hi + Math.log(Math.exp(p - hi) + Math.exp(q - hi));
}

/**
 * P(still alive at T | history): 1 / (1 + a/(b+x−1)·((α+T)/(α+tₓ))^(r+x)) for BG/NBD
 * (Fader et al. eq. 13; 1 when x = 0), 1 / (1 + a/(b+x)·(…)) for MBG/NBD.
 */
export function probabilityAlive({ r, alpha, a, b }: BgNbdParams, { x, tx, T }: VisitSummary, variant: Variant = 'mbg'): number {
  if (variant === 'bg' && x === 0) return 1;
  const lnOdds = Math.log(a) - Math.log(variant === 'bg' ? b + x - 1 : b + x) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  return 1 / (1 + Math.exp(lnOdds));
}

/**
 * Maximum-likelihood parameters for a cohort: Nelder–Mead over the logs of the four
 * parameters (so they stay positive), members with the same (x, tx, T) counted once with
 * their weight.
 */
export function fitBgNbd(
  members: readonly VisitSummary[],
  variant: Variant = 'mbg',
): { params: BgNbdParams; logLikelihood: number; iterations: number } {
  const groups = new Map<string, { summary: VisitSummary; weight: number }>();
  for (const m of members) {
    const key = `${m.x}:${m.tx}:${m.T}`;
    const group = groups.get(key);
    if (group) group.weight++;
    else groups.set(key, { summary: m, weight: 1 });
  }
  const unique = [...groups.values()];
  const negative = (logs: number[]) => {
    const params = { r: Math.exp(logs[0]!), alpha: Math.exp(logs[1]!), a: Math.exp(logs[2]!), b: Math.exp(logs[3]!) };
    let total = 0;
    for (const { summary, weight } of unique) total += weight * logLikelihood(params, summary, variant);
    return Number.isFinite(total) ? -total : Number.POSITIVE_INFINITY;
  };
  const meanVisitsPerDay = members.reduce((s, m) => s + m.x / Math.max(m.T, 1), 0) / Math.max(members.length, 1) || 0.1;
  // Start from r = 1 with the cohort's mean rate, and a mildly informative dropout prior.
  let best = nelderMead(negative, [0, Math.log(1 / meanVisitsPerDay), 0, Math.log(3)], { tolerance: 1e-10, maxIterations: 4000 });
  // Restarting from the optimum lets a collapsed simplex re-open (standard Nelder–Mead practice).
  const again = nelderMead(negative, best.x, { step: 0.1, tolerance: 1e-12, maxIterations: 4000 });
  if (again.value <= best.value) best = { ...again, iterations: best.iterations + again.iterations };
  const [r, alpha, a, b] = best.x.map(Math.exp) as [number, number, number, number];
  return { params: { r, alpha, a, b }, logLikelihood: -best.value, iterations: best.iterations };
}
