import { performance } from 'node:perf_hooks';

export interface Measurement {
  ops: number;
  seconds: number;
  opsPerSecond: number;
  p50ms: number;
  p99ms: number;
}

/** Runs `op` from `workers` concurrent loops, `perWorker` times each, timing every call. */
export async function measure(
  workers: number,
  perWorker: number,
  op: (worker: number, i: number) => Promise<unknown> | unknown,
): Promise<Measurement> {
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let i = 0; i < perWorker; i++) {
        const t0 = performance.now();
        await op(worker, i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { ops: latencies.length, seconds, opsPerSecond: latencies.length / seconds, p50ms: pick(0.5), p99ms: pick(0.99) };
}

export function describe(m: Measurement): string {
  return `${m.opsPerSecond.toFixed(0).padStart(7)} ops/s   p50 ${m.p50ms.toFixed(2).padStart(7)} ms   p99 ${m.p99ms.toFixed(2).padStart(7)} ms   (${m.ops} ops)`;
}
