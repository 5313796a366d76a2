import { z } from 'zod';
import { configKey } from '../../core/config/key';
import { closesLoop, commissionPoints, spreadId } from '../../core/distribution/commission';
import { INVITE_CODE } from '../../core/member/registration';
import type { MemberDoc, PayOrderDoc, SpreadDoc } from '../../typings/documents';
import { loadConfig } from '../platform/config';
import { DISTRIBUTION_CONFIG } from '../../core/config/distribution';
import type { ServerContext } from '../platform/context';
import { findDocs, findOne, insertOnce } from '../platform/db';
import { ensureMember } from '../member/registration';
import { action } from '../platform/router';
import { creditInviter } from '../tasks/invites';

/** How far up a spread chain a loop is looked for (chains are short; this bounds the reads). */
const MAX_HOPS = 10;

/**
 * A member opened an item from a share carrying a referral code (the sharer's invite
 * code). The first sharer to bring them to the item is recorded (`spreads`), unless it is
 * themselves or the share closes a loop (they brought the sharer there); later opens are
 * counted. A member registered by the share counts as the sharer's invite.
 */
export const openReferral = action(
  () => z.object({ itemId: configKey, ref: INVITE_CODE }).strict(),
  async (ctx, input): Promise<{ recorded: boolean }> => {
    const { member, isNew } = await ensureMember(ctx);
    const [sharer] = await findDocs<MemberDoc>(ctx.db.collection('members').where({ inviteCode: input.ref }).limit(1));
    if (!sharer || sharer.openid === member.openid) return { recorded: false };
    if (isNew) await creditInviter(ctx, member, input.ref);
    const id = spreadId(input.itemId, member.openid);
    const existing = await findOne(ctx.db, 'spreads', id);
    if (existing) {
      await ctx.db
        .collection('spreads')
        .doc(id)
        .update({ data: { opens: ctx.db.command.inc(1) } });
      return { recorded: false };
    }
    if (closesLoop(member.openid, sharer.openid, await upstream(ctx, input.itemId, sharer.openid))) return { recorded: false };
    const spread: SpreadDoc = {
      _id: id,
      itemId: input.itemId,
      viewer: member.openid,
      sharer: sharer.openid,
      at: ctx.clock.now(),
      opens: 1,
      conversions: 0,
    };
    return { recorded: await insertOnce(ctx.db, 'spreads', spread) };
  },
);

/** Who brought `openid` to the item, who brought them, … (at most MAX_HOPS). */
async function upstream(ctx: ServerContext, itemId: string, openid: string): Promise<string[]> {
  const chain: string[] = [];
  for (let at = openid; chain.length < MAX_HOPS; ) {
    const spread = await findOne(ctx.db, 'spreads', spreadId(itemId, at));
    if (!spread || chain.includes(spread.sharer)) break;
    chain.push(spread.sharer);
    at = spread.sharer;
  }
  return chain;
}

/** The commission an order of `buyer` for the item earns whoever brought them to it, fixed when the order is made; none without a share. */
export async function referralFor(ctx: ServerContext, buyer: string, itemId: string, amount: number): Promise<PayOrderDoc['referral']> {
  const [spread, config] = await Promise.all([findOne(ctx.db, 'spreads', spreadId(itemId, buyer)), loadConfig(ctx, DISTRIBUTION_CONFIG)]);
  const points = commissionPoints(amount, config);
  if (!spread || !config.enabled || points === 0) return undefined;
  return { sharer: spread.sharer, points, refundWindowDays: config.refundWindowDays };
}
