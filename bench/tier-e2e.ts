import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_TIERS_CONFIG } from '../core/config/tiers';
import { findDocs } from '../server/platform/db';
import { scriptContext } from '../server/platform/handler';
import { reviewMemberTier } from '../server/tiers/review';
import type { MemberDoc } from '../typings/documents';
import { startLocalCloud } from '../scripts/local-cloud';

/**
 * The tier review end to end against the emulator's database, through the real
 * wx-server-sdk: N members (10 % silver whose spend left the window — warned tonight, 2 %
 * gold whose protection period ends tonight — moved down, the rest bronze), paged 1000 at a
 * time by `_id` as the timer reads them, each reviewed by `reviewMemberTier`. Prints one
 * JSON line: time, database requests per member, peak RSS (emulator included).
 * Usage: tier-e2e <N>.
 */
const TODAY = '2026-06-30';

async function main(members: number): Promise<void> {
  const emulator = await startLocalCloud({ port: 0, dbFile: join(mkdtempSync(join(tmpdir(), 'memberloop-tiers-')), 'db.sqlite') });
  emulator.setNow(new Date(`${TODAY}T03:00:00+08:00`));
  const insert = emulator.store.engine.prepare(`INSERT INTO "c_members" (id, doc) VALUES (?, ?)`);
  emulator.store.engine.transaction(() => {
    for (let i = 0; i < members; i++) {
      const openid = `t${String(i).padStart(7, '0')}`;
      const kind = i % 50 === 0 ? 'gold' : i % 10 === 0 ? 'silver' : 'bronze';
      const doc = {
        _id: openid,
        openid,
        tier: kind,
        points: 0,
        registeredDay: '2025-01-01',
        spend: { total: 200_000, months: kind === 'bronze' ? { '2026-06': 2_000 } : { '2025-05': 200_000 } },
        tierReview: kind === 'gold' ? { warnedOn: '2026-05-31', downgradeOn: TODAY, to: 'bronze' } : null,
      };
      insert.run(openid, JSON.stringify(doc));
    }
  })();
  Object.assign(process.env, emulator.sdkEnvironment());
  const cloud = require('wx-server-sdk') as typeof import('wx-server-sdk');
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
  const ctx = scriptContext(cloud, { clock: { now: () => emulator.clock.now() } });
  const trace: string[] = [];
  emulator.databaseTrace = trace;
  const counts: Record<string, number> = {};
  let peakRss = 0;
  let cursor = '';
  const started = performance.now();
  for (;;) {
    const page = await findDocs<MemberDoc>(
      ctx.db
        .collection('members')
        .where({ _id: ctx.db.command.gt(cursor) })
        .orderBy('_id', 'asc')
        .limit(1000),
    );
    if (page.length === 0) break;
    for (const m of page) {
      const kind = await reviewMemberTier(ctx, m, DEFAULT_TIERS_CONFIG, TODAY);
      counts[kind] = (counts[kind] ?? 0) + 1;
    }
    cursor = page.at(-1)!._id;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const seconds = (performance.now() - started) / 1000;
  emulator.databaseTrace = null;
  await emulator.close();
  console.log(JSON.stringify({ members, seconds, tripsPerMember: trace.length / members, peakRssMb: peakRss / 2 ** 20, counts }));
}

void main(Number(process.argv[2] ?? 100_000));
