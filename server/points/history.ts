import { z } from 'zod';
import { nextExpiry } from '../../core/points/lots';
import { beijingDay } from '../../core/time/beijing';
import type { PointsHistory } from '../../typings/api';
import type { LedgerEntryDoc } from '../../typings/documents';
import { findDocs } from '../platform/db';
import { ensureMember } from '../member/registration';
import { action } from '../platform/router';
import { memberEntries } from './entries';

/** The member's points movements, newest first, a page at a time; the first page also says what expires next. */
export const pointsHistory = action(
  () => z.object({ page: z.number().int().min(0).max(1000).optional(), pageSize: z.number().int().min(1).max(50).optional() }).strict(),
  async (ctx, input): Promise<PointsHistory> => {
    const { member } = await ensureMember(ctx);
    const page = input.page ?? 0;
    const pageSize = input.pageSize ?? 20;
    const rows = await findDocs<LedgerEntryDoc>(
      ctx.db
        .collection('ledger')
        .where({ openid: member.openid })
        .orderBy('at', 'desc')
        .skip(page * pageSize)
        .limit(pageSize + 1),
    );
    const upcoming = page === 0 ? nextExpiry(await memberEntries(ctx, member.openid), beijingDay(ctx.clock.now())) : null;
    return {
      nextExpiry: upcoming && { points: upcoming.remaining, on: upcoming.expiresOn },
      balance: member.points,
      entries: rows
        .slice(0, pageSize)
        .map((e) => ({ id: e._id, delta: e.delta, reason: e.reason, at: e.at.toISOString(), expiresOn: e.expiresOn })),
      hasMore: rows.length > pageSize,
    };
  },
);
