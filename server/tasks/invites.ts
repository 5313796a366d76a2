import type { InviteDoc, MemberDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { findDocs, isDuplicateWrite } from '../platform/db';
import { countEvent } from './progress';

/**
 * Credits the member whose invite code brought a newly registered member: one invite per
 * invited member (`invites/<openid>`), never the inviter themself, counted towards the
 * inviter's invite tasks. The caller calls it only for a registration that created the member.
 */
export async function creditInviter(ctx: ServerContext, invited: MemberDoc, inviteCode: string): Promise<void> {
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
