import assert from 'node:assert/strict';
import { callFunction, emulatorPerFile } from '../helpers/emulator';

const suite = emulatorPerFile();
const emulator = suite.emulator;
const member = suite.member;

const DAY = 86_400_000;
const START = Date.parse('2026-03-02T02:00:00Z');
const board = async (openid: string, limit?: number) => {
  const reply = await member(openid, { action: 'leaderboard', ...(limit ? { limit } : {}) });
  assert.ok(reply.ok, JSON.stringify(reply));
  return reply.data;
};

/** Checks each member in on the days their streak needs, ending on the same day. */
async function streaks(lengths: Record<string, number>) {
  const longest = Math.max(...Object.values(lengths));
  for (let day = 0; day < longest; day++) {
    emulator().setNow(new Date(START + day * DAY));
    for (const [openid, length] of Object.entries(lengths)) {
      if (day >= longest - length) await member(openid, { action: 'checkin' });
    }
  }
}

describe('streak leaderboard', () => {
  it('ranks members by current streak; ties share a rank', async () => {
    await streaks({ 'o-a': 5, 'o-b': 3, 'o-c': 5, 'o-d': 1 });
    const result = await board('o-b');
    assert.deepEqual(
      result.top.map((r) => [r.rank, r.streak]),
      [
        [1, 5],
        [1, 5],
        [3, 3],
        [4, 1],
      ],
    );
    assert.deepEqual(result.me, { rank: 3, streak: 3 });
    assert.equal(result.top.find((r) => r.me)?.streak, 3);
  });

  it('a broken streak leaves the top list at once and the ranks after the nightly job', async () => {
    await streaks({ 'o-a': 4, 'o-b': 2 });
    emulator().setNow(new Date(START + 5 * DAY)); // o-a and o-b both missed a day
    await member('o-c', { action: 'checkin' });
    const same = await board('o-c');
    assert.deepEqual(
      same.top.map((r) => r.streak),
      [1],
    );
    assert.equal(same.me.rank, 3, 'stale streaks still count until the nightly job');
    emulator().setNow(new Date(START + 5 * DAY + 60_000)); // 10:01 Beijing, after 02:00
    await emulator().fireTrigger('timer', 'tick');
    assert.equal((await board('o-c')).me.rank, 1);
  });

  it('a make-up that repairs a streak puts it back on the board', async () => {
    await streaks({ 'o-fix': 3 });
    emulator().setNow(new Date(START + 4 * DAY)); // missed START + 3
    await callFunction(
      emulator(),
      'ops',
      { action: 'grant', openid: 'o-fix', makeupCards: 1, reason: '测试', requestId: 'board-fix-1' },
      'demo-operator',
    );
    await member('o-fix', { action: 'makeup', day: '2026-03-05' });
    assert.deepEqual((await board('o-fix')).me, { rank: 1, streak: 4 });
  });

  it('a member without a streak has no rank; limit is validated', async () => {
    await streaks({ 'o-a': 2 });
    assert.deepEqual((await board('o-none')).me, { rank: null, streak: 0 });
    assert.equal((await board('o-none', 1)).top.length, 1);
    for (const limit of [0, 51, 2.5, '10']) {
      const reply = await member('o-none', { action: 'leaderboard', limit });
      assert.equal(reply.ok ? 'ok' : reply.code, 'INVALID_INPUT', String(limit));
    }
  });
});
