import type { CheckinConfig } from '../../core/config/checkin';
import type { TaskTrigger } from '../../core/config/tasks';
import { isTaskActive, periodKey } from '../../core/tasks/period';
import { beijingDay } from '../../core/time/beijing';
import type { TrackResult } from '../../typings/api';
import type { MemberDoc, TaskProgressDoc } from '../../typings/documents';
import type { ServerContext } from '../context';
import { insertOnce } from '../db';
import { loadTasks } from './catalogue';
import { CHECKIN_CONFIG, loadConfig } from '../config';

export const progressId = (openid: string, taskId: string, period: string) => `${openid}:${taskId}:${period}`;

/**
 * Counts one server-verified event towards the member's active tasks. `dedupeKey` makes
 * the same thing count once per Beijing day (a product browsed twice, a check-in
 * retried); `cap` limits how many events of this kind count per day. A caller that has
 * the check-in config at hand passes it (newbie tasks depend on it) to save a read.
 */
export async function countEvent(
  ctx: ServerContext,
  member: Pick<MemberDoc, 'openid' | 'registeredDay'>,
  trigger: TaskTrigger,
  options: { dedupeKey?: string; cap?: number; checkinConfig?: CheckinConfig } = {},
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
      const res = (await ctx.db
        .collection('eventCounts')
        .where({ _id: counterId, count: _.lt(options.cap) })
        .update({ data: { count: _.inc(1) } })) as { stats: { updated: number } };
      if (res.stats.updated !== 1) return { counted: false, reason: 'capped' };
    }
  }
  const [tasks, checkinConfig] = await Promise.all([loadTasks(ctx), options.checkinConfig ?? loadConfig(ctx, CHECKIN_CONFIG)]);
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
