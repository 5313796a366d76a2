import { z } from 'zod';
import { lockedUntil } from '../../core/mall/codeGuard';
import { MEMBER_SERIAL_DIGITS, currentCode, newSecret, randomSerial } from '../../core/mall/code';
import type { MemberCode } from '../../typings/api';
import type { MemberCodeDoc, MemberDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { findDocs, findOne, insertOnce } from '../platform/db';
import { ensureMember } from '../member/registration';
import { action } from '../platform/router';

/**
 * The member's 会员码: their code serial followed by this minute's one-time password, the
 * same mechanism as coupon codes (a screenshot is useless two minutes later). The serial
 * and its secret are made on the first request and kept.
 */
export const memberCode = action(
  () => z.object({}).strict(),
  async (ctx): Promise<MemberCode> => {
    const { member } = await ensureMember(ctx);
    const holder = await codeOf(ctx, member);
    const now = ctx.clock.now();
    const locked = lockedUntil(holder.codeGuard, now);
    const serverNow = now.toISOString();
    if (locked) return { code: null, used: false, lockedUntil: locked.toISOString(), refreshAt: locked.toISOString(), serverNow };
    const { code, refreshAt } = currentCode(holder._id, holder.secret, now);
    const used = holder.usedPasswords.includes(code.slice(MEMBER_SERIAL_DIGITS));
    return { code: used ? null : code, used, lockedUntil: null, refreshAt: refreshAt.toISOString(), serverNow };
  },
);

/** The member's code document, made once: a unique index on `openid` keeps racing first requests to one. */
async function codeOf(ctx: ServerContext, member: MemberDoc): Promise<MemberCodeDoc> {
  const existing = member.memberCode ? await findOne(ctx.db, 'memberCodes', member.memberCode) : undefined;
  if (existing) return existing;
  for (let attempt = 0; attempt < 5; attempt++) {
    const fresh: MemberCodeDoc = { _id: randomSerial(MEMBER_SERIAL_DIGITS), openid: member.openid, secret: newSecret(), usedPasswords: [] };
    if (await insertOnce(ctx.db, 'memberCodes', fresh)) {
      await ctx.db
        .collection('members')
        .doc(member.openid)
        .update({ data: { memberCode: fresh._id } });
      return fresh;
    }
    // A serial taken by someone else, or this member's code made by a racing request.
    const [mine] = await findDocs<MemberCodeDoc>(ctx.db.collection('memberCodes').where({ openid: member.openid }).limit(1));
    if (mine) return mine;
  }
  throw new Error('no free member code serial after 5 draws');
}
