import { z } from 'zod';
import { streakWeek } from '../../core/checkin/reward';
import { currentStreak } from '../../core/checkin/streak';
import { CHECKIN_CONFIG } from '../../core/config/checkin';
import { beijingDay } from '../../core/time/beijing';
import type { Profile, WelcomeBack } from '../../typings/api';
import type { MemberDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { findOne } from '../platform/db';
import { recordActivity } from '../activity/record';
import { claimWaitingGift } from '../reminders/gift';
import { storeName } from '../platform/roles';
import { action } from '../platform/router';
import { ensureMember } from '../member/registration';
import { creditInviter } from '../tasks/invites';
import { loadConfigs } from '../platform/config';
import { REMINDERS_CONFIG } from '../../core/config/reminders';
import { tierDefinitionOf, TIERS_CONFIG } from '../../core/config/tiers';
import { nextTier, qualifyingSpend } from '../../core/tiers/spend';
import { INVITE_CODE, isProfileComplete } from '../../core/member/registration';
import { firstBenefitBirthday } from '../../core/member/birthday';

/**
 * A real visit (the home page opening): registers the caller on first visit (crediting
 * the inviter whose code brought them), records the visit, hands over a waiting return
 * gift pack — which the home page then shows — and returns their profile.
 */
export const home = action(
  () => z.object({ inviteCode: INVITE_CODE.optional() }).strict(),
  async (ctx, input): Promise<Profile> => {
    const { member, isNew } = await ensureMember(ctx);
    if (isNew && input.inviteCode) await creditInviter(ctx, member, input.inviteCode);
    const now = ctx.clock.now();
    // The day's first activity (this visit, if it is) moves `lastSeenAt` with the lifecycle
    // in one write; everything that reads it reads the day.
    await recordActivity(ctx, member, { counts: { open: 1 } });
    const welcomeBack = await claimWaitingGift(ctx, member, beijingDay(now));
    return profileOf(ctx, member, isNew, welcomeBack);
  },
);

/**
 * The profile for screens that only show it (我的, the staff page): counts no visit,
 * hands over nothing — a waiting gift stays for the home page, which shows it.
 */
export const profile = action(
  () => z.object({}).strict(),
  async (ctx): Promise<Profile> => {
    const { member, isNew } = await ensureMember(ctx);
    return profileOf(ctx, member, isNew, null);
  },
);

export async function profileOf(ctx: ServerContext, member: MemberDoc, isNew: boolean, welcomeBack: WelcomeBack | null): Promise<Profile> {
  const today = beijingDay(ctx.clock.now());
  const [role, [reminders, tiers, checkin]] = await Promise.all([
    findOne(ctx.db, 'roles', member.openid),
    loadConfigs(ctx, REMINDERS_CONFIG, TIERS_CONFIG, CHECKIN_CONFIG),
  ]);
  const streak = currentStreak(member.streak, today);
  const checkedToday = member.streak?.end === today;
  const qualifying = qualifyingSpend(member.spend, today, tiers);
  const next = nextTier(member.tier, qualifying, tiers);
  const review = member.tierReview;
  const benefitsFrom = firstBenefitBirthday(member, tiers.birthdayNoticeDays);
  const store = role?.storeId ? { storeId: role.storeId, storeName: await storeName(ctx, role.storeId) } : {};
  return {
    openid: member.openid,
    nickname: member.nickname,
    tier: member.tier,
    points: member.points + (welcomeBack?.points ?? 0),
    registeredAt: member.registeredAt.toISOString(),
    role: role ? { role: role.role, ...store } : null,
    isNew,
    streak,
    checkedToday,
    makeupCards: (member.makeupCards ?? 0) + (welcomeBack?.makeupCards ?? 0),
    badges: member.badges ?? [],
    reminderTemplates: [reminders.templates.streakReminder, reminders.templates.returnReminder],
    welcomeBack,
    birthday: member.birthday ?? null,
    birthdayNoticeDays: tiers.birthdayNoticeDays,
    birthdayBenefitsFrom: benefitsFrom && benefitsFrom > today ? benefitsFrom : null,
    avatar: member.avatar ?? null,
    profileComplete: isProfileComplete(member),
    tierProgress: { name: tierDefinitionOf(tiers, member.tier).name, next: next && { name: next.name, toGo: next.toGo } },
    tierNotice: review
      ? {
          toName: tierDefinitionOf(tiers, review.to).name,
          downgradeOn: review.downgradeOn,
          toKeep: Math.max(0, tierDefinitionOf(tiers, member.tier).threshold - qualifying),
        }
      : null,
    week: streakWeek(checkin, member.registeredDay, today, streak, checkedToday),
  };
}
