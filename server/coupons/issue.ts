import type { CouponTemplate } from '../../core/mall/catalogue';
import { newSecret, randomSerial } from '../../core/mall/code';
import { couponWindow } from '../../core/mall/coupon';
import type { RedeemResult } from '../../typings/api';
import type { CouponDoc, RewardDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { type Tx, txGet } from '../platform/db';
import { loadCouponTemplate } from './templates';

/**
 * The one way a coupon comes into being: an instance of `template` for `openid`, added in
 * the caller's transaction. `source` (the redemption or reward) is unique, so one source
 * never yields two coupons. The serial is random and checked free in the transaction; two
 * transactions picking the same one conflict and the retry draws again. A redemption
 * draws its own (`redeemed.serial`, unchecked: its coupon carries the reply naming it, and
 * a taken serial fails the insert, which the redemption tells from a repeat and retries)
 * and saves the read.
 */
export async function issueCoupon(
  tx: Tx,
  template: CouponTemplate,
  openid: string,
  source: string,
  now: Date,
  redeemed?: { serial: string; reply: RedeemResult },
): Promise<CouponDoc> {
  let serial = redeemed?.serial ?? randomSerial();
  for (let attempt = 0; !redeemed && (await txGet(tx, 'coupons', serial).catch(() => undefined)) !== undefined; attempt++) {
    if (attempt === 5) throw new Error('no free coupon serial after 6 draws');
    serial = randomSerial();
  }
  const coupon: CouponDoc = {
    _id: serial,
    openid,
    templateKey: template._id,
    title: template.title,
    rule: template.rule,
    storeIds: template.storeIds,
    minTier: template.minTier,
    ...couponWindow(template.validity, now),
    status: 'unused',
    secret: newSecret(),
    source,
    issuedAt: now,
    usedAt: null,
    ...(redeemed ? { reply: redeemed.reply } : {}),
  };
  await tx.collection('coupons').add({ data: coupon });
  return coupon;
}

/**
 * Records a reward in the caller's transaction; a coupon reward issues its coupon there
 * too. A reward whose template is missing or invalid stays `pending` (and is logged), so
 * the member's check-in or claim still succeeds. Returns the record and the coupon issued.
 */
export async function recordReward(
  ctx: ServerContext,
  tx: Tx,
  reward: Omit<RewardDoc, 'status' | 'couponId'>,
): Promise<RewardDoc & { coupon?: CouponDoc }> {
  const doc: RewardDoc = { ...reward, status: 'granted' };
  let coupon: CouponDoc | undefined;
  if (reward.reward.type === 'coupon') {
    const template = await loadCouponTemplate(ctx, reward.reward.couponKey);
    if (template) {
      coupon = await issueCoupon(tx, template, reward.openid, `reward:${reward._id}`, reward.at);
      doc.couponId = coupon._id;
    } else {
      doc.status = 'pending';
      ctx.log.error('coupon template missing; reward left pending', { reward: reward._id, couponKey: reward.reward.couponKey });
    }
  }
  await tx.collection('rewards').add({ data: doc });
  return coupon ? { ...doc, coupon } : doc;
}
