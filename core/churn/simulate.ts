import { betaSample, exponentialSample, gammaSample, seededRandom } from '../math/random';
import type { BgNbdParams } from './bgnbd';

/** A simulated member: the visits we observe and the hidden truth. */
export interface SimulatedMember {
  /** Days since the member's first visit, ascending (the first is 0). */
  visits: number[];
  /** Days observed since the first visit. */
  T: number;
  /** When the member truly dropped out (days since first visit), or null if still alive at T. */
  droppedAt: number | null;
}

/**
 * A cohort drawn from the BG/NBD process: each member joins on a random day in the first
 * half of `days`, visits at rate λ ~ Gamma(r, α) and after each repeat visit drops out with
 * probability p ~ Beta(a, b) (with `dropoutAfterFirstVisit`, also after the first). Seeded, so every run of the same arguments is the same cohort.
 */
export function simulateCohort(
  truth: BgNbdParams,
  members: number,
  days: number,
  seed = 1,
  options: { dropoutAfterFirstVisit?: boolean } = {},
): SimulatedMember[] {
  const random = seededRandom(seed);
  const cohort: SimulatedMember[] = [];
  for (let i = 0; i < members; i++) {
    const T = days - random() * (days / 2);
    const lambda = gammaSample(random, truth.r, truth.alpha);
    const p = betaSample(random, truth.a, truth.b);
    const visits = [0];
    // BG/NBD assumes nobody leaves before a repeat visit; real members do. The option tests the score off the model's assumptions.
    let droppedAt: number | null = options.dropoutAfterFirstVisit && random() < p ? 0 : null;
    if (droppedAt !== null) {
      cohort.push({ visits, T, droppedAt });
      continue;
    }
    for (let t = exponentialSample(random, lambda); t <= T; t += exponentialSample(random, lambda)) {
      visits.push(t);
      if (random() < p) {
        droppedAt = t;
        break;
      }
    }
    cohort.push({ visits, T, droppedAt });
  }
  return cohort;
}
