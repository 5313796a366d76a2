import { type TiersConfig, tierDefinitionOf } from '../../core/config/tiers';
import { isBenefitBirthday } from '../../core/member/birthday';
import type { BusinessDay } from '../../core/time/beijing';
import type { MemberDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { recordReward } from '../coupons/issue';
import { inTransaction, txGet } from '../platform/db';

/**
 * On the member's birthday (Beijing date; 02-29 on 02-28 in other years) the night gives
 * their tier's birthday pack, once a year, from the first birthday at least
 * `birthdayNoticeDays` after it was given (`isBenefitBirthday`). The reward's id names the
 * member and the year, and the member carries the year given, checked again inside the
 * transaction — a second firing, or a re-run after a kill, gives nothing more. Returns
 * whether a pack was given.
 */
export async function giveBirthdayPack(ctx: ServerContext, member: MemberDoc, config: TiersConfig, today: BusinessDay): Promise<boolean> {
  const year = Number(today.slice(0, 4));
  if (!isBenefitBirthday(member, today, config.birthdayNoticeDays) || member.birthdayPackYear === year) return false;
  const couponKey = tierDefinitionOf(config, member.tier).birthdayCouponKey;
  if (!couponKey) return false;
  return inTransaction(ctx.db, async (tx) => {
    const m = await txGet(tx, 'members', member.openid);
    if (m.birthdayPackYear === year) return false;
    const title = '生日礼券';
    await recordReward(ctx, tx, {
      _id: `birthday:${m.openid}:${year}`,
      openid: m.openid,
      source: 'birthday',
      title,
      reward: { type: 'coupon', couponKey, title },
      at: ctx.clock.now(),
    });
    await tx
      .collection('members')
      .doc(m.openid)
      .update({ data: { birthdayPackYear: year } });
    return true;
  });
}
