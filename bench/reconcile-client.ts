import { scriptContext } from '../server/platform/handler';
import { reconcilePage } from '../server/points/reconcile';

/**
 * Runs a full reconciliation pass through the real wx-server-sdk against the emulator its
 * environment points at (the SDK environment the server printed), page by page as the ops
 * action does, sampling this process's memory.
 * Prints one JSON line: members checked, mismatches, seconds, peak RSS/heap in MB.
 */

async function main(): Promise<void> {
  const cloud = require('wx-server-sdk') as typeof import('wx-server-sdk');
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
  const ctx = scriptContext(cloud, { clock: { now: () => new Date() }, log: { info: () => undefined, error: () => undefined } });
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const started = performance.now();
  let cursor: string | null = '';
  let checked = 0;
  let mismatches = 0;
  while (cursor !== null) {
    const page = await reconcilePage(ctx, cursor, 1000, false);
    checked += page.checked;
    mismatches += page.mismatches.length;
    cursor = page.nextCursor;
    sample();
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ checked, mismatches, seconds, peakRssMb: peakRss / 2 ** 20, peakHeapMb: peakHeap / 2 ** 20 }));
}

void main();
