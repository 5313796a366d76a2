import { z } from 'zod';
import { tierDefinitionOf, TIERS_CONFIG } from '../../core/config/tiers';
import { nextTier, qualifyingSpend } from '../../core/tiers/spend';
import { beijingDay } from '../../core/time/beijing';
import type { TierView } from '../../typings/api';
import type { TierHistoryDoc } from '../../typings/documents';
import { loadConfig } from '../platform/config';
import { findDocs } from '../platform/db';
import { ensureMember } from '../member/registration';
import { action } from '../platform/router';

/** The member's tier page: where they stand, what is next, what each tier gives, how they got here. */
export const tier = action(
  () => z.object({}).strict(),
  async (ctx): Promise<TierView> => {
    const { member } = await ensureMember(ctx);
    const today = beijingDay(ctx.clock.now());
    const [config, history] = await Promise.all([
      loadConfig(ctx, TIERS_CONFIG),
      findDocs<TierHistoryDoc>(ctx.db.collection('tierHistory').where({ openid: member.openid }).orderBy('seq', 'desc').limit(20)),
    ]);
    const qualifying = qualifyingSpend(member.spend, today, config);
    const own = tierDefinitionOf(config, member.tier);
    return {
      tier: member.tier,
      name: own.name,
      qualifyingSpend: qualifying,
      windowMonths: config.windowMonths,
      next: nextTier(member.tier, qualifying, config),
      benefits: {
        pricePercent: own.pricePercent,
        pointsMultiplier: own.pointsMultiplier,
        birthdayPack: own.birthdayCouponKey !== null,
        memberDay: own.memberDay,
      },
      tiers: config.tiers.map((t) => ({
        tier: t.key,
        name: t.name,
        threshold: t.threshold,
        pricePercent: t.pricePercent,
        pointsMultiplier: t.pointsMultiplier,
      })),
      history: history.map((h) => ({ from: h.from, to: h.to, at: h.at.toISOString(), qualifyingSpend: h.qualifyingSpend })),
    };
  },
);
