import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ActivityCounts } from '../../core/activity/rollup';
import type { LifecycleConfig } from '../../core/config/lifecycle';
import { type CouponTemplate, type MallItem, mallItemSchema } from '../../core/mall/catalogue';
import { BLOCK_MESSAGES } from '../../core/mall/availability';
import { randomSerial } from '../../core/mall/code';
import { decideRedeem } from '../../core/mall/redeem';
import { beijingDay } from '../../core/time/beijing';
import type { RedeemResult } from '../../typings/api';
import type { CouponDoc, MemberDoc, OrderDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { findOne, inTransaction, isDuplicateWrite, txGet } from '../platform/db';
import { AppError } from '../platform/errors';
import { issueCoupon } from '../coupons/issue';
import { loadCouponTemplate } from '../coupons/templates';
import { recordActivity, touchDayInTx } from '../activity/record';
import { ensureMember } from '../member/registration';
import { callerOpenid } from '../platform/caller';
import { action } from '../platform/router';
import { postJournal } from '../points/post';
import { cachedEdited, loadConfig, rememberEdited, validated } from '../platform/config';
import { LIFECYCLE_CONFIG } from '../../core/config/lifecycle';
import { itemRequest } from './catalogue';
import { type Delivery, deliveryFor } from '../../core/orders/delivery';
import { holdsFor, redemptionOutcomes, releaseHeldUnit, takeHeldUnit } from './holds';

/**
 * Redeems an item for points, in as few round trips as the guarantees allow (bench (i)):
 *  1. a unit of stock is taken by one conditional decrement of the item — the one hot
 *     document, never in a transaction — which leaves the redemption's hold on it
 *     (server/mall/holds.ts) and holds only if the item is still the version this
 *     instance has cached (an operator's save moves it);
 *  2. one transaction over the member's own documents: the member (read, then written once
 *     with the balance, the item's limit counts and the day's redemptions), the ledger line
 *     and the coupon or order — which is the request's idempotency record, carrying the
 *     reply a repeat replays (its source / id is the request's key, unique).
 * If the transaction refuses or fails, the unit goes back. Item, coupon template and rule
 * sets come from this instance's cache; the activity rollup is written only when the
 * redemption is the member's first activity of the day (the day's bucket).
 */
export const redeem = action(
  () => itemRequest,
  async (ctx, { itemId, requestId, address }): Promise<RedeemResult> => {
    const openid = callerOpenid(ctx);
    const key = `${openid}:${requestId}`;
    for (let attempt = 0; attempt < TAKE_ATTEMPTS; attempt++) {
      const known = await cachedEdited(ctx, 'mallItems', itemId);
      const item = known && validated(ctx, mallItemSchema, 'mallItems', known);
      const held = item?.enabled && item.cashPrice === undefined && (await takeHeldUnit(ctx, itemId, key, known?.['version']));
      const outcome = held ? await redeemHeld(ctx, item, key, openid, deliveryFor(address)) : await notTaken(ctx, itemId, key);
      if (outcome !== 'again') return outcome;
    }
    throw new AppError('CONFLICT', '操作太快了，请稍后再试');
  },
);

/**
 * Rounds of taking a unit before a request gives up with CONFLICT. Each round settles at
 * least one copy of a doubled request (the one holding the unit answers, even when it is
 * refused and lets the unit go), so k copies at once need at most k rounds, one more for a
 * stale cached item: 8 covers a tap repeated 7 times at once.
 */
const TAKE_ATTEMPTS = 8;

/** Not worth a reply yet: take again (the unit came back, a twin let its unit go, or the cached item was old). */
type Again = 'again';

/** The redemption with its unit held: decided on the item it read, written in one transaction — or the unit goes back. */
async function redeemHeld(ctx: ServerContext, item: MallItem, key: string, openid: string, delivery: Delivery): Promise<RedeemResult> {
  let outcome: Redeemed | { previous: CouponDoc | OrderDoc };
  try {
    outcome = await redeemOnce(ctx, item, key, openid, delivery);
  } catch (err) {
    await releaseHeldUnit(ctx, item._id, key);
    throw err;
  }
  if ('previous' in outcome) {
    await releaseHeldUnit(ctx, item._id, key);
    return replay(outcome.previous, item._id);
  }
  if (outcome.dayTouched) await recordActivity(ctx, outcome.member, { counts: outcome.activity, dayCounted: true });
  return outcome.reply;
}

interface Redeemed {
  reply: RedeemResult;
  member: MemberDoc;
  /** The redemption was the member's first activity today: the day's bucket in the rollup is still to write. */
  dayTouched: boolean;
  activity: ActivityCounts;
}

/** The transaction (a member not yet registered is, and it runs again); or the earlier outcome of this request. */
async function redeemOnce(
  ctx: ServerContext,
  item: MallItem,
  key: string,
  openid: string,
  delivery: Delivery,
): Promise<Redeemed | { previous: CouponDoc | OrderDoc }> {
  const [template, lifecycle] = await Promise.all([
    item.couponKey === undefined ? undefined : loadCouponTemplate(ctx, item.couponKey),
    loadConfig(ctx, LIFECYCLE_CONFIG),
  ]);
  if (item.kind === 'coupon' && !template) throw new AppError('ITEM_UNAVAILABLE', BLOCK_MESSAGES.ITEM_UNAVAILABLE);
  for (let attempt = 0; ; attempt++) {
    try {
      const done =
        (await redeemInTx(ctx, item, template, key, openid, lifecycle, delivery)) ??
        (await registered(ctx, item, template, key, lifecycle, delivery));
      return { ...done, activity: { redeem: 1, ...(item.kind === 'coupon' ? { couponClaim: 1 } : {}) } };
    } catch (err) {
      // A write that finds its key taken: this request went through before (or its coupon
      // drew a taken serial — rare, and then it draws again).
      if (!isDuplicateWrite(err) || attempt === 2) throw err;
      const previous = (await redemptionOutcomes(ctx, [key])).get(key);
      if (previous) return { previous };
    }
  }
}

/** The transaction again, for a caller who had no member document: registered first. */
async function registered(
  ctx: ServerContext,
  item: MallItem,
  template: CouponTemplate | undefined,
  key: string,
  lifecycle: LifecycleConfig,
  delivery: Delivery,
): Promise<Omit<Redeemed, 'activity'>> {
  const { member } = await ensureMember(ctx);
  const done = await redeemInTx(ctx, item, template, key, member.openid, lifecycle, delivery);
  if (!done) throw new Error(`member ${member.openid} missing right after registration`);
  return done;
}

/** The member's side, in one transaction; null when the caller has no member document yet. */
async function redeemInTx(
  ctx: ServerContext,
  item: MallItem,
  template: CouponTemplate | undefined,
  key: string,
  openid: string,
  lifecycle: LifecycleConfig,
  delivery: Delivery,
): Promise<Omit<Redeemed, 'activity'> | null> {
  const now = ctx.clock.now();
  const today = beijingDay(now);
  return inTransaction(ctx.db, async (tx) => {
    const m = await txGet(tx, 'members', openid).catch(() => undefined);
    if (!m) return null;
    const decision = decideRedeem(m, item, key, today, now, String(randomInt(10 ** 12)).padStart(12, '0'), delivery);
    if (decision.rejection) throw new AppError(decision.rejection, BLOCK_MESSAGES[decision.rejection]);
    // A redemption is an action: the day's first one moves the member's day and lifecycle here too.
    const day = await touchDayInTx(ctx, tx, m, today, true, now, lifecycle);
    const balance = await postJournal(tx, m, decision.lines, { ...day, ...decision.patch });
    const serial = template ? randomSerial() : null;
    const reply: RedeemResult = { ...decision.result, balance, couponId: serial };
    if (decision.order) await tx.collection('orders').add({ data: { ...decision.order, reply } });
    if (template && serial) await issueCoupon(tx, template, openid, `redemption:${key}`, now, { serial, reply });
    return { reply, member: m, dayTouched: Object.keys(day).length > 0 };
  });
}

/** The item as stored now and this request's earlier outcome, if any, read at once. */
async function readAfresh(ctx: ServerContext, itemId: string, key: string) {
  const [raw, outcomes] = await Promise.all([
    findOne<Record<string, unknown>>(ctx.db, 'mallItems', itemId),
    redemptionOutcomes(ctx, [key]),
  ]);
  return { raw, previous: outcomes.get(key) };
}

/**
 * Why no unit was taken, read afresh: an earlier outcome of this request (replayed), a
 * twin of it holding the unit (its outcome awaited), or the item's own state.
 */
async function notTaken(ctx: ServerContext, itemId: string, key: string): Promise<RedeemResult | Again> {
  const { raw, previous } = await readAfresh(ctx, itemId, key);
  rememberEdited('mallItems', itemId, raw);
  if (previous) return replay(previous, itemId);
  if (holdsFor(raw, key)) return twinOutcome(ctx, itemId, key);
  const item = validated(ctx, mallItemSchema, 'mallItems', raw);
  if (!item) throw new AppError('NOT_FOUND', '商品不存在');
  if (item.cashPrice !== undefined) throw new AppError('ITEM_UNAVAILABLE', '该商品需微信支付购买');
  if (!item.enabled) throw new AppError('ITEM_UNAVAILABLE', BLOCK_MESSAGES.ITEM_UNAVAILABLE);
  if (item.stock <= 0) throw new AppError('SOLD_OUT', BLOCK_MESSAGES.SOLD_OUT);
  // In stock, no hold of this request: a unit came back since, or the cached item was an older version.
  return 'again';
}

/** How often, and how long, a doubled request looks for its twin's outcome (a redemption takes well under a second). */
const TWIN_POLL_MS = 100;
const TWIN_WAIT_MS = 4_000;

/** A doubled request's answer: the outcome of its twin, which holds the unit, once it settles. */
async function twinOutcome(ctx: ServerContext, itemId: string, key: string): Promise<RedeemResult | Again> {
  for (let waited = 0; waited < TWIN_WAIT_MS; waited += TWIN_POLL_MS) {
    await sleep(TWIN_POLL_MS);
    const { raw, previous } = await readAfresh(ctx, itemId, key);
    if (previous) return replay(previous, itemId);
    // The twin gave its unit back without an outcome (it was refused): this request tries
    // itself, and meets the same refusal.
    if (!holdsFor(raw, key)) return 'again';
  }
  throw new AppError('CONFLICT', '兑换处理中，请稍后查看');
}

/** The reply of an earlier redemption under this request id, if it was for the same item; another item is a reused key. */
function replay(previous: CouponDoc | OrderDoc, itemId: string): RedeemResult {
  if (previous.reply?.itemId !== itemId) throw new AppError('IDEMPOTENCY_KEY_REUSED', '该请求号已用于另一次兑换');
  return previous.reply;
}
