import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { callGateway } from 'cloudbase-emulator';
import { scriptContext } from '../server/platform/handler';
import { refreshDailyStats } from '../server/ops/dashboard';
import { startLocalCloud } from '../scripts/local-cloud';

/**
 * The operations center at N members: a day's records seeded straight into SQLite (every
 * member with an activity rollup this month, 60 % active today; 40 % checked in today, each
 * check-in with its ledger line; 5 % purchases, 2 % write-offs, 3 % stage moves), then the
 * timer's recount of the day (`refreshDailyStats`, through the real SDK) and `ops.dashboard`
 * through the gateway, 20 times. Prints one JSON line. Usage: dashboard <N>.
 */
const DAY = '2026-06-15';
const AT = new Date(`${DAY}T12:00:00+08:00`);

async function main(members: number): Promise<void> {
  const emulator = await startLocalCloud({ port: 0, dbFile: join(mkdtempSync(join(tmpdir(), 'memberloop-dash-')), 'db.sqlite') });
  emulator.setNow(new Date(`${DAY}T14:00:00+08:00`));
  const started = performance.now();
  const insert = (collection: string) => emulator.store.engine.prepare(`INSERT INTO "c_${collection}" (id, doc) VALUES (?, ?)`);
  const rows = {
    members: insert('members'),
    activity: insert('activity'),
    checkins: insert('checkins'),
    ledger: insert('ledger'),
    spendLedger: insert('spendLedger'),
    writeOffs: insert('writeOffs'),
    lifecycle: insert('lifecycle'),
  };
  const at = { $date: AT.toISOString() };
  emulator.store.engine.transaction(() => {
    for (let i = 0; i < members; i++) {
      const openid = `d${String(i).padStart(7, '0')}`;
      rows.members.run(openid, JSON.stringify({ _id: openid, openid, registeredDay: i % 50 === 0 ? DAY : '2026-01-01', points: 0 }));
      const days: Record<string, unknown> = { '01': { a: 1 } };
      if (i % 10 < 6) days['15'] = { a: 1 };
      rows.activity.run(`${openid}:2026-06`, JSON.stringify({ _id: `${openid}:2026-06`, openid, month: '2026-06', days }));
      if (i % 10 < 4) {
        rows.checkins.run(
          `${openid}:${DAY}`,
          JSON.stringify({ _id: `${openid}:${DAY}`, openid, day: DAY, kind: 'checkin', at, streak: 1, points: 10 }),
        );
        rows.ledger.run(
          `checkin:${openid}:${DAY}`,
          JSON.stringify({ _id: `checkin:${openid}:${DAY}`, openid, delta: 10, reason: 'checkin', day: DAY, at }),
        );
      }
      if (i % 20 === 0)
        rows.spendLedger.run(`s:${openid}`, JSON.stringify({ _id: `s:${openid}`, openid, amount: 8800, reason: 'purchase', day: DAY, at }));
      if (i % 50 === 1) rows.writeOffs.run(`w:${openid}`, JSON.stringify({ _id: `w:${openid}`, storeId: `store-${i % 7}`, day: DAY, at }));
      if (i % 33 === 2)
        rows.lifecycle.run(
          `${openid}:1`,
          JSON.stringify({ _id: `${openid}:1`, openid, from: 'sleeping', to: 'active', reason: 'woke up', day: DAY, at }),
        );
    }
  })();
  const seedSeconds = (performance.now() - started) / 1000;
  Object.assign(process.env, emulator.sdkEnvironment());
  const cloud = require('wx-server-sdk') as typeof import('wx-server-sdk');
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
  const ctx = scriptContext(cloud, { clock: { now: () => emulator.clock.now() }, log: { info: () => undefined, error: () => undefined } });
  const recount = performance.now();
  await refreshDailyStats(ctx);
  const recountMs = performance.now() - recount;
  const times: number[] = [];
  let figures: unknown = null;
  for (let i = 0; i < 21; i++) {
    const t = performance.now();
    const reply = await callGateway<{ ok: boolean; data: { today: unknown } }>(
      emulator.url,
      'ops',
      { action: 'dashboard', day: DAY },
      'demo-operator',
    );
    if (i > 0) times.push(performance.now() - t); // the first call starts the function's worker
    figures = reply.body.data?.today ?? reply.body;
  }
  times.sort((a, b) => a - b);
  await emulator.close();
  console.log(
    JSON.stringify({
      members,
      seedSeconds,
      recountMs,
      dashboardP50Ms: times[Math.floor(times.length / 2)],
      dashboardMaxMs: times.at(-1),
      figures,
    }),
  );
}

void main(Number(process.argv[2] ?? 100_000));
