import type { Emulator } from 'cloudbase-emulator';

/**
 * Writes `members` members with `perMember` ledger entries each straight into the
 * emulator's SQLite tables (in the stored relaxed-EJSON form), fast enough for millions
 * of rows. Every 100th member's cached balance is off by one, for reconciliation to find.
 */
export function seedLedger(emulator: Emulator, members: number, perMember: number): void {
  const sql = emulator.store.engine;
  const insertMember = sql.prepare(`INSERT INTO "c_members" (id, doc) VALUES (?, ?)`);
  const insertEntry = sql.prepare(`INSERT INTO "c_ledger" (id, doc) VALUES (?, ?)`);
  const base = Date.parse('2026-01-01T00:00:00Z');
  sql.transaction(() => {
    for (let i = 0; i < members; i++) {
      const openid = `m${String(i).padStart(7, '0')}`;
      let sum = 0;
      for (let j = 0; j < perMember; j++) {
        const delta = j % 10 === 9 ? -5 : 10;
        sum += delta;
        const at = new Date(base + j * 3_600_000).toISOString();
        const id = `seed:${openid}:${j}`;
        insertEntry.run(
          id,
          JSON.stringify({
            _id: id,
            openid,
            delta,
            counterparty: delta > 0 ? 'system:issuance' : 'system:redemption',
            reason: delta > 0 ? 'checkin' : 'redemption',
            sourceRef: id,
            at: { $date: at },
            day: at.slice(0, 10),
            expiresOn: delta > 0 ? '2027-01-31' : null,
          }),
        );
      }
      const points = i % 100 === 0 ? sum + 1 : sum;
      insertMember.run(openid, JSON.stringify({ _id: openid, openid, points, registeredDay: '2026-01-01' }));
    }
  })();
}

/**
 * Writes `members` with leaderboard streaks (1–365, all current on `today`) straight into
 * SQLite.
 */
export function seedBoard(emulator: Emulator, members: number, today: string): void {
  const sql = emulator.store.engine;
  const insertMember = sql.prepare(`INSERT INTO "c_members" (id, doc) VALUES (?, ?)`);
  sql.transaction(() => {
    for (let i = 0; i < members; i++) {
      const openid = `b${String(i).padStart(7, '0')}`;
      const streak = 1 + ((i * 7919) % 365);
      const start = new Date(Date.parse(`${today}T00:00:00Z`) - (streak - 1) * 86_400_000).toISOString().slice(0, 10);
      insertMember.run(
        openid,
        JSON.stringify({
          _id: openid,
          openid,
          nickname: `会员${i}`,
          points: 0,
          registeredDay: '2025-01-01',
          streak: { start, end: today },
          boardStreak: streak,
          boardEnd: today,
          makeupCards: 0,
          badges: [],
        }),
      );
    }
  })();
}
