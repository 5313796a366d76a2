import { randomUUID } from 'node:crypto';
import type { MemberDoc } from '../../typings/documents';
import type { ServerContext } from './context';
import { findDocs, findOne, insertOnce, updatedCount } from './db';

export interface JobDoc {
  _id: string;
  cursor: string;
  processed: number;
  done: boolean;
  stats: Record<string, number>;
  updatedAt: Date;
}

export type JobSummary = Pick<JobDoc, 'processed' | 'done' | 'stats'>;

/** A job's progress without its cursor (a member id) or histograms. */
export function jobSummary(job: JobDoc | null): JobSummary | null {
  if (!job) return null;
  return {
    processed: job.processed,
    done: job.done,
    stats: Object.fromEntries(Object.entries(job.stats).filter(([k]) => !k.startsWith('h.'))),
  };
}

export interface ChunkOptions {
  /** Members read per page (the platform returns at most 1000). */
  pageSize: number;
  /** Stop starting new pages after this long; the next invocation resumes. */
  budgetMs: number;
}

/** How long a firing holds a job before another may take it over (invocations end within 60 s). */
const LEASE_MS = 90_000;

/**
 * Runs `eachPage` over all members in `_id` order, a page at a time, resumably: the cursor
 * is saved after every page in `jobs/<jobId>`, so a run killed mid-way and started again
 * continues after the last saved page. `eachPage` must be idempotent: the page in flight
 * at a kill runs again. Its counts are summed into the job's stats (keys starting `h.`
 * are histograms: kept, not logged).
 *
 * Racing firings (the timer fires while the previous firing still runs, or a firing is
 * retried) must not both work the job: each would save its own view of the stats and the
 * last write would win. So a firing first takes the job's lease (a conditional update on
 * `leaseUntil`), reads the job only then, and saves each page conditional on still holding
 * it; a firing that finds the job leased returns it as it stands. A killed firing's lease
 * runs out and the next firing resumes.
 */
export async function forEachMemberPage(
  ctx: ServerContext,
  jobId: string,
  options: ChunkOptions,
  eachPage: (members: MemberDoc[]) => Promise<Record<string, number>>,
): Promise<JobDoc> {
  const started = Date.now();
  const owner = randomUUID();
  const _ = ctx.db.command;
  const held = () => ctx.db.collection('jobs').where({ _id: jobId, leaseOwner: owner });
  const { job: found, leased } = await takeLease(ctx, jobId, owner);
  if (!leased) return found;
  let job: JobDoc = found;
  try {
    while (!job.done && Date.now() - started < options.budgetMs) {
      const page = await findDocs<MemberDoc>(
        ctx.db
          .collection('members')
          .where({ _id: _.gt(job.cursor) })
          .orderBy('_id', 'asc')
          .limit(options.pageSize),
      );
      const stats = { ...job.stats };
      for (const [key, value] of Object.entries(await eachPage(page))) stats[key] = (stats[key] ?? 0) + value;
      const next = {
        cursor: page.at(-1)?._id ?? job.cursor,
        processed: job.processed + page.length,
        done: page.length < options.pageSize,
        updatedAt: ctx.clock.now(),
        leaseUntil: ctx.clock.now().getTime() + LEASE_MS,
      };
      // `_.set`: histogram keys contain dots and must stay keys, not become paths.
      const saved = await updatedCount(held().update({ data: { ...next, stats: _.set(stats) } }));
      if (saved !== 1) return (await findOne<JobDoc>(ctx.db, 'jobs', jobId)) as JobDoc;
      job = { ...job, ...next, stats };
      ctx.log.info('job progress', {
        job: jobId,
        processed: job.processed,
        done: job.done,
        ...Object.fromEntries(Object.entries(stats).filter(([k]) => !k.startsWith('h.'))),
      });
    }
    return job;
  } finally {
    await held().update({ data: { leaseUntil: 0 } });
  }
}

/**
 * The job, and whether this firing leased it: created on first use; a finished job, or one
 * another firing holds, is only read (one read — most firings of a day find it done). The
 * lease is taken only if the job has not moved since it was read (`processed`), so the
 * job read is the one this firing continues.
 */
async function takeLease(ctx: ServerContext, jobId: string, owner: string): Promise<{ job: JobDoc; leased: boolean }> {
  const now = ctx.clock.now();
  const lease = { leaseOwner: owner, leaseUntil: now.getTime() + LEASE_MS };
  const current = await findOne<JobDoc>(ctx.db, 'jobs', jobId);
  if (!current) {
    const fresh: JobDoc = { _id: jobId, cursor: '', processed: 0, done: false, stats: {}, updatedAt: now };
    if (await insertOnce(ctx.db, 'jobs', { ...fresh, ...lease })) return { job: fresh, leased: true };
    return { job: (await findOne<JobDoc>(ctx.db, 'jobs', jobId)) as JobDoc, leased: false };
  }
  if (current.done) return { job: current, leased: false };
  const _ = ctx.db.command;
  const free = _.or([{ leaseUntil: _.lt(now.getTime()) }, { leaseUntil: _.exists(false) }]);
  const taken = await updatedCount(
    ctx.db
      .collection('jobs')
      .where(_.and([{ _id: jobId, done: false, processed: current.processed }, free]))
      .update({ data: lease }),
  );
  return { job: current, leased: taken === 1 };
}

/** `forEachMemberPage` one member at a time. */
export function forEachMember(
  ctx: ServerContext,
  jobId: string,
  options: ChunkOptions,
  each: (member: MemberDoc) => Promise<Record<string, number>>,
): Promise<JobDoc> {
  return forEachMemberPage(ctx, jobId, options, async (page) => {
    const stats: Record<string, number> = {};
    for (const member of page) {
      for (const [key, value] of Object.entries(await each(member))) stats[key] = (stats[key] ?? 0) + value;
    }
    return stats;
  });
}
