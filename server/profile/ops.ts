import { z } from 'zod';
import { birthdaySchema } from '../../core/member/birthday';
import { beijingDay } from '../../core/time/beijing';
import type { ProfileChangeDoc } from '../../typings/documents';
import { inTransaction, txGet } from '../platform/db';
import { AppError } from '../platform/errors';
import { requireRole } from '../platform/roles';
import { action } from '../platform/router';

/** Operators set or correct a member's birthday; the change and its reason are kept. */
export const setBirthday = action(
  () => z.object({ openid: z.string().min(1).max(64), birthday: birthdaySchema, reason: z.string().trim().min(2).max(100) }).strict(),
  async (ctx, { openid, birthday, reason }) => {
    const operator = await requireRole(ctx, 'operator');
    const now = ctx.clock.now();
    await inTransaction(ctx.db, async (tx) => {
      const m = await txGet(tx, 'members', openid).catch(() => undefined);
      if (!m) throw new AppError('NOT_FOUND', '会员不存在');
      const change: ProfileChangeDoc = {
        _id: `${openid}:birthday:${now.getTime()}`,
        openid,
        field: 'birthday',
        from: m.birthday ?? null,
        to: birthday,
        by: operator._id,
        reason,
        at: now,
      };
      await tx.collection('profileChanges').add({ data: change });
      // A birthday changed today is given today: its benefits wait the notice days too.
      const given = m.birthday === birthday ? {} : { birthdaySetDay: beijingDay(now) };
      await tx
        .collection('members')
        .doc(openid)
        .update({ data: { birthday, ...given } });
    });
    return { openid, birthday };
  },
);
