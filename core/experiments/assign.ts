/**
 * Deterministic experiment assignment: a member's bucket is a hash of the experiment id
 * and their openid, so the same member always lands in the same arm, arms of different
 * experiments are independent, and no assignment needs storing before it is used.
 */
export interface ExperimentArms {
  /** Changing the id reshuffles everybody; keep it while the experiment runs. */
  id: string;
  /** Share of members (percent) who get nothing, to measure uplift against. */
  holdoutPercent: number;
  variants: readonly { key: string; weight: number }[];
}

export const HOLDOUT = 'holdout';

/** FNV-1a, 32 bits: fast, well spread over short strings, the same on every platform. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The arm (`holdout` or a variant key) of a member; buckets 0–9999 in basis points. */
export function assignArm(experiment: ExperimentArms, openid: string): string {
  const bucket = fnv1a(`${experiment.id}:${openid}`) % 10_000;
  const holdout = Math.round(experiment.holdoutPercent * 100);
  if (bucket < holdout) return HOLDOUT;
  const total = experiment.variants.reduce((s, v) => s + v.weight, 0);
  let point = ((bucket - holdout) / (10_000 - holdout)) * total;
  for (const variant of experiment.variants) {
    point -= variant.weight;
    if (point < 0) return variant.key;
  }
  return experiment.variants.at(-1)!.key;
}
