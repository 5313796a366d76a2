import { createHash } from 'node:crypto';

/** A stable draw in [0, 1) for one occasion: the same occasion always draws the same (a retry cannot re-roll). */
export function drawFor(occasion: string): number {
  return createHash('sha256').update(occasion).digest().readUInt32BE(0) / 2 ** 32;
}

/** A seeded uniform generator on [0, 1) (mulberry32): simulations are reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function standardNormal(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Gamma(shape, rate) by Marsaglia–Tsang (with the shape < 1 boost). */
export function gammaSample(random: () => number, shape: number, rate: number): number {
  if (shape < 1) return gammaSample(random, shape + 1, rate) * (1 - random()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = standardNormal(random);
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = 1 - random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

export function betaSample(random: () => number, a: number, b: number): number {
  const x = gammaSample(random, a, 1);
  return x / (x + gammaSample(random, b, 1));
}

export function exponentialSample(random: () => number, rate: number): number {
  return -Math.log(1 - random()) / rate;
}
