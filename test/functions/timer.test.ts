import assert from 'node:assert/strict';
import type { Emulator } from 'cloudbase-emulator';
import { forEachMember } from '../../server/platform/jobs';
import type { ServerContext } from '../../server/platform/context';
import { expireMemberPoints } from '../../server/points/expire';
import { insertOnce } from '../../server/platform/db';
import { callFunction, emulatorForThisFile, serverContextAgainst } from '../helpers/emulator';

let emulator: Emulator;
let ctx: ServerContext;
beforeAll(async () => {
  emulator = await emulatorForThisFile();
  ctx = serverContextAgainst(emulator);
});
beforeEach(() => emulator.reset());

const points = (openid: string) => (emulator.store.get('members', openid) as unknown as { points: number }).points;
const expiries = () => emulator.store.all('ledger').filter((e) => e['reason'] === 'expiry');

/** A member who checked in on 2025-01-10 (+10 newbie, valid through 2026-01-31) and 2025-03-10 (+5, through 2026-03-31). */
async function memberWithOldPoints(openid: string) {
  for (const day of ['2025-01-10T02:00:00Z', '2025-03-10T02:00:00Z']) {
    emulator.setNow(new Date(day));
    await callFunction(emulator, 'member', { action: 'checkin' }, openid);
  }
}

describe('points expiry', () => {
  it('the nightly timer expires points past their last day, oldest first, once', async () => {
    await memberWithOldPoints('o-old');
    assert.equal(points('o-old'), 15);
    emulator.setNow(new Date('2026-02-01T18:00:00Z')); // 02:00 Beijing, 2 Feb
    const fired = await emulator.advance(15 * 60_000);
    assert.ok(fired.some((f) => f.functionName === 'timer' && f.ok));
    assert.equal(points('o-old'), 5);
    assert.deepEqual(
      expiries().map((e) => [e['_id'], e['delta'], e['counterparty']]),
      [['expiry:o-old:2026-01-31', -10, 'system:expiry']],
    );
    await emulator.advance(60 * 60_000);
    await emulator.fireTrigger('timer', 'tick');
    assert.equal(points('o-old'), 5);
    assert.equal(expiries().length, 1);
  });

  it('before 02:00 Beijing nothing runs', async () => {
    await memberWithOldPoints('o-early');
    emulator.setNow(new Date('2026-02-01T16:30:00Z')); // 00:30 Beijing
    await emulator.fireTrigger('timer', 'tick');
    assert.equal(points('o-early'), 15);
  });

  it('concurrent expiry runs for one member expire once', async () => {
    await memberWithOldPoints('o-race');
    emulator.setNow(new Date('2026-04-02T02:00:00Z'));
    const results = await Promise.all(Array.from({ length: 8 }, () => expireMemberPoints(ctx, 'o-race', '2026-04-02').catch(() => 0)));
    assert.equal(
      results.reduce((s, r) => s + r, 0),
      15,
    );
    assert.equal(points('o-race'), 0);
    assert.equal(expiries().length, 2);
  });
});

describe('resumable member jobs', () => {
  it('a run killed mid-way resumes after the last saved page: only the page in flight runs again', async () => {
    const ids = Array.from({ length: 45 }, (_, i) => `o-job-${String(i).padStart(3, '0')}`);
    emulator.database.apply(
      ids.map((id) => ({ collection: 'members', id, doc: { _id: id, openid: id, points: 0 }, mode: 'put' as const })),
    );
    const seen = new Map<string, number>();
    const each = async (m: { openid: string }) => {
      seen.set(m.openid, (seen.get(m.openid) ?? 0) + 1);
      return { touched: 1 };
    };
    let calls = 0;
    await assert.rejects(
      forEachMember(ctx, 'job-test', { pageSize: 10, budgetMs: 60_000 }, async (m) => {
        if (++calls === 25) throw new Error('killed');
        return each(m);
      }),
    );
    assert.equal(emulator.store.get('jobs', 'job-test')?.['cursor'], 'o-job-019');
    const job = await forEachMember(ctx, 'job-test', { pageSize: 10, budgetMs: 60_000 }, each);
    assert.equal(job.done, true);
    assert.equal(job.processed, 45);
    const runs = ids.map((id) => seen.get(id));
    assert.deepEqual(runs.slice(0, 20), Array(20).fill(1));
    assert.deepEqual(runs.slice(20, 24), Array(4).fill(2), 'members of the page in flight before the kill run again');
    assert.deepEqual(runs.slice(24), Array(21).fill(1));
  });
});

describe('the timer-only function', () => {
  const jobsWritten = () => emulator.store.all('jobs').length;

  it('refuses a mini-program caller, even one sending the timer event, and does no work', async () => {
    await memberWithOldPoints('o-victim');
    emulator.setNow(new Date('2026-02-01T18:00:00Z')); // 02:00 Beijing: the night's work would run
    const forged = { Type: 'Timer', TriggerName: 'tick', Time: emulator.clock.now().toISOString(), Message: '' };
    for (const event of [{}, forged]) {
      const reply = await callFunction<{ ok: boolean; code?: string; data?: unknown }>(emulator, 'timer', event, 'anyone');
      assert.equal(reply.body.ok, false);
      assert.equal(reply.body.code, 'FORBIDDEN');
      assert.equal(JSON.stringify(reply.body).includes('o-victim'), false);
    }
    assert.equal(jobsWritten(), 0);
    assert.equal(points('o-victim'), 15, 'no points expired');
  });

  it('a real firing runs and its reply names no member and no cursor', async () => {
    await memberWithOldPoints('o-secret');
    emulator.setNow(new Date('2026-02-01T18:00:00Z'));
    const outcome = await emulator.fireTrigger('timer', 'tick');
    assert.ok(outcome.ok);
    const reply = outcome.value as { ok: boolean; data: { members: { processed: number; stats: Record<string, number> } } };
    assert.equal(reply.ok, true);
    assert.equal(reply.data.members.processed, 1);
    assert.equal(reply.data.members.stats['expiredPoints'], 10);
    assert.equal(JSON.stringify(reply).includes('o-secret'), false);
    assert.equal(JSON.stringify(reply).includes('cursor'), false);
    assert.ok(jobsWritten() > 0);
  });

  it('refuses a firing event naming another trigger', async () => {
    const outcome = await emulator.invoke('timer', { Type: 'Timer', TriggerName: 'other', Time: new Date().toISOString() }, 'platform');
    assert.ok(outcome.ok);
    assert.equal((outcome.value as { code?: string }).code, 'FORBIDDEN');
  });
});

describe('job statistics under racing firings', () => {
  it('racing runs of one job: its stats count the work on each member exactly once', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `o-lease-${String(i).padStart(2, '0')}`);
    emulator.database.apply(
      ids.map((id) => ({ collection: 'members', id, doc: { _id: id, openid: id, points: 0 }, mode: 'put' as const })),
    );
    // Idempotent work, as expiry is: whichever run reaches a member first does it.
    const work = async (m: { openid: string }) => {
      await new Promise((resolve) => setTimeout(resolve, 2));
      return { done: (await insertOnce(ctx.db, 'probe_work', { _id: m.openid })) ? 1 : 0 };
    };
    emulator.store.ensureCollection('probe_work');
    await Promise.all([1, 2, 3, 4].map(() => forEachMember(ctx, 'job-race', { pageSize: 5, budgetMs: 60_000 }, work)));
    await forEachMember(ctx, 'job-race', { pageSize: 5, budgetMs: 60_000 }, work);
    const job = emulator.store.get('jobs', 'job-race') as unknown as { done: boolean; processed: number; stats: Record<string, number> };
    assert.equal(emulator.store.all('probe_work').length, ids.length);
    assert.equal(job.done, true);
    assert.equal(job.stats['done'], ids.length);
    assert.equal(job.processed, ids.length);
  });

  it('three firings at once: the job reports exactly the points the ledger expired, members counted once', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `o-stat-${i}`);
    for (const id of ids) await memberWithOldPoints(id);
    emulator.setNow(new Date('2026-04-01T18:00:00Z')); // 02:00 Beijing, 2 Apr: all 15 points of each expire
    await Promise.all([1, 2, 3].map(() => emulator.fireTrigger('timer', 'tick')));
    await emulator.fireTrigger('timer', 'tick');
    const ledgerExpired = -expiries().reduce((sum, e) => sum + (e['delta'] as number), 0);
    assert.equal(ledgerExpired, 15 * ids.length);
    const job = emulator.store.get('jobs', 'members:2026-04-02') as unknown as {
      done: boolean;
      processed: number;
      stats: Record<string, number>;
    };
    assert.equal(job.done, true);
    assert.equal(job.stats['expiredPoints'], ledgerExpired);
    assert.equal(job.stats['membersWithExpiry'], ids.length);
    assert.equal(job.processed, ids.length);
  });
});
