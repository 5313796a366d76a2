import type { LifecycleConfig } from '../config/lifecycle';
import type { BusinessDay } from '../time/beijing';

/** One night's key metric per segment: the share of its members active that day. */
export type SegmentMetrics = Record<string, { members: number; participants: number }>;

export interface SegmentAlert {
  segment: string;
  /** First day of the run of drops: the alert's identity, so one run alerts once. */
  since: BusinessDay;
  baseline: number;
  values: number[];
}

export type AlertRule = LifecycleConfig['segmentAlert'];

const rate = (m: { members: number; participants: number } | undefined) => (m && m.members > 0 ? m.participants / m.members : null);

/**
 * Segments whose participation has been more than `drop` below their baseline on each of
 * the last `days` days — reported on the night the run reaches `days`, not again while it
 * lasts. `history` is by day, oldest first, ending today.
 */
export function segmentAlerts(history: readonly { day: BusinessDay; metrics: SegmentMetrics }[], rule: AlertRule): SegmentAlert[] {
  if (history.length < rule.days + 1) return [];
  const run = history.slice(-rule.days);
  const before = history.slice(-rule.days - rule.baselineDays, -rule.days);
  const segments = new Set(run.flatMap((h) => Object.keys(h.metrics)));
  const alerts: SegmentAlert[] = [];
  for (const segment of segments) {
    const base = before.map((h) => rate(h.metrics[segment])).filter((r): r is number => r !== null);
    if (!base.length) continue;
    const baseline = base.reduce((s, r) => s + r, 0) / base.length;
    const dropped = (v: number | null) => v !== null && v < baseline * (1 - rule.drop);
    const values = run.map((h) => rate(h.metrics[segment]));
    const big = run.every((h) => (h.metrics[segment]?.members ?? 0) >= rule.minMembers);
    // Only the night the run reaches `days` alerts: the next nights continue the same run.
    const dayBefore = rate(before.at(-1)?.metrics[segment]);
    if (big && baseline > 0 && values.every(dropped) && !dropped(dayBefore)) {
      alerts.push({ segment, since: run[0]!.day, baseline, values: values as number[] });
    }
  }
  return alerts;
}
