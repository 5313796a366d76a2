import { z } from 'zod';
import type { Profile } from '../../typings/api';
import type { RoleDoc } from '../../typings/documents';
import { findOne } from '../db';
import { action } from '../router';
import { ensureMember } from './registration';

/** Registers the caller on first visit, records the visit, returns their profile. */
export const home = action(z.object({}).strict(), async (ctx): Promise<Profile> => {
  const { member, isNew } = await ensureMember(ctx);
  if (!isNew) await ctx.db.collection('members').doc(member.openid).update({ data: { lastSeenAt: ctx.clock.now() } });
  const role = await findOne<RoleDoc>(ctx.db, 'roles', member.openid);
  return {
    openid: member.openid,
    nickname: member.nickname,
    tier: member.tier,
    points: member.points,
    registeredAt: new Date(member.registeredAt).toISOString(),
    role: role ? { role: role.role, ...(role.storeId ? { storeId: role.storeId } : {}) } : null,
    isNew,
  };
});
