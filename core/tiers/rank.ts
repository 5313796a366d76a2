import { TIERS, type Tier } from '../../typings/vocabulary';

/** A tier's place in the order bronze < silver < gold (0, 1, 2). */
export function tierRank(tier: Tier): number {
  return TIERS.indexOf(tier);
}
