import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Emulator } from '../../emulator/emulator';
import { forEachMember } from '../../server/jobs/chunked';
import type { ServerContext } from '../../server/context';
import { expireMemberPoints } from '../../server/points/expire';
import { callFunction, startEmulator, useSdkAgainst } from '../helpers/emulator';

let emulator: Emulator;
let ctx: ServerContext;
before(async () => {
  emulator = await startEmulator();
  useSdkAgainst(emulator);
  const cloud = require('wx-server-sdk') as typeof import('wx-server-sdk');
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
  const silent = { info: () => undefined, error: () => undefined };
  ctx = { db: cloud.database(), clock: { now: () => emulator.clock.now() }, caller: { openid: null, appid: null, unionid: null }, log: silent };
});
beforeEach(() => emulator.reset());
after(() => emulator.close());

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
    assert.ok(fired.some((f) => f.functionName === 'nightly' && f.ok));
    assert.equal(points('o-old'), 5);
    assert.deepEqual(expiries().map((e) => [e['_id'], e['delta'], e['counterparty']]), [['expiry:o-old:2026-01-31', -10, 'system:expiry']]);
    await emulator.advance(60 * 60_000);
    await emulator.fireTrigger('nightly', 'nightly');
    assert.equal(points('o-old'), 5);
    assert.equal(expiries().length, 1);
  });

  it('before 02:00 Beijing nothing runs', async () => {
    await memberWithOldPoints('o-early');
    emulator.setNow(new Date('2026-02-01T16:30:00Z')); // 00:30 Beijing
    await emulator.fireTrigger('nightly', 'nightly');
    assert.equal(points('o-early'), 15);
  });

  it('concurrent expiry runs for one member expire once', async () => {
    await memberWithOldPoints('o-race');
    emulator.setNow(new Date('2026-04-02T02:00:00Z'));
    const results = await Promise.all(Array.from({ length: 8 }, () => expireMemberPoints(ctx, 'o-race', '2026-04-02').catch(() => 0)));
    assert.equal(results.reduce((s, r) => s + r, 0), 15);
    assert.equal(points('o-race'), 0);
    assert.equal(expiries().length, 2);
  });
});

describe('resumable member jobs', () => {
  it('a run killed mid-way resumes after the last saved page: only the page in flight runs again', async () => {
    const ids = Array.from({ length: 45 }, (_, i) => `o-job-${String(i).padStart(3, '0')}`);
    emulator.database.apply(ids.map((id) => ({ collection: 'members', id, doc: { _id: id, openid: id, points: 0 }, mode: 'put' as const })));
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
