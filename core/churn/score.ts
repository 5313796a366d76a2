import { type BgNbdParams, type Variant, type VisitSummary, probabilityAlive } from './bgnbd';

/**
 * A member's recent behaviour, in days since their first visit (ascending), observed for
 * `T` days. Check-ins and purchases are optional signals.
 */
export interface Behaviour {
  T: number;
  visits: readonly number[];
  checkins?: readonly number[];
  purchases?: readonly number[];
}

export interface DecayIndicators {
  /** The current absence compared with the member's usual gap between visits (0 = usual, 1 = ≥ 4× usual). */
  gapWidening: number;
  /** Visits in the last 14 days against the rate of the 42 days before (0 = no decline, 1 = stopped). */
  frequencyDecay: number;
  /** Check-in gaps growing: the last gap against the mean of the earlier ones (0–1). */
  checkinDrift: number;
  /** No purchase within 1.5× the member's usual repurchase cycle (0–1). */
  purchaseOverdue: number;
}

const clamp = (v: number) => Math.min(1, Math.max(0, v));

function meanGap(days: readonly number[]): number | null {
  if (days.length < 2) return null;
  return (days[days.length - 1]! - days[0]!) / (days.length - 1);
}

/** Widening of the current gap relative to the usual one: 0 at ≤ 1×, 1 at ≥ 4×. */
function overdue(days: readonly number[], T: number): number {
  const usual = meanGap(days);
  if (usual === null || usual <= 0) return 0;
  return clamp((T - days[days.length - 1]! - usual) / (3 * usual));
}

export function decayIndicators({ T, visits, checkins = [], purchases = [] }: Behaviour): DecayIndicators {
  const recent = visits.filter((d) => d > T - 14).length;
  const before = visits.filter((d) => d > T - 56 && d <= T - 14).length;
  const expected = (before / 42) * 14;
  const checkinGaps = checkins.slice(1).map((d, i) => d - checkins[i]!);
  const lastCheckinGap = checkins.length ? T - checkins[checkins.length - 1]! : 0;
  const earlierMean = checkinGaps.length ? checkinGaps.reduce((s, g) => s + g, 0) / checkinGaps.length : 0;
  return {
    gapWidening: overdue(visits, T),
    frequencyDecay: expected > 0 ? clamp(1 - recent / expected) : 0,
    checkinDrift: earlierMean > 0 ? clamp((lastCheckinGap - earlierMean) / (3 * earlierMean)) : 0,
    purchaseOverdue: purchases.length >= 2 ? clamp((overdue(purchases, T) * 3 - 0.5) / 2.5) : 0,
  };
}

/** How much each indicator weighs; the set is open: add an indicator, give it a weight. */
export const DEFAULT_DECAY_WEIGHTS: Record<keyof DecayIndicators, number> = {
  gapWidening: 0.4,
  frequencyDecay: 0.3,
  checkinDrift: 0.15,
  purchaseOverdue: 0.15,
};

/**
 * Churn risk in [0, 1]: 1 − P(alive) · (1 − decay), where P(alive) is the (M)BG/NBD estimate
 * from the visit history and decay the weighted indicators (weights sum to 1). A member the
 * model thinks gone is risky whatever the indicators say; a member it thinks alive becomes
 * risky as their behaviour decays. Without a fitted model (`params` null) P(alive) is 1:
 * the risk is the decay alone.
 */
export function churnRisk(
  params: BgNbdParams | null,
  behaviour: Behaviour,
  options: { weights?: typeof DEFAULT_DECAY_WEIGHTS; variant?: Variant } = {},
): { risk: number; pAlive: number; decay: number; indicators: DecayIndicators } {
  const weights = options.weights ?? DEFAULT_DECAY_WEIGHTS;
  const pAlive = params ? probabilityAlive(params, visitSummary(behaviour), options.variant) : 1;
  const indicators = decayIndicators(behaviour);
  const decay = (Object.keys(weights) as (keyof DecayIndicators)[]).reduce((s, k) => s + weights[k] * indicators[k], 0);
  return { risk: 1 - pAlive * (1 - decay), pAlive, decay, indicators };
}

/** The visit history as the model reads it: repeat visits after the first, observed since the first. */
export function visitSummary({ visits, T }: Behaviour): VisitSummary {
  return visits.length ? { x: visits.length - 1, tx: visits.at(-1)! - visits[0]!, T: T - visits[0]! } : { x: 0, tx: 0, T };
}
