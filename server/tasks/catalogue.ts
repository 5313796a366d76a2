import { type TaskDefinition, taskSchema } from '../../core/tasks/definition';
import type { ServerContext } from '../platform/context';
import { findDocs } from '../platform/db';

/**
 * The operators' task definitions. Each document is validated; one that fails is logged
 * and left out, so a bad edit hides one task instead of breaking the task list.
 */
export async function loadTasks(ctx: ServerContext): Promise<TaskDefinition[]> {
  const docs = await findDocs<Record<string, unknown>>(ctx.db.collection('tasks').where({}).limit(1000));
  const tasks: TaskDefinition[] = [];
  for (const doc of docs) {
    const parsed = taskSchema.safeParse(doc);
    if (parsed.success) tasks.push(parsed.data);
    else ctx.log.error('invalid task document skipped', { id: doc['_id'], issues: parsed.error.issues });
  }
  return tasks.sort((a, b) => a.order - b.order);
}
