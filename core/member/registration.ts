import { z } from 'zod';
import type { MemberDoc } from '../../typings/documents';
import { beijingDay } from '../time/beijing';

/** A new member as registered on their first visit. Everything else is earned later. */
export function newMember(openid: string, unionid: string | null, now: Date, inviteCode: string): MemberDoc {
  return {
    _id: openid,
    openid,
    unionid,
    nickname: `会员${openid.slice(-4)}`,
    tier: 'bronze',
    points: 0,
    registeredAt: now,
    registeredDay: beijingDay(now),
    lastSeenAt: now,
    streak: null,
    makeupCards: 0,
    lifetimeMilestones: [],
    inviteCode,
    badges: [],
    stage: 'potential',
    stageSince: beijingDay(now),
    firstActionDay: null,
    lastActiveDay: null,
    activeDays: 0,
    activeRun: null,
  };
}

/** A complete profile (the newbie task 完善个人资料): a nickname the member chose, and a birthday. */
export function isProfileComplete(member: Pick<MemberDoc, 'nicknameChosen' | 'birthday'>): boolean {
  return !!member.nicknameChosen && !!member.birthday;
}

/** A member's invite code as it travels in share links (also their referral code). */
export const INVITE_CODE = z.string().regex(/^[A-Z2-9]{8}$/);
