import { z } from 'zod';
import { CHECKIN_CONFIG } from '../../core/config/checkin';
import { TIERS_CONFIG } from '../../core/config/tiers';
import { POINTS_VALID_MONTHS } from '../../core/points/expiry';
import type { PointsRules } from '../../typings/api';
import { loadConfigs } from '../platform/config';
import { action } from '../platform/router';

/**
 * 积分规则 as members read them, from the rule sets in force — so the page never says what
 * the engine does not do: check-in points and milestones, points on spend by tier and on
 * the birthday, make-up cards, and how long points last.
 */
export const pointsRules = action(
  () => z.object({}).strict(),
  async (ctx): Promise<PointsRules> => {
    const [checkin, tiers] = await loadConfigs(ctx, CHECKIN_CONFIG, TIERS_CONFIG);
    return {
      checkin: {
        basePoints: checkin.basePoints,
        stepPoints: checkin.stepPoints,
        capPoints: checkin.capPoints,
        newbieDays: checkin.newbieDays,
        newbieMultiplier: checkin.newbieMultiplier,
        makeupWindowDays: checkin.makeupWindowDays,
        milestones: checkin.milestones.map((m) => ({ day: m.day, title: m.title })),
      },
      spend: {
        pointsPerYuan: tiers.pointsPerYuan,
        tiers: tiers.tiers.map((t) => ({ name: t.name, pointsMultiplier: t.pointsMultiplier })),
        birthdayMultiplier: tiers.birthdayMultiplier,
      },
      validMonths: POINTS_VALID_MONTHS,
    };
  },
);
