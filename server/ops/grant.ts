import { z } from 'zod';
import { earning } from '../../core/points/ledger';
import { beijingDay } from '../../core/time/beijing';
import type { GrantResult } from '../../typings/api';
import type { MemberDoc } from '../../typings/documents';
import { findOne, inTransaction, isDuplicateWrite, txGet } from '../db';
import { AppError } from '../errors';
import { requireRole } from '../roles';
import { action } from '../router';

const input = z
  .object({
    openid: z.string().min(1).max(64),
    points: z.number().int().min(0).max(100_000).default(0),
    makeupCards: z.number().int().min(0).max(10).default(0),
    reason: z.string().min(1).max(100),
    /** Chosen by the operator's tool; the same id never grants twice. */
    requestId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  })
  .strict()
  .refine((g) => g.points > 0 || g.makeupCards > 0, { message: 'grant points or makeupCards' });

/**
 * An operator grants a member points and/or make-up cards (e.g. a returning-member gift).
 * The grant record, ledger entry and member update commit together; the grant record's
 * id is the request id, so a retried or doubled request grants once.
 */
export const grant = action(input, async (ctx, g): Promise<GrantResult> => {
  const operator = await requireRole(ctx, 'operator');
  const now = ctx.clock.now();
  const day = beijingDay(now);
  if (!(await findOne<MemberDoc>(ctx.db, 'members', g.openid))) throw new AppError('NOT_FOUND', '会员不存在');
  try {
    return await inTransaction(ctx.db, async (tx) => {
      const m = await txGet<MemberDoc>(tx, 'members', g.openid);
      await tx.collection('grants').add({ data: { _id: `grant:${g.requestId}`, openid: g.openid, points: g.points, makeupCards: g.makeupCards, reason: g.reason, operator: operator._id, at: now } });
      if (g.points > 0) await tx.collection('ledger').add({ data: earning(`grant:${g.requestId}`, g.openid, g.points, 'grant', `grant:${g.requestId}`, now, day) });
      const result = { openid: g.openid, balance: m.points + g.points, makeupCards: (m.makeupCards ?? 0) + g.makeupCards, duplicate: false };
      await tx.collection('members').doc(g.openid).update({ data: { points: result.balance, makeupCards: result.makeupCards } });
      return result;
    });
  } catch (err) {
    if (!isDuplicateWrite(err)) throw err;
    const m = await findOne<MemberDoc>(ctx.db, 'members', g.openid);
    return { openid: g.openid, balance: m?.points ?? 0, makeupCards: m?.makeupCards ?? 0, duplicate: true };
  }
});
