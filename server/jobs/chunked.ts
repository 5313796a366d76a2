import type { MemberDoc } from '../../typings/documents';
import type { ServerContext } from '../context';
import { findDocs, findOne } from '../db';

export interface JobDoc {
  _id: string;
  cursor: string;
  processed: number;
  done: boolean;
  stats: Record<string, number>;
  updatedAt: Date;
}

export interface ChunkOptions {
  /** Members read per page (the platform returns at most 1000). */
  pageSize: number;
  /** Stop starting new pages after this long; the next invocation resumes. */
  budgetMs: number;
}

/**
 * Runs `eachPage` over all members in `_id` order, a page at a time, resumably: the cursor
 * is saved after every page in `jobs/<jobId>`, so a run killed mid-way and started again
 * continues after the last saved page. `eachPage` must be idempotent: the page in flight
 * at a kill runs again. Its counts are summed into the job's stats (keys starting `h.`
 * are histograms: kept, not logged).
 */
export async function forEachMemberPage(
  ctx: ServerContext,
  jobId: string,
  options: ChunkOptions,
  eachPage: (members: MemberDoc[]) => Promise<Record<string, number>>,
): Promise<JobDoc> {
  const started = Date.now();
  const jobs = ctx.db.collection('jobs');
  let job = (await findOne<JobDoc>(ctx.db, 'jobs', jobId)) ?? { _id: jobId, cursor: '', processed: 0, done: false, stats: {}, updatedAt: ctx.clock.now() };
  const _ = ctx.db.command;
  while (!job.done && Date.now() - started < options.budgetMs) {
    const page = await findDocs<MemberDoc>(ctx.db.collection('members').where({ _id: _.gt(job.cursor) }).orderBy('_id', 'asc').limit(options.pageSize));
    const stats = { ...job.stats };
    for (const [key, value] of Object.entries(await eachPage(page))) stats[key] = (stats[key] ?? 0) + value;
    job = {
      ...job,
      cursor: page.at(-1)?._id ?? job.cursor,
      processed: job.processed + page.length,
      done: page.length < options.pageSize,
      stats,
      updatedAt: ctx.clock.now(),
    };
    const { _id: id, ...fields } = job;
    await jobs.doc(id).set({ data: fields });
    ctx.log.info('job progress', { job: id, processed: job.processed, done: job.done, ...Object.fromEntries(Object.entries(stats).filter(([k]) => !k.startsWith('h.'))) });
  }
  return job;
}

/** `forEachMemberPage` one member at a time. */
export function forEachMember(ctx: ServerContext, jobId: string, options: ChunkOptions, each: (member: MemberDoc) => Promise<Record<string, number>>): Promise<JobDoc> {
  return forEachMemberPage(ctx, jobId, options, async (page) => {
    const stats: Record<string, number> = {};
    for (const member of page) {
      for (const [key, value] of Object.entries(await each(member))) stats[key] = (stats[key] ?? 0) + value;
    }
    return stats;
  });
}
