import { randomBytes } from 'node:crypto';
import { newMember } from '../../core/member/registration';
import type { MemberDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { findOne, isDuplicateWrite } from '../platform/db';
import { callerOpenid } from '../platform/caller';

/** 8 characters from an alphabet without look-alikes (0/O, 1/I/L). */
function newInviteCode(): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  return [...randomBytes(8)].map((b) => alphabet[b % alphabet.length]).join('');
}

/**
 * The caller's member document, registering them on first sight. `_id` is the OPENID,
 * so concurrent first visits cannot create two members: the loser's insert fails on the
 * key and it reads the winner's document; `isNew` is true only for the call that really
 * created the member (so only that call may credit an inviter).
 */
export async function ensureMember(ctx: ServerContext): Promise<{ member: MemberDoc; isNew: boolean }> {
  const openid = callerOpenid(ctx);
  const existing = await findOne(ctx.db, 'members', openid);
  if (existing) return { member: existing, isNew: false };
  const fresh = newMember(openid, ctx.caller.unionid, ctx.clock.now(), newInviteCode());
  try {
    await ctx.db.collection('members').add({ data: fresh });
  } catch (err) {
    if (!isDuplicateWrite(err)) throw err;
    const winner = await findOne(ctx.db, 'members', openid);
    if (winner) return { member: winner, isNew: false };
    throw err; // an invite-code collision: astronomically rare, and safe to retry
  }
  return { member: fresh, isNew: true };
}
