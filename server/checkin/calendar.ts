import { z } from 'zod';
import { milestonesAhead } from '../../core/checkin/reward';
import { currentStreak, makeupRejection } from '../../core/checkin/streak';
import { type BusinessDay, addDays, beijingDay, monthRange } from '../../core/time/beijing';
import { monthSchema } from '../../core/time/schema';
import type { Calendar } from '../../typings/api';
import type { CheckinDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { findDocs } from '../platform/db';
import { ensureMember } from '../member/registration';
import { action } from '../platform/router';
import { loadConfig } from '../platform/config';
import { CHECKIN_CONFIG } from '../../core/config/checkin';

/** The member's checked days between two days (inclusive), at most 1000. */
export async function checkedDays(ctx: ServerContext, openid: string, from: BusinessDay, to: BusinessDay): Promise<CheckinDoc[]> {
  const _ = ctx.db.command;
  return findDocs<CheckinDoc>(
    ctx.db
      .collection('checkins')
      .where({ openid, day: _.gte(from).and(_.lte(to)) })
      .orderBy('day', 'asc')
      .limit(1000),
  );
}

/** A month of check-ins, what can be made up, and the milestones ahead. */
export const calendar = action(
  () => z.object({ month: monthSchema.optional() }).strict(),
  async (ctx, input): Promise<Calendar> => {
    const { member } = await ensureMember(ctx);
    const today = beijingDay(ctx.clock.now());
    const month = input.month ?? today.slice(0, 7);
    const config = await loadConfig(ctx, CHECKIN_CONFIG);
    const { first, last } = monthRange(month);
    const windowStart = addDays(today, -config.makeupWindowDays);
    // biome-ignore lint/complexity/useMathMinMax: days are YYYY-MM-DD strings, compared as strings
    const from = first < windowStart ? first : windowStart;
    // biome-ignore lint/complexity/useMathMinMax: as above
    const to = last > today ? last : today;
    const docs = await checkedDays(ctx, member.openid, from, to);
    const checked = new Set(docs.map((d) => d.day));
    const window = { today, windowDays: config.makeupWindowDays, since: member.registeredDay };
    const cards = member.makeupCards ?? 0;
    // Offered only to a member holding a card: 可补 with none would be a door that does not open.
    const makeupDays =
      cards > 0
        ? Array.from({ length: config.makeupWindowDays }, (_, i) => addDays(today, -(i + 1)))
            .filter((day) => !makeupRejection(day, window, checked))
            .reverse()
        : [];
    const streak = currentStreak(member.streak, today);
    return {
      month,
      today,
      days: docs.filter((d) => d.day >= first && d.day <= last).map((d) => ({ day: d.day, kind: d.kind })),
      streak,
      checkedToday: checked.has(today),
      since: member.registeredDay,
      makeupCards: cards,
      makeupDays,
      milestonesAhead: milestonesAhead(config, streak),
    };
  },
);
