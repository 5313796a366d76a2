import { type ActivityDoc, monthsOf, withRedeemDays } from '../../core/activity/rollup';
import { fitBgNbd } from '../../core/churn/bgnbd';
import { visitSummary } from '../../core/churn/score';
import { type LifecycleConfig, LIFECYCLE_CONFIG } from '../../core/config/lifecycle';
import type { Transition } from '../../core/lifecycle/stage';
import { type ChurnModel, WINDOW_DAYS, behaviourOf, evaluateMember } from '../../core/retention/evaluate';
import { DEFAULT_THRESHOLDS, type SegmentThresholds, densityBucket, valueBucket } from '../../core/segments/segment';
import { type BusinessDay, daysBetween } from '../../core/time/beijing';
import type { MemberDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { type Database, findDocs, findIn, findOne, inTransaction, txGet } from '../platform/db';
import { storeTransition } from './transition';
import { loadConfig } from '../platform/config';

/** `config/churnModel`: the weekly maximum-likelihood fit on the brand's own members. */
export interface ChurnModelDoc extends ChurnModel {
  fittedDay: BusinessDay;
  members: number;
  logLikelihood: number;
}

/** `config/segmentThresholds`: this week's quantile thresholds. */
export interface ThresholdsDoc extends SegmentThresholds {
  computedDay: BusinessDay;
}

export interface RetentionSetup {
  today: BusinessDay;
  config: LifecycleConfig;
  model: ChurnModel | null;
  thresholds: SegmentThresholds;
}

const WEEK = 7;
export const isStale = (day: BusinessDay | undefined, today: BusinessDay) => !day || daysBetween(day, today) >= WEEK;

export async function loadRetentionSetup(ctx: ServerContext, today: BusinessDay): Promise<RetentionSetup> {
  const [config, model, thresholds] = await Promise.all([
    loadConfig(ctx, LIFECYCLE_CONFIG),
    findOne<ChurnModelDoc>(ctx.db, 'config', 'churnModel'),
    findOne<ThresholdsDoc>(ctx.db, 'config', 'segmentThresholds'),
  ]);
  return {
    today,
    config,
    model: model ? { variant: model.variant, params: model.params } : null,
    thresholds: thresholds ? { density: thresholds.density, value: thresholds.value } : DEFAULT_THRESHOLDS,
  };
}

/** All rollup documents of these members for the months of the window, paged by `_id`. */
export async function rollupsOf(db: Database, openids: readonly string[], today: BusinessDay): Promise<Map<string, ActivityDoc[]>> {
  const byMember = new Map<string, ActivityDoc[]>(openids.map((id) => [id, []]));
  const ids = openids.flatMap((openid) => monthsOf(today, WINDOW_DAYS).map((m) => `${openid}:${m}`));
  for (const doc of await findIn<ActivityDoc>(db, 'activity', '_id', ids)) byMember.get(doc.openid)?.push(doc);
  return byMember;
}

/**
 * Refits the churn model when last week's is stale: the visit histories of the first
 * `modelSampleSize` members by `_id` (OPENIDs are random, so this is a random sample)
 * with at least one visit in the window. Returns the new model, or null when none was due.
 */
export async function refitChurnModelIfDue(ctx: ServerContext, today: BusinessDay): Promise<ChurnModelDoc | null> {
  const current = await findOne<ChurnModelDoc>(ctx.db, 'config', 'churnModel');
  if (!isStale(current?.fittedDay, today)) return null;
  const config = await loadConfig(ctx, LIFECYCLE_CONFIG);
  const _ = ctx.db.command;
  const summaries = [];
  let cursor = '';
  while (summaries.length < config.modelSampleSize) {
    const page = await findDocs<MemberDoc>(
      ctx.db
        .collection('members')
        .where({ _id: _.gt(cursor) })
        .orderBy('_id', 'asc')
        .limit(500)
        .field({ _id: true }),
    );
    if (!page.length) break;
    cursor = page.at(-1)!._id;
    const rollups = await rollupsOf(
      ctx.db,
      page.map((m) => m._id),
      today,
    );
    for (const docs of rollups.values()) {
      const { behaviour } = behaviourOf(docs, today);
      if (behaviour.visits.length) summaries.push(visitSummary(behaviour));
    }
    if (page.length < 500) break;
  }
  if (summaries.length < 50) return null; // too few histories to say anything yet
  const fit = fitBgNbd(summaries.slice(0, config.modelSampleSize), 'mbg');
  const doc: ChurnModelDoc = {
    variant: 'mbg',
    params: fit.params,
    fittedDay: today,
    members: Math.min(summaries.length, config.modelSampleSize),
    logLikelihood: fit.logLikelihood,
  };
  await ctx.db.collection('config').doc('churnModel').set({ data: doc });
  ctx.log.info('churn model refitted', { ...doc.params, members: doc.members });
  return doc;
}

/**
 * One page of the nightly retention pass: each member's churn risk, segment, tags and the
 * lifecycle transition the night brings, written only where something changed. Returns
 * counts by stage, per-segment participation, histograms for the weekly thresholds.
 */
export async function retentionPage(
  ctx: ServerContext,
  setup: RetentionSetup,
  members: readonly MemberDoc[],
): Promise<Record<string, number>> {
  const openids = members.map((m) => m.openid);
  const _ = ctx.db.command;
  const [rollups, openOrders] = await Promise.all([
    rollupsOf(ctx.db, openids, setup.today),
    findDocs<{ openid: string }>(
      ctx.db
        .collection('orders')
        .where({ openid: _.in(openids), status: _.in(['pending', 'shipped']) })
        .limit(1000)
        .field({ openid: true }),
    ),
  ]);
  const withOpenOrder = new Set(openOrders.map((o) => o.openid));
  const stats: Record<string, number> = {};
  const count = (key: string, n = 1) => (stats[key] = (stats[key] ?? 0) + n);
  for (const m of members) {
    const facts = {
      stage: m.stage ?? 'potential',
      firstActionDay: m.firstActionDay ?? null,
      activeDays: m.activeDays ?? 0,
      lastActiveDay: m.lastActiveDay ?? m.registeredDay,
    };
    const result = evaluateMember(
      {
        ...facts,
        activity: withRedeemDays(rollups.get(m.openid) ?? [], m.openid, m.redeemDays),
        hasOpenOrder: withOpenOrder.has(m.openid),
      },
      setup.today,
      setup.model,
      setup.thresholds,
      setup.config,
    );
    const scores = { churnRisk: Math.round(result.risk * 1000) / 1000, segment: result.segment, tags: result.tags, scoredDay: setup.today };
    if (result.transition) {
      const moved = await applyNightlyTransition(ctx, m, result.transition, scores, setup.today);
      if (moved) count(`transition.${result.transition.to}`);
    } else if (changed(m, scores)) {
      await ctx.db.collection('members').doc(m.openid).update({ data: scores });
    }
    count(`stage.${result.transition?.to ?? facts.stage}`);
    count(`seg.${result.segment}.members`);
    if (result.participated) count(`seg.${result.segment}.participants`);
    count(`h.density.${densityBucket(result.features.density)}`);
    if (result.value > 0) count(`h.value.${valueBucket(result.value)}`);
  }
  return stats;
}

function changed(m: MemberDoc, scores: { churnRisk: number; segment: string; tags: string[] }): boolean {
  return (
    m.segment !== scores.segment || Math.abs((m.churnRisk ?? -1) - scores.churnRisk) >= 0.01 || (m.tags ?? []).join() !== scores.tags.join()
  );
}

/** The stage change, only if the member is still where the pass saw them (an action today may have moved them). */
async function applyNightlyTransition(
  ctx: ServerContext,
  m: MemberDoc,
  transition: Transition,
  scores: Record<string, unknown>,
  today: BusinessDay,
): Promise<boolean> {
  return inTransaction(ctx.db, async (tx) => {
    const now = await txGet(tx, 'members', m.openid);
    if ((now.stage ?? 'potential') !== transition.from || (now.lastActiveDay ?? null) !== (m.lastActiveDay ?? null)) return false;
    const stage = await storeTransition(tx, m.openid, transition, today, ctx.clock.now());
    await tx
      .collection('members')
      .doc(m.openid)
      .update({ data: { ...scores, ...stage } });
    return true;
  });
}
