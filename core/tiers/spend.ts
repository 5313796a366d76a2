import type { Tier } from '../../typings/vocabulary';
import type { PurchaseResult } from '../../typings/api';
import type { LedgerEntryDoc, MemberDoc, SpendLineDoc, TierHistoryDoc } from '../../typings/documents';
import { type TiersConfig, birthdayMultiplierFor, tierDefinitionOf } from '../config/tiers';
import { earning, takeBack } from '../points/ledger';
import { tierRank } from './rank';
import { type BusinessDay, addDays } from '../time/beijing';

type Spend = NonNullable<MemberDoc['spend']>;

/** The `YYYY-MM` months of the rolling window ending in `today`'s month, oldest first. */
export function windowMonths(today: BusinessDay, months: number): string[] {
  const [year, month] = today.split('-').map(Number) as [number, number];
  return Array.from({ length: months }, (_, i) => {
    const index = year * 12 + (month - 1) - (months - 1 - i);
    return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  });
}

/** Spend (fen) in the rolling window: what tiers are decided on. */
export function qualifyingSpend(spend: Spend | undefined, today: BusinessDay, config: TiersConfig): number {
  return windowMonths(today, config.windowMonths).reduce((sum, m) => sum + (spend?.months[m] ?? 0), 0);
}

/** The highest tier whose threshold the qualifying spend reaches. */
export function tierForSpend(qualifying: number, config: TiersConfig): Tier {
  return [...config.tiers].reverse().find((t) => qualifying >= t.threshold)?.key ?? 'bronze';
}

/** Points a purchase earns: per yuan, times the tier's multiplier (and the birthday's, that day), fractions dropped. */
export function spendPoints(amount: number, tier: Tier, config: TiersConfig, birthdayMultiplier: number | null = null): number {
  return Math.floor((amount / 100) * config.pointsPerYuan * tierDefinitionOf(config, tier).pointsMultiplier * (birthdayMultiplier ?? 1));
}

/** The next tier up and the spend still to go, or null at the top. */
export function nextTier(tier: Tier, qualifying: number, config: TiersConfig): { tier: Tier; name: string; toGo: number } | null {
  const next = config.tiers[tierRank(tier) + 1];
  return next ? { tier: next.key, name: next.name, toGo: Math.max(0, next.threshold - qualifying) } : null;
}

/** A purchase as it is booked: its id, the fen paid, who took the money, and when. */
export interface Purchase {
  id: string;
  amount: number;
  counterparty: SpendLineDoc['counterparty'];
  today: BusinessDay;
  now: Date;
}

export interface PurchaseDecision {
  spendLine: SpendLineDoc;
  pointLines: LedgerEntryDoc[];
  patch: { spend: Spend; tier?: Tier; tierMoves?: number };
  history: TierHistoryDoc | null;
  /** The result without the balance, which the posting sets. */
  result: Omit<PurchaseResult, 'balance'>;
}

/**
 * A purchase of `amount` fen at `storeId`: the spend line, the points it earns at the
 * member's tier, the month's spend bucket (buckets older than the window are dropped),
 * and an upgrade at once if the new qualifying spend reaches a higher tier — never a
 * downgrade, which only the timer job decides after its warning and protection period.
 */
export function decidePurchase(member: MemberDoc, config: TiersConfig, purchase: Purchase): PurchaseDecision {
  const { id, amount, counterparty, today, now } = purchase;
  const window = new Set(windowMonths(today, config.windowMonths));
  const month = today.slice(0, 7);
  const months = Object.fromEntries(Object.entries(member.spend?.months ?? {}).filter(([m]) => window.has(m)));
  months[month] = (months[month] ?? 0) + amount;
  const spend = { total: (member.spend?.total ?? 0) + amount, months };
  const qualifying = qualifyingSpend(spend, today, config);
  const reached = tierForSpend(qualifying, config);
  const tier = tierRank(reached) > tierRank(member.tier) ? reached : member.tier;
  const points = spendPoints(amount, member.tier, config, birthdayMultiplierFor(member, config, today));
  const move = tier !== member.tier ? tierMove(member, tier, 'spend', qualifying, id, now, today) : null;
  return {
    spendLine: {
      _id: `purchase:${id}`,
      openid: member.openid,
      amount,
      counterparty,
      reason: 'purchase',
      sourceRef: id,
      at: now,
      day: today,
    },
    pointLines: points > 0 ? [earning(`spend:${id}`, member.openid, points, 'spend', id, now, today)] : [],
    patch: move ? { spend, ...move.patch } : { spend },
    history: move?.history ?? null,
    result: {
      purchaseId: id,
      amount,
      orderAmount: amount,
      coupon: null,
      points,
      memberNickname: member.nickname,
      tier,
      tierName: tierDefinitionOf(config, tier).name,
      upgradedFrom: move ? member.tier : null,
      qualifyingSpend: qualifying,
    },
  };
}

export interface RefundDecision {
  spendLine: SpendLineDoc;
  pointLines: LedgerEntryDoc[];
  patch: { spend: Spend };
  /** Points the purchase earned that were already spent: not taken back. */
  forgiven: number;
}

/**
 * Refunding a purchase: its spend comes off (from the month it was made, if that month is
 * still in the window) and the points it earned are taken back — as many as the member
 * still has. Points already spent stay spent: the balance never goes negative, and a
 * member is not asked to pay points back for a refund the store agreed to. The tier is
 * not touched here; the timer job's downgrade rules (warning, protection period) decide.
 */
export function decideRefund(
  member: MemberDoc,
  purchase: { id: string; amount: number; day: BusinessDay; earnedPoints: number; counterparty: SpendLineDoc['counterparty'] },
  at: { today: BusinessDay; now: Date },
): RefundDecision {
  const { today, now } = at;
  const months = { ...(member.spend?.months ?? {}) };
  const month = purchase.day.slice(0, 7);
  if (months[month] !== undefined) months[month] = Math.max(0, (months[month] ?? 0) - purchase.amount);
  const back = takeBack(`spend-refund:${purchase.id}`, member.openid, purchase.earnedPoints, member.points, purchase.id, now, today);
  return {
    spendLine: {
      _id: `refund:${purchase.id}`,
      openid: member.openid,
      amount: -purchase.amount,
      counterparty: purchase.counterparty,
      reason: 'refund',
      sourceRef: purchase.id,
      at: now,
      day: today,
    },
    pointLines: back.lines,
    patch: { spend: { total: (member.spend?.total ?? 0) - purchase.amount, months } },
    forgiven: back.forgiven,
  };
}
export type TierReview = NonNullable<MemberDoc['tierReview']>;

/** What tonight's review does to a member's tier. */
export type TierReviewDecision =
  | { kind: 'keep' }
  | { kind: 'warn'; review: TierReview }
  | { kind: 'cancel' }
  | { kind: 'downgrade'; patch: { tier: Tier; tierMoves: number }; history: TierHistoryDoc };

/**
 * The nightly tier review (docs/rules.md: a downgrade is warned in advance and applied only
 * after a protection period). A member whose qualifying spend has fallen below their
 * tier's threshold is warned (the tier they would fall to, and the day); spending back
 * above the line cancels the warning; still below on that day, they move down to the tier
 * their spend supports. The same night reviewed twice decides the same.
 */
export function reviewTier(member: MemberDoc, config: TiersConfig, today: BusinessDay, now: Date): TierReviewDecision {
  const qualifying = qualifyingSpend(member.spend, today, config);
  const supported = tierForSpend(qualifying, config);
  const review = member.tierReview ?? null;
  if (tierRank(supported) >= tierRank(member.tier)) return review ? { kind: 'cancel' } : { kind: 'keep' };
  if (!review) return { kind: 'warn', review: { warnedOn: today, downgradeOn: addDays(today, config.protectionDays), to: supported } };
  if (today < review.downgradeOn)
    return review.to === supported ? { kind: 'keep' } : { kind: 'warn', review: { ...review, to: supported } };
  return { kind: 'downgrade', ...tierMove(member, supported, 'downgrade', qualifying, `review:${review.warnedOn}`, now, today) };
}

/**
 * A move between tiers: the member's new tier and move count, and the history entry,
 * numbered by that count — written in the transaction that read the member, so moves
 * racing each other (a purchase and the night) are numbered in the order they committed.
 */
export function tierMove(
  member: Pick<MemberDoc, 'openid' | 'tier' | 'tierMoves'>,
  to: Tier,
  reason: TierHistoryDoc['reason'],
  qualifyingSpend: number,
  sourceRef: string,
  now: Date,
  today: BusinessDay,
): { patch: { tier: Tier; tierMoves: number }; history: TierHistoryDoc } {
  const seq = (member.tierMoves ?? 0) + 1;
  return {
    patch: { tier: to, tierMoves: seq },
    history: {
      _id: `${member.openid}:${seq}`,
      openid: member.openid,
      seq,
      from: member.tier,
      to,
      reason,
      qualifyingSpend,
      sourceRef,
      at: now,
      day: today,
    },
  };
}
