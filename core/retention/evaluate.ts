import { type ActivityDoc, activeDays } from '../activity/rollup';
import type { BgNbdParams, Variant } from '../churn/bgnbd';
import { type Behaviour, churnRisk } from '../churn/score';
import type { LifecycleConfig } from '../config/lifecycle';
import type { Segment, Stage, Tag } from '../../typings/vocabulary';
import { type Transition, nextStage } from '../lifecycle/stage';
import {
  type MemberFeatures,
  type SegmentThresholds,
  densityLevel,
  memberFeatures,
  segmentOf,
  tagsOf,
  valueExpectation,
} from '../segments/segment';
import { type BusinessDay, addDays, daysBetween } from '../time/beijing';

/** Nightly work reads this many days of rollups. */
export const WINDOW_DAYS = 90;

export interface ChurnModel {
  variant: Variant;
  params: BgNbdParams;
}

export interface RetentionFacts {
  stage: Stage;
  firstActionDay: BusinessDay | null;
  activeDays: number;
  lastActiveDay: BusinessDay;
  activity: readonly ActivityDoc[];
  hasOpenOrder: boolean;
}

interface RetentionResult {
  risk: number;
  pAlive: number;
  features: MemberFeatures;
  value: number;
  segment: Segment;
  tags: Tag[];
  transition: Transition | null;
  /** Active yesterday: the segment's participation metric for the day that just ended. */
  participated: boolean;
}

/** Visits, check-ins and purchases as offsets in the window, observed until today. */
export function behaviourOf(
  activity: readonly ActivityDoc[],
  today: BusinessDay,
): { behaviour: Behaviour; days: ReturnType<typeof activeDays> } {
  const days = activeDays(activity, today, WINDOW_DAYS);
  return {
    days,
    behaviour: {
      T: WINDOW_DAYS - 1,
      visits: days.map((d) => d.offset),
      checkins: days.filter((d) => (d.counts.checkin ?? 0) > 0).map((d) => d.offset),
      purchases: days.filter((d) => (d.counts.spend ?? 0) > 0 || (d.counts.redeem ?? 0) > 0).map((d) => d.offset),
    },
  };
}

/**
 * One member's nightly evaluation, pure: churn risk (P(alive) from the weekly model — 1
 * until one is fitted — combined with decay), features, segment, tags, and the lifecycle
 * transition the night brings, if any.
 */
export function evaluateMember(
  facts: RetentionFacts,
  today: BusinessDay,
  model: ChurnModel | null,
  thresholds: SegmentThresholds,
  config: LifecycleConfig,
): RetentionResult {
  const { behaviour, days } = behaviourOf(facts.activity, today);
  const scored = churnRisk(model?.params ?? null, behaviour, model ? { variant: model.variant } : {});
  const features = memberFeatures(days, WINDOW_DAYS, config.tags.highIntent.days);
  const value = valueExpectation(features, scored.pAlive);
  const segment = segmentOf(features.density, value, thresholds);
  const daysAway = daysBetween(facts.lastActiveDay, today);
  const tags = tagsOf({ features, densityLevel: densityLevel(segment), daysAway, hasOpenOrder: facts.hasOpenOrder }, config.tags);
  const transition = nextStage({ ...facts, churnRisk: scored.risk }, today, config);
  return {
    risk: scored.risk,
    pAlive: scored.pAlive,
    features,
    value,
    segment,
    tags,
    transition,
    participated: days.some((d) => d.day === addDays(today, -1)),
  };
}
