import { z } from 'zod';
import { requestIdSchema } from '../platform/idempotency';
import { earning } from '../../core/points/ledger';
import { beijingDay } from '../../core/time/beijing';
import type { GrantResult } from '../../typings/api';
import type { GrantDoc } from '../../typings/documents';
import { samePayload } from '../platform/idempotency';
import { postJournal } from '../points/post';
import { findOne, inTransaction, isDuplicateWrite, txGet } from '../platform/db';
import { AppError } from '../platform/errors';
import { requireRole } from '../platform/roles';
import { action } from '../platform/router';

const input = z.lazy(() =>
  z
    .object({
      openid: z.string().min(1).max(64),
      points: z.number().int().min(0).max(100_000).default(0),
      makeupCards: z.number().int().min(0).max(10).default(0),
      reason: z.string().min(1).max(100),
      /** Chosen by the operator's tool; the same id never grants twice. */
      requestId: requestIdSchema,
    })
    .strict()
    .refine((g) => g.points > 0 || g.makeupCards > 0, { message: 'grant points or makeupCards' }),
);

/**
 * An operator grants a member points and/or make-up cards (e.g. a returning-member gift).
 * The grant record, ledger entry and member update commit together; the grant record's
 * id is the request id, so a retried or doubled request grants once and replays the first
 * outcome, and the same id sent with a different grant is refused as a reused key.
 */
export const grant = action(
  () => input,
  async (ctx, g): Promise<GrantResult> => {
    const operator = await requireRole(ctx, 'operator');
    const id = `grant:${g.requestId}`;
    const request = { openid: g.openid, points: g.points, makeupCards: g.makeupCards, reason: g.reason };
    const previous = await findOne(ctx.db, 'grants', id);
    if (previous) return replay(previous, request);
    const now = ctx.clock.now();
    const day = beijingDay(now);
    if (!(await findOne(ctx.db, 'members', g.openid))) throw new AppError('NOT_FOUND', '会员不存在');
    try {
      return await inTransaction(ctx.db, async (tx) => {
        const m = await txGet(tx, 'members', g.openid);
        const makeupCards = (m.makeupCards ?? 0) + g.makeupCards;
        const result = { openid: g.openid, balance: m.points + g.points, makeupCards, duplicate: false };
        const record: GrantDoc = { _id: id, ...request, operator: operator._id, at: now, result };
        await tx.collection('grants').add({ data: record });
        await postJournal(tx, m, g.points > 0 ? [earning(id, g.openid, g.points, 'grant', id, now, day)] : [], { makeupCards });
        return result;
      });
    } catch (err) {
      if (!isDuplicateWrite(err)) throw err;
      return replay((await findOne(ctx.db, 'grants', id)) as GrantDoc, request);
    }
  },
);

/** The first outcome of a request id, if this request is the same grant; a different one is a reused key. */
function replay(previous: GrantDoc, request: Pick<GrantDoc, 'openid' | 'points' | 'makeupCards' | 'reason'>): GrantResult {
  if (!samePayload(previous, request)) throw new AppError('IDEMPOTENCY_KEY_REUSED', '该请求号已用于另一笔发放');
  return { ...previous.result, duplicate: true };
}
