import { z } from 'zod';
import { currentStreak } from '../../core/checkin/streak';
import { beijingDay } from '../../core/time/beijing';
import type { Profile } from '../../typings/api';
import type { RoleDoc } from '../../typings/documents';
import { findOne } from '../db';
import { recordActivity } from '../activity/record';
import { recordFunnel } from '../funnel';
import { claimWaitingGift } from '../reminders/gift';
import { loadRemindersConfig } from '../reminders/subscriptions';
import { action } from '../router';
import { ensureMember } from './registration';

const INVITE_CODE = z.string().regex(/^[A-Z2-9]{8}$/);

/**
 * Registers the caller on first visit (crediting the inviter whose code brought them),
 * records the visit, hands over a waiting return gift pack, returns their profile.
 */
export const home = action(z.object({ inviteCode: INVITE_CODE.optional() }).strict(), async (ctx, input): Promise<Profile> => {
  const { member, isNew } = await ensureMember(ctx, input.inviteCode);
  const now = ctx.clock.now();
  const today = beijingDay(now);
  if (!isNew) await ctx.db.collection('members').doc(member.openid).update({ data: { lastSeenAt: now } });
  await Promise.all([recordFunnel(ctx, member.openid, 'visit'), recordActivity(ctx, member, { counts: { open: 1 } })]);
  const [role, reminders, welcomeBack] = await Promise.all([findOne<RoleDoc>(ctx.db, 'roles', member.openid), loadRemindersConfig(ctx), claimWaitingGift(ctx, member, today)]);
  return {
    openid: member.openid,
    nickname: member.nickname,
    tier: member.tier,
    points: member.points + (welcomeBack?.points ?? 0),
    registeredAt: new Date(member.registeredAt).toISOString(),
    role: role ? { role: role.role, ...(role.storeId ? { storeId: role.storeId } : {}) } : null,
    isNew,
    streak: currentStreak(member.streak, today),
    checkedToday: member.streak?.end === today,
    makeupCards: (member.makeupCards ?? 0) + (welcomeBack?.makeupCards ?? 0),
    badges: member.badges ?? [],
    reminderTemplates: Object.values(reminders.templates).slice(0, 3),
    welcomeBack,
  };
});
