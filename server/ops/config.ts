import { z } from 'zod';
import { DEFAULT_CHECKIN_CONFIG, checkinConfigSchema } from '../../core/config/checkin';
import { DEFAULT_EVENTS_CONFIG, eventsConfigSchema, taskSchema } from '../../core/config/tasks';
import type { ConfigIssue } from '../../typings/api';
import { findDocs, findOne } from '../db';
import { AppError } from '../errors';
import { requireRole } from '../roles';
import { action } from '../router';

/** Issues as operators read them: where, and what is wrong. */
function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`);
}

/**
 * Creates or replaces a task. The same schema guards the tasks members see, so a task
 * this accepts is one members get, and one it refuses comes back with every problem named.
 */
export const putTask = action(z.object({ task: z.record(z.string(), z.unknown()) }).strict(), async (ctx, input): Promise<{ id: string }> => {
  await requireRole(ctx, 'operator');
  const parsed = taskSchema.safeParse(input.task);
  if (!parsed.success) throw new AppError('INVALID_INPUT', describeIssues(parsed.error).join('; '));
  const { _id: id, ...fields } = parsed.data;
  await ctx.db.collection('tasks').doc(id).set({ data: fields });
  return { id };
});

/** Every task and config document that fails its schema (and is therefore ignored), with why. */
export const configIssues = action(z.object({}).strict(), async (ctx): Promise<ConfigIssue[]> => {
  await requireRole(ctx, 'operator');
  const issues: ConfigIssue[] = [];
  for (const doc of await findDocs<Record<string, unknown>>(ctx.db.collection('tasks').where({}).limit(1000))) {
    const parsed = taskSchema.safeParse(doc);
    if (!parsed.success) issues.push({ collection: 'tasks', id: String(doc['_id']), problems: describeIssues(parsed.error) });
  }
  const configs: [string, z.ZodType, object][] = [
    ['checkin', checkinConfigSchema, DEFAULT_CHECKIN_CONFIG],
    ['events', eventsConfigSchema, DEFAULT_EVENTS_CONFIG],
  ];
  for (const [key, schema, defaults] of configs) {
    const doc = await findOne<Record<string, unknown>>(ctx.db, 'config', key);
    if (!doc) continue;
    const { _id: _key, ...fields } = doc;
    const parsed = schema.safeParse({ ...defaults, ...fields });
    if (!parsed.success) issues.push({ collection: 'config', id: key, problems: describeIssues(parsed.error) });
  }
  return issues;
});
