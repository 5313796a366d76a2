import { z } from 'zod';
import type { MemberDoc } from '../../typings/documents';
import { beijingDay } from '../time/beijing';

/**
 * What a member is called until they choose a nickname: WeChat's own 微信用户 and four
 * digits drawn from the openid (FNV-1a), so friends on a group page are told apart and no
 * part of the openid is shown.
 */
export function defaultNickname(openid: string): string {
  let hash = 0x811c9dc5;
  for (const char of openid) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 0x01000193) >>> 0;
  return `微信用户${String(hash % 10_000).padStart(4, '0')}`;
}

/** A new member as registered on their first visit. Everything else is earned later. */
export function newMember(openid: string, unionid: string | null, now: Date, inviteCode: string): MemberDoc {
  return {
    _id: openid,
    openid,
    unionid,
    nickname: defaultNickname(openid),
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
export const INVITE_CODE = z.lazy(() => z.string().regex(/^[A-Z2-9]{8}$/));

/**
 * What draws an emoji but nothing on its own: a text/emoji variation selector after an
 * emoji (❤️), a joiner between pictographs (👨‍👩‍👧), the tag characters of a
 * subdivision flag (🏴󠁧󠁢󠁳󠁣󠁴󠁿). Removed before looking for invisible characters.
 */
const EMOJI_GLUE =
  /(?<=\p{Emoji})[\uFE0E\uFE0F]|(?<=\p{Extended_Pictographic}[\uFE0F\p{Emoji_Modifier}]?)\u200D(?=\p{Extended_Pictographic})|(?<=\u{1F3F4}[\u{E0020}-\u{E007E}]*)[\u{E0020}-\u{E007F}]/gu;
/**
 * Characters that render as nothing, or as a blank: default-ignorables (U+3164 HANGUL
 * FILLER, U+115F/U+1160, U+FFA0, zero-width characters, U+00AD, variation selectors,
 * bidi controls, U+180E…), controls and format characters, U+2800 BRAILLE PATTERN BLANK,
 * and every whitespace but the ordinary space.
 */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\p{Cs}\u2800]|(?! )\p{White_Space}/u;
/** A character that shows by itself (not a mark needing one to sit on, not a space). */
const VISIBLE = /[^\p{M}\p{White_Space}]/u;

/**
 * A nickname as typed into `<input type="nickname">`: 1–20 characters, ends trimmed, at
 * least one visible, none invisible — ordinary spaces between words are kept. Stored as
 * typed: WXML shows it as text, and no page renders it as HTML (docs/api.md, updateProfile).
 */
export const nicknameSchema = z.lazy(() =>
  z
    .string()
    .trim()
    .min(1)
    .max(20)
    .refine((s) => VISIBLE.test(s) && !INVISIBLE.test(s.replace(EMOJI_GLUE, '')), { message: 'a nickname shows visible characters only' }),
);
