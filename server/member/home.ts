import { z } from 'zod';
import { newMember } from '../../core/member/registration';
import type { Profile } from '../../typings/api';
import type { MemberDoc, RoleDoc } from '../../typings/documents';
import type { ServerContext } from '../context';
import { findOne, isDuplicateWrite } from '../db';
import { AppError } from '../errors';
import { action } from '../router';

/**
 * Registers the caller on first visit and returns their profile. The member document's
 * `_id` is the OPENID, so concurrent first visits cannot create two members: the
 * loser's insert fails on the primary key and it reads the winner's document.
 */
export const home = action(z.object({}).strict(), async (ctx): Promise<Profile> => {
  const openid = requireMember(ctx);
  const members = ctx.db.collection('members');
  const now = ctx.clock.now();
  let member = await findOne<MemberDoc>(ctx.db, 'members', openid);
  let isNew = false;
  if (!member) {
    const fresh = newMember(openid, ctx.caller.unionid, now);
    try {
      await members.add({ data: fresh });
      member = fresh;
      isNew = true;
    } catch (err) {
      if (!isDuplicateWrite(err)) throw err;
      member = await findOne<MemberDoc>(ctx.db, 'members', openid);
    }
  } else {
    await members.doc(openid).update({ data: { lastSeenAt: now } });
  }
  if (!member) throw new AppError('INTERNAL', 'member vanished during registration');
  const role = await findOne<RoleDoc>(ctx.db, 'roles', openid);
  return {
    openid,
    nickname: member.nickname,
    tier: member.tier,
    points: member.points,
    registeredAt: new Date(member.registeredAt).toISOString(),
    role: role ? { role: role.role, ...(role.storeId ? { storeId: role.storeId } : {}) } : null,
    isNew,
  };
});

export function requireMember(ctx: ServerContext): string {
  if (!ctx.caller.openid) throw new AppError('UNAUTHENTICATED', '请在微信小程序内打开');
  return ctx.caller.openid;
}

