import { randomBytes } from 'node:crypto';
import { newMember } from '../../core/member/registration';
import type { InviteDoc, MemberDoc } from '../../typings/documents';
import type { ServerContext } from '../context';
import { findDocs, findOne, isDuplicateWrite } from '../db';
import { AppError } from '../errors';
import { countEvent } from '../tasks/progress';

export function requireMember(ctx: ServerContext): string {
  if (!ctx.caller.openid) throw new AppError('UNAUTHENTICATED', '请在微信小程序内打开');
  return ctx.caller.openid;
}

/** 8 characters from an alphabet without look-alikes (0/O, 1/I/L). */
function newInviteCode(): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  return [...randomBytes(8)].map((b) => alphabet[b % alphabet.length]).join('');
}

/**
 * The caller's member document, registering them on first sight. `_id` is the OPENID,
 * so concurrent first visits cannot create two members: the loser's insert fails on the
 * key and it reads the winner's document. Only a registration that really created the
 * member credits the inviter.
 */
export async function ensureMember(ctx: ServerContext, inviteCode?: string): Promise<{ member: MemberDoc; isNew: boolean }> {
  const openid = requireMember(ctx);
  const existing = await findOne<MemberDoc>(ctx.db, 'members', openid);
  if (existing) return { member: existing, isNew: false };
  const fresh = newMember(openid, ctx.caller.unionid, ctx.clock.now(), newInviteCode());
  try {
    await ctx.db.collection('members').add({ data: fresh });
  } catch (err) {
    if (!isDuplicateWrite(err)) throw err;
    const winner = await findOne<MemberDoc>(ctx.db, 'members', openid);
    if (winner) return { member: winner, isNew: false };
    throw err; // an invite-code collision: astronomically rare, and safe to retry
  }
  if (inviteCode) await creditInviter(ctx, fresh, inviteCode);
  return { member: fresh, isNew: true };
}

async function creditInviter(ctx: ServerContext, invited: MemberDoc, inviteCode: string): Promise<void> {
  const [inviter] = await findDocs<MemberDoc>(ctx.db.collection('members').where({ inviteCode }).limit(1));
  if (!inviter || inviter.openid === invited.openid) return;
  const invite: InviteDoc = { _id: invited.openid, inviter: inviter.openid, at: invited.registeredAt };
  try {
    await ctx.db.collection('invites').add({ data: invite });
  } catch (err) {
    if (isDuplicateWrite(err)) return;
    throw err;
  }
  await countEvent(ctx, inviter, 'invite_registered', { dedupeKey: invited.openid });
}
