import { newMember } from '../../core/member/registration';
import type { MemberDoc } from '../../typings/documents';
import type { ServerContext } from '../context';
import { findOne, isDuplicateWrite } from '../db';
import { AppError } from '../errors';

export function requireMember(ctx: ServerContext): string {
  if (!ctx.caller.openid) throw new AppError('UNAUTHENTICATED', '请在微信小程序内打开');
  return ctx.caller.openid;
}

/**
 * The caller's member document, registering them on first sight. `_id` is the OPENID,
 * so concurrent first visits cannot create two members: the loser's insert fails on the
 * key and it reads the winner's document.
 */
export async function ensureMember(ctx: ServerContext): Promise<{ member: MemberDoc; isNew: boolean }> {
  const openid = requireMember(ctx);
  const existing = await findOne<MemberDoc>(ctx.db, 'members', openid);
  if (existing) return { member: existing, isNew: false };
  const fresh = newMember(openid, ctx.caller.unionid, ctx.clock.now());
  try {
    await ctx.db.collection('members').add({ data: fresh });
    return { member: fresh, isNew: true };
  } catch (err) {
    if (!isDuplicateWrite(err)) throw err;
  }
  const winner = await findOne<MemberDoc>(ctx.db, 'members', openid);
  if (!winner) throw new AppError('INTERNAL', 'member vanished during registration');
  return { member: winner, isNew: false };
}
