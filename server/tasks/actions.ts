import { min } from 'lodash-es';
import { z } from 'zod';
import { configKey } from '../../core/config/key';
import type { TaskDefinition } from '../../core/tasks/definition';
import { checkinTaskCount, checkinWindowStart, isTaskActive, periodKey } from '../../core/tasks/period';
import { beijingDay } from '../../core/time/beijing';
import { CAMPAIGNS } from '../../core/config/reminders';
import type { ClaimResult, TaskList, TrackResult, TrackedEvent } from '../../typings/api';
import type { MemberDoc, TaskProgressDoc } from '../../typings/documents';
import { recordActivity } from '../activity/record';
import { recordReward } from '../coupons/issue';
import type { ServerContext } from '../platform/context';
import { findDocs, inTransaction, isDuplicateWrite, txGet } from '../platform/db';
import { AppError } from '../platform/errors';
import { recordFunnel } from './funnel';
import { callerOpenid } from '../platform/caller';
import { ensureMember } from '../member/registration';
import { reminderOpened } from '../reminders/opened';
import { action } from '../platform/router';
import { loadTasks } from './catalogue';
import { countEvent, progressId, recentCheckinDays } from './progress';
import { postJournal } from '../points/post';
import { decideClaim } from '../../core/tasks/claim';
import { loadConfig, loadConfigs } from '../platform/config';
import { CHECKIN_CONFIG } from '../../core/config/checkin';
import { EVENTS_CONFIG } from '../../core/config/events';
import { birthdayMultiplierFor, TIERS_CONFIG } from '../../core/config/tiers';

async function activeTasks(ctx: ServerContext, member: MemberDoc, today: string): Promise<TaskDefinition[]> {
  const [tasks, config] = await Promise.all([loadTasks(ctx), loadConfig(ctx, CHECKIN_CONFIG)]);
  return tasks.filter((t) => isTaskActive(t, today, member.registeredDay, config.newbieDays));
}

/** Today's tasks with the member's progress, in the operators' order. */
export const tasks = action(
  () => z.object({}).strict(),
  async (ctx): Promise<TaskList> => {
    const { member } = await ensureMember(ctx);
    const today = beijingDay(ctx.clock.now());
    const visible = await activeTasks(ctx, member, today);
    const idOf = (t: TaskDefinition) => progressId(member.openid, t._id, periodKey(t.kind, today));
    const checkinTasks = visible.filter((t) => t.trigger === 'checkin');
    const [progress, checkinDays] = await Promise.all([
      findDocs<TaskProgressDoc>(
        ctx.db
          .collection('taskProgress')
          .where({ openid: member.openid, _id: ctx.db.command.in(visible.map(idOf)) })
          .limit(1000),
      ),
      checkinTasks.length === 0
        ? []
        : recentCheckinDays(ctx, member.openid, min(checkinTasks.map((t) => checkinWindowStart(t, today, member.registeredDay))) ?? today),
    ]);
    const byId = new Map(progress.map((p) => [p._id, p]));
    return {
      inviteCode: member.inviteCode,
      tasks: visible.map((t) => {
        const p = byId.get(idOf(t));
        const count =
          t.trigger === 'checkin' ? checkinTaskCount(t, checkinDays, today, member.registeredDay) : Math.min(p?.count ?? 0, t.target);
        const claimed = p?.claimed ?? false;
        return {
          id: t._id,
          title: t.title,
          description: t.description,
          kind: t.kind,
          trigger: t.trigger,
          difficulty: t.difficulty,
          target: t.target,
          progress: count,
          claimed,
          claimable: !claimed && count >= t.target,
          reward: t.reward,
        };
      }),
    };
  },
);

/**
 * Claims a completed task's reward, once per task and period: the progress document is
 * marked claimed in the same transaction that pays, and the payout's ledger/reward ids
 * are derived from it, so concurrent claims pay once.
 */
export const claimTask = action(
  () => z.object({ taskId: configKey }).strict(),
  async (ctx, input): Promise<ClaimResult> => {
    // The member is read only inside the transaction (one read); a caller who never
    // registered has no progress, so nothing to claim yet.
    const openid = callerOpenid(ctx);
    const now = ctx.clock.now();
    const today = beijingDay(now);
    const [catalogue, [config, tiers]] = await Promise.all([loadTasks(ctx), loadConfigs(ctx, CHECKIN_CONFIG, TIERS_CONFIG)]);
    const task = catalogue.find((t) => t._id === input.taskId);
    if (!task) throw new AppError('NOT_FOUND', '任务不存在或已结束');
    const id = progressId(openid, task._id, periodKey(task.kind, today));
    // Check-ins only accumulate, so counting them before the transaction is safe; the
    // member's registration day (which bounds some windows) is applied inside it.
    const checkinDays = task.trigger === 'checkin' ? await recentCheckinDays(ctx, openid, checkinWindowStart(task, today, '')) : null;
    let claimed: ClaimResult & { member: MemberDoc };
    try {
      claimed = await inTransaction(ctx.db, async (tx) => {
        const m = await txGet(tx, 'members', openid).catch(() => undefined);
        if (!m) throw new AppError('TASK_NOT_COMPLETE', '任务还没完成');
        if (!isTaskActive(task, today, m.registeredDay, config.newbieDays)) throw new AppError('NOT_FOUND', '任务不存在或已结束');
        const stored = await txGet(tx, 'taskProgress', id).catch(() => undefined);
        const progress: TaskProgressDoc | undefined = checkinDays
          ? {
              _id: id,
              openid,
              taskId: task._id,
              period: periodKey(task.kind, today),
              claimed: false,
              ...stored,
              count: checkinTaskCount(task, checkinDays, today, m.registeredDay),
            }
          : stored;
        const decision = decideClaim(m, task, id, progress, today, now, birthdayMultiplierFor(m, tiers, today));
        if (decision.rejection)
          throw new AppError(decision.rejection, decision.rejection === 'TASK_NOT_COMPLETE' ? '任务还没完成' : '奖励已领取');
        if (decision.reward) await recordReward(ctx, tx, decision.reward);
        const { _id, ...fields } = progress as TaskProgressDoc;
        // A set, not an update: a check-in task has no progress document until it is claimed.
        await tx
          .collection('taskProgress')
          .doc(id)
          .set({ data: { ...fields, claimed: true } });
        const changes = decision.lines.length > 0 || Object.keys(decision.patch).length > 0;
        const balance = changes ? await postJournal(tx, m, decision.lines, decision.patch) : m.points;
        return { taskId: task._id, reward: task.reward, balance, makeupCards: decision.makeupCards, member: m };
      });
    } catch (err) {
      if (isDuplicateWrite(err)) throw new AppError('TASK_ALREADY_CLAIMED', '奖励已领取');
      throw err;
    }
    const { member, ...result } = claimed;
    await recordActivity(ctx, member, { counts: { task: 1 }, action: true });
    return result;
  },
);

const trackInput = z.lazy(() =>
  z.discriminatedUnion('event', [
    z.object({ event: z.literal('browse_product'), productId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }).strict(),
    z.object({ event: z.literal('share') }).strict(),
    z.object({ event: z.literal('checkin_popup'), stage: z.enum(['shown', 'tapped']) }).strict(),
    z.object({ event: z.literal('reminder_opened'), campaign: z.enum(CAMPAIGNS) }).strict(),
  ]),
);

/**
 * Events the mini-program reports. They are the kind a client can fake, so each counts
 * at most once per thing per day and only up to a daily cap.
 */
export const track = action(
  () => trackInput,
  async (ctx, input): Promise<TrackResult> => {
    const { member } = await ensureMember(ctx);
    if (input.event === 'checkin_popup') {
      const first = await recordFunnel(ctx, member.openid, input.stage === 'shown' ? 'checkin_popup_shown' : 'checkin_popup_tapped');
      return { counted: first, reason: first ? null : 'duplicate' };
    }
    if (input.event === 'reminder_opened') return reminderOpened(ctx, member, input.campaign);
    const result = await countTracked(ctx, member, input);
    if (result.reason !== 'duplicate') {
      const seen = input.event === 'browse_product' ? { counts: { view: 1 }, viewed: input.productId } : { counts: {} };
      await recordActivity(ctx, member, { ...seen, action: true });
    }
    return result;
  },
);

async function countTracked(
  ctx: ServerContext,
  member: MemberDoc,
  input: Extract<TrackedEvent, { event: 'browse_product' | 'share' }>,
): Promise<TrackResult> {
  const caps = await loadConfig(ctx, EVENTS_CONFIG);
  if (input.event === 'share') return countEvent(ctx, member, 'share', { cap: caps.shareDailyCap });
  return countEvent(ctx, member, 'browse_product', { dedupeKey: input.productId, cap: caps.browseDailyCap });
}
