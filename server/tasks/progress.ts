import type { TaskTrigger } from '../../core/tasks/definition';
import { MAX_TASK_TARGET, isTaskActive, periodKey } from '../../core/tasks/period';
import { type BusinessDay, beijingDay } from '../../core/time/beijing';
import type { TrackResult } from '../../typings/api';
import type { CheckinDoc, MemberDoc, TaskProgressDoc } from '../../typings/documents';
import type { ServerContext } from '../platform/context';
import { findDocs, insertOnce, updatedCount } from '../platform/db';
import { loadTasks } from './catalogue';
import { loadConfig } from '../platform/config';
import { CHECKIN_CONFIG } from '../../core/config/checkin';

export const progressId = (openid: string, taskId: string, period: string) => `${openid}:${taskId}:${period}`;

/**
 * The member's check-in days from `from` on, newest first: enough of them to decide any
 * check-in task (`checkinTaskCount`) whose period starts on or after `from`.
 */
export async function recentCheckinDays(ctx: ServerContext, openid: string, from: BusinessDay): Promise<BusinessDay[]> {
  const docs = await findDocs<CheckinDoc>(
    ctx.db
      .collection('checkins')
      .where({ openid, kind: 'checkin', day: ctx.db.command.gte(from) })
      .orderBy('day', 'desc')
      .field({ day: true })
      .limit(MAX_TASK_TARGET),
  );
  return docs.map((d) => d.day);
}

/** Events counted in `taskProgress`; check-in tasks count the check-ins themselves (`recentCheckinDays`). */
export type CountedTrigger = Exclude<TaskTrigger, 'checkin'>;

/**
 * Counts one server-verified event towards the member's active tasks. `dedupeKey` makes
 * the same thing count once per Beijing day (a product browsed twice, an invite
 * retried); `cap` limits how many events of this kind count per day.
 */
export async function countEvent(
  ctx: ServerContext,
  member: Pick<MemberDoc, 'openid' | 'registeredDay'>,
  trigger: CountedTrigger,
  options: { dedupeKey?: string; cap?: number } = {},
): Promise<TrackResult> {
  const now = ctx.clock.now();
  const today = beijingDay(now);
  const openid = member.openid;
  if (options.dedupeKey !== undefined) {
    const first = await insertOnce(ctx.db, 'events', {
      _id: `${openid}:${trigger}:${today}:${options.dedupeKey}`,
      openid,
      trigger,
      day: today,
      at: now,
    });
    if (!first) return { counted: false, reason: 'duplicate' };
  }
  if (options.cap !== undefined) {
    const _ = ctx.db.command;
    const counterId = `${openid}:${trigger}:${today}`;
    const started = await insertOnce(ctx.db, 'eventCounts', { _id: counterId, count: 1 });
    if (!started) {
      // A conditional increment: the cap holds however many requests race for it.
      const res = await updatedCount(
        ctx.db
          .collection('eventCounts')
          .where({ _id: counterId, count: _.lt(options.cap) })
          .update({ data: { count: _.inc(1) } }),
      );
      if (res !== 1) return { counted: false, reason: 'capped' };
    }
  }
  const [tasks, checkinConfig] = await Promise.all([loadTasks(ctx), loadConfig(ctx, CHECKIN_CONFIG)]);
  for (const task of tasks) {
    if (task.trigger !== trigger || !isTaskActive(task, today, member.registeredDay, checkinConfig.newbieDays)) continue;
    const period = periodKey(task.kind, today);
    const id = progressId(openid, task._id, period);
    const progress: TaskProgressDoc = { _id: id, openid, taskId: task._id, period, count: 1, claimed: false };
    if (!(await insertOnce(ctx.db, 'taskProgress', { ...progress }))) {
      await ctx.db
        .collection('taskProgress')
        .doc(id)
        .update({ data: { count: ctx.db.command.inc(1) } });
    }
  }
  return { counted: true, reason: null };
}
