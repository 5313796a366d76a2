import type { LifecycleConfig } from '../../core/config/lifecycle';
import { type SegmentMetrics, segmentAlerts } from '../../core/segments/alerts';
import { thresholdsFrom } from '../../core/segments/segment';
import { type BusinessDay, addDays, startOfBeijingDay } from '../../core/time/beijing';
import type { ServerContext } from '../platform/context';
import { findDocs, findOne, insertOnce } from '../platform/db';
import type { JobDoc } from '../platform/jobs';
import { type ThresholdsDoc, isStale } from './nightly';

/** `segmentStats/<day>`: the night's participation per segment and members per stage. */
export interface SegmentStatsDoc {
  _id: BusinessDay;
  day: BusinessDay;
  metrics: SegmentMetrics;
  stages: Record<string, number>;
}

/** `alerts/segment:<segment>:<since>`: a segment's participation fell and stayed down. */
export interface AlertDoc {
  _id: string;
  kind: 'segment';
  segment: string;
  since: BusinessDay;
  day: BusinessDay;
  baseline: number;
  values: number[];
  at: Date;
}

function histogram(stats: Record<string, number>, prefix: string): Map<number, number> {
  return new Map(
    Object.entries(stats)
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [Number(k.slice(prefix.length)), v]),
  );
}

/**
 * After the night's member pass: stores the day's segment metrics, then (once, guarded by
 * that document's id) recomputes the thresholds if a week old, raises segment alerts, and
 * deletes raw events and till-code failures past their retention, and yesterday's attempt counters. Yesterday is the day the metrics describe.
 */
export async function finishNight(
  ctx: ServerContext,
  job: JobDoc,
  today: BusinessDay,
  config: LifecycleConfig,
): Promise<{ alerts: number } | null> {
  const day = addDays(today, -1);
  const metrics: SegmentMetrics = {};
  const stages: Record<string, number> = {};
  for (const [key, value] of Object.entries(job.stats)) {
    const seg = /^seg\.(.+)\.(members|participants)$/.exec(key);
    if (seg) {
      const name = seg[1]!;
      metrics[name] = { members: 0, participants: 0, ...metrics[name], [seg[2] as 'members' | 'participants']: value };
    }
    if (key.startsWith('stage.')) stages[key.slice(6)] = value;
  }
  if (!(await insertOnce<SegmentStatsDoc>(ctx.db, 'segmentStats', { _id: day, day, metrics, stages }))) return null;

  const current = await findOne<ThresholdsDoc>(ctx.db, 'config', 'segmentThresholds');
  if (isStale(current?.computedDay, today)) {
    const thresholds: Omit<ThresholdsDoc, '_id'> = {
      ...thresholdsFrom(histogram(job.stats, 'h.density.'), histogram(job.stats, 'h.value.')),
      computedDay: today,
    };
    await ctx.db.collection('config').doc('segmentThresholds').set({ data: thresholds });
  }

  const _ = ctx.db.command;
  const lookback = config.segmentAlert.days + config.segmentAlert.baselineDays;
  const history = await findDocs<SegmentStatsDoc>(
    ctx.db
      .collection('segmentStats')
      .where({ day: _.gte(addDays(day, -lookback)) })
      .orderBy('day', 'asc')
      .limit(100),
  );
  let alerts = 0;
  for (const alert of segmentAlerts(history, config.segmentAlert)) {
    const doc: AlertDoc = { _id: `segment:${alert.segment}:${alert.since}`, kind: 'segment', ...alert, day, at: ctx.clock.now() };
    if (await insertOnce(ctx.db, 'alerts', doc)) alerts++;
  }

  const cutoff = addDays(today, -config.eventRetentionDays);
  await Promise.all([
    ...['events', 'funnel', 'codeFailures'].map((c) =>
      ctx.db
        .collection(c)
        .where({ day: _.lt(cutoff) })
        .remove(),
    ),
    // Till-code attempt counters only matter within their minute.
    ctx.db
      .collection('rateLimits')
      .where({ at: _.lt(startOfBeijingDay(today)) })
      .remove(),
  ]);
  ctx.log.info('night finished', { day, alerts, stages });
  return { alerts };
}
