import { z } from 'zod';
import { fileIdSchema } from '../../core/storage/file-id';
import { AVATAR_FOLDER, avatarProblem, cloudPathOf } from '../../core/storage/image';
import { birthdaySchema } from '../../core/member/birthday';
import { beijingDay } from '../../core/time/beijing';
import { isProfileComplete, nicknameSchema } from '../../core/member/registration';
import type { Profile } from '../../typings/api';
import type { MemberDoc } from '../../typings/documents';
import { inTransaction, txGet } from '../platform/db';
import { AppError } from '../platform/errors';
import { ensureMember } from '../member/registration';
import { action } from '../platform/router';
import { countEvent } from '../tasks/progress';
import { profileOf } from './home';

const input = z.lazy(() =>
  z
    .object({ nickname: nicknameSchema.optional(), avatar: fileIdSchema.optional(), birthday: birthdaySchema.optional() })
    .strict()
    .refine((p) => p.nickname !== undefined || p.avatar !== undefined || p.birthday !== undefined, { message: 'nothing to update' }),
);

/**
 * The member edits their profile (个人资料): nickname, avatar, and their birthday — once.
 * A birthday already given cannot be changed by the member (BIRTHDAY_LOCKED: an operator
 * can, `ops.setBirthday`), so the birthday pack cannot be farmed; giving the same one
 * again changes nothing. The day it is given is kept: its benefits wait
 * `birthdayNoticeDays`. The edit that completes the profile counts the newbie task. An
 * avatar is a picture the member uploaded under avatars/ (the storage rules let each member
 * write only there, and only their own files); what it holds is checked here (AVATAR_INVALID).
 */
export const updateProfile = action(
  () => input,
  async (ctx, edit): Promise<Profile> => {
    const { member } = await ensureMember(ctx);
    if (edit.avatar !== undefined) {
      const problem = cloudPathOf(edit.avatar).startsWith(AVATAR_FOLDER)
        ? avatarProblem(await ctx.readFile(edit.avatar))
        : '头像需从本机上传';
      if (problem) throw new AppError('AVATAR_INVALID', problem);
    }
    const updated = await inTransaction(ctx.db, async (tx): Promise<MemberDoc> => {
      const m = await txGet(tx, 'members', member.openid);
      if (edit.birthday && m.birthday && m.birthday !== edit.birthday)
        throw new AppError('BIRTHDAY_LOCKED', '生日设置后不可修改，如需更正请联系客服');
      const patch = {
        ...(edit.nickname !== undefined ? { nickname: edit.nickname, nicknameChosen: true } : {}),
        ...(edit.avatar !== undefined ? { avatar: edit.avatar } : {}),
        ...(edit.birthday !== undefined && !m.birthday ? { birthday: edit.birthday, birthdaySetDay: beijingDay(ctx.clock.now()) } : {}),
      };
      if (Object.keys(patch).length) await tx.collection('members').doc(m.openid).update({ data: patch });
      return { ...m, ...patch };
    });
    // Counted once per member (its dedupe key), however often the profile is saved; asked on
    // every complete save, so a save after a function died between the two still counts it.
    if (isProfileComplete(updated)) await countEvent(ctx, updated, 'profile_completed', { dedupeKey: 'profile' });
    return profileOf(ctx, updated, false, null);
  },
);
