import { z } from 'zod';
import { currentStreak } from '../../core/checkin/streak';
import { addDays, beijingDay } from '../../core/time/beijing';
import type { Leaderboard } from '../../typings/api';
import type { MemberDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { findDocs } from '../platform/db';
import { ensureMember } from '../member/registration';
import { action } from '../platform/router';

/**
 * The streak leaderboard: top N by current streak and the caller's rank. Both are index
 * reads on `members.boardStreak` (a page of the index, and a range count), so the cost does
 * not grow with the number of members. Ties share a rank. A streak that broke today still
 * counts in others' ranks until the nightly job zeroes it; the top list filters it out.
 */
export const leaderboard = action(
  () => z.object({ limit: z.number().int().min(1).max(50).default(10) }).strict(),
  async (ctx, input): Promise<Leaderboard> => {
    const { member } = await ensureMember(ctx);
    const today = beijingDay(ctx.clock.now());
    const _ = ctx.db.command;
    const top = await findDocs<MemberDoc>(
      ctx.db
        .collection('members')
        .where({ boardStreak: _.gt(0), boardEnd: _.gte(addDays(today, -1)) })
        .orderBy('boardStreak', 'desc')
        .field({ openid: true, nickname: true, boardStreak: true })
        .limit(input.limit),
    );
    const streak = currentStreak(member.streak, today);
    const rank = streak > 0 ? (await countAbove(ctx, streak)) + 1 : null;
    const ranks: number[] = [];
    for (const [i, row] of top.entries())
      ranks.push(i > 0 && row.boardStreak === top[i - 1]?.boardStreak ? (ranks[i - 1] as number) : i + 1);
    return {
      top: top.map((row, i) => ({
        rank: ranks[i] as number,
        nickname: row.nickname,
        streak: row.boardStreak ?? 0,
        me: row.openid === member.openid,
      })),
      me: { rank, streak },
    };
  },
);

async function countAbove(ctx: ServerContext, streak: number): Promise<number> {
  const res = (await ctx.db
    .collection('members')
    .where({ boardStreak: ctx.db.command.gt(streak) })
    .count()) as { total: number };
  return res.total;
}
