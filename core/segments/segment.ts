import type { DensityLevel, Segment, Tag } from '../../typings/vocabulary';
import type { LifecycleConfig } from '../config/lifecycle';
import type { ActiveDay } from '../activity/rollup';

/**
 * Segmentation on two axes (RFM upgraded): behaviour density × value expectation.
 *
 *   density = active days + check-in days + task completions / 3, over the last 30 days
 *   value   = spend over the last 90 days (fen) × P(alive)  — money we can still expect
 *
 * Density splits into low / mid / high at its 33rd and 67th percentiles, value into low /
 * high at the median of members who spent anything; the thresholds are recomputed weekly
 * from the members' own distribution (histograms gathered by the nightly pass).
 */

export interface SegmentThresholds {
  density: [number, number];
  /** Fen; members at or above it are high value. */
  value: number;
}

/** Until the first weekly recompute: 2 and 8 density points, 100元. */
export const DEFAULT_THRESHOLDS: SegmentThresholds = { density: [2, 8], value: 10_000 };

export interface MemberFeatures {
  density: number;
  spend30: number;
  spend90: number;
  couponClaims90: number;
  writeOffs90: number;
  /** The most days any one product was viewed on, within the high-intent window. */
  topProductViewDays: number;
}

/** Features from the member's active days of the last 90 days (offsets within that window). */
export function memberFeatures(days: readonly ActiveDay[], windowDays: number, intentDays: number): MemberFeatures {
  let density = 0;
  let tasks = 0;
  let spend30 = 0;
  let spend90 = 0;
  let couponClaims90 = 0;
  let writeOffs90 = 0;
  const viewDays = new Map<string, number>();
  for (const { offset, counts } of days) {
    const age = windowDays - 1 - offset;
    spend90 += counts.spend ?? 0;
    couponClaims90 += counts.couponClaim ?? 0;
    writeOffs90 += counts.writeOff ?? 0;
    if (age < 30) {
      density += 1 + ((counts.checkin ?? 0) > 0 ? 1 : 0);
      tasks += counts.task ?? 0;
      spend30 += counts.spend ?? 0;
    }
    if (age < intentDays) for (const product of counts.viewed ?? []) viewDays.set(product, (viewDays.get(product) ?? 0) + 1);
  }
  return {
    density: density + tasks / 3,
    spend30,
    spend90,
    couponClaims90,
    writeOffs90,
    topProductViewDays: Math.max(0, ...viewDays.values()),
  };
}

export const valueExpectation = (features: MemberFeatures, pAlive: number) => Math.round(features.spend90 * pAlive);

export function segmentOf(density: number, value: number, t: SegmentThresholds): Segment {
  const d: DensityLevel = density >= t.density[1] ? 'high' : density >= t.density[0] ? 'mid' : 'low';
  return `${d}-${value > 0 && value >= t.value ? 'high' : 'low'}`;
}

export interface TagFacts {
  features: MemberFeatures;
  densityLevel: DensityLevel;
  daysAway: number;
  hasOpenOrder: boolean;
}

/** The built-in tags (docs/rules.md), with the thresholds in `config/lifecycle`. */
export function tagsOf({ features, densityLevel, daysAway, hasOpenOrder }: TagFacts, tags: LifecycleConfig['tags']): Tag[] {
  const out: Tag[] = [];
  if (features.spend30 > tags.highValueSpend30 && densityLevel === 'high') out.push('high_value');
  if (daysAway > tags.potentialChurnDays && !hasOpenOrder) out.push('potential_churn');
  const { minClaims, maxUseRate } = tags.priceSensitive;
  if (features.couponClaims90 >= minClaims && features.writeOffs90 / features.couponClaims90 <= maxUseRate) out.push('price_sensitive');
  if (features.topProductViewDays >= tags.highIntent.views) out.push('high_intent');
  return out;
}

export const densityLevel = (segment: Segment) => segment.split('-')[0] as DensityLevel;

/**
 * Histogram buckets the nightly pass counts, so weekly thresholds need no second pass:
 * density in whole points, value in quarter-octaves of yuan (≈ 19 % wide).
 */
export const densityBucket = (density: number) => Math.min(200, Math.floor(density));
export const valueBucket = (fen: number) => Math.floor(4 * Math.log2(1 + fen / 100));
const valueOfBucket = (bucket: number) => Math.round((2 ** (bucket / 4) - 1) * 100);

/** The smallest bucket at or below which a fraction `q` of the counts lie. */
export function histogramQuantile(histogram: ReadonlyMap<number, number>, q: number): number | null {
  const total = [...histogram.values()].reduce((s, c) => s + c, 0);
  if (total === 0) return null;
  let seen = 0;
  for (const bucket of [...histogram.keys()].sort((x, y) => x - y)) {
    seen += histogram.get(bucket)!;
    if (seen >= q * total) return bucket;
  }
  return null;
}

/** This week's thresholds from the pass's histograms (value only over members who spent). */
export function thresholdsFrom(density: ReadonlyMap<number, number>, value: ReadonlyMap<number, number>): SegmentThresholds {
  const d1 = histogramQuantile(density, 1 / 3);
  const d2 = histogramQuantile(density, 2 / 3);
  const v = histogramQuantile(value, 0.5);
  // Thresholds are lower bounds of the next level; equal ones would empty the mid level.
  const low = (d1 ?? DEFAULT_THRESHOLDS.density[0] - 1) + 1;
  const high = Math.max(low + 1, (d2 ?? DEFAULT_THRESHOLDS.density[1] - 1) + 1);
  return { density: [low, high], value: v === null ? DEFAULT_THRESHOLDS.value : valueOfBucket(v + 1) };
}
