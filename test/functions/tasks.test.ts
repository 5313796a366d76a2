import assert from 'node:assert/strict';
import type { Reply } from '../../typings/envelope';
import { emulatorPerFile } from '../helpers/emulator';

const suite = emulatorPerFile();
const emulator = suite.emulator;
const member = suite.member;
beforeEach(() => {
  emulator().setNow(new Date('2026-03-02T02:00:00Z'));
});

const ok = <T>(reply: Reply<T>): T => {
  assert.ok(reply.ok, `expected ok, got ${JSON.stringify(reply)}`);
  return reply.data;
};
const code = (reply: Reply<unknown>) => (reply.ok ? 'ok' : reply.code);
const taskOf = async (openid: string, id: string) => ok(await member(openid, { action: 'tasks' })).tasks.find((t) => t.id === id);
const browse = (openid: string, productId: string) => member(openid, { action: 'track', event: 'browse_product', productId });

describe('tasks', () => {
  it('lists the seeded tasks in order, newbie ones first, with progress', async () => {
    const list = ok(await member('o-new', { action: 'tasks' }));
    assert.deepEqual(
      list.tasks.map((t) => t.id),
      ['newbie-profile', 'newbie-browse-3', 'daily-checkin', 'daily-browse-3', 'daily-share', 'invite-3'],
    );
    assert.ok(list.tasks.every((t) => t.progress === 0 && !t.claimable));
    assert.match(list.inviteCode, /^[A-Z2-9]{8}$/);
  });

  it('browsing 3 different products completes "browse 3" and the reward is claimed once', async () => {
    for (const product of ['p1', 'p2', 'p3']) assert.deepEqual(ok(await browse('o-shopper', product)), { counted: true, reason: null });
    const task = await taskOf('o-shopper', 'daily-browse-3');
    assert.deepEqual([task?.progress, task?.claimable], [3, true]);
    const claim = ok(await member('o-shopper', { action: 'claimTask', taskId: 'daily-browse-3' }));
    assert.deepEqual([claim.reward, claim.balance], [{ type: 'points', points: 10 }, 10]);
    assert.equal(code(await member('o-shopper', { action: 'claimTask', taskId: 'daily-browse-3' })), 'TASK_ALREADY_CLAIMED');
    assert.equal((await taskOf('o-shopper', 'daily-browse-3'))?.claimed, true);
  });

  it('the same product counts once a day; a new day starts over', async () => {
    ok(await browse('o-repeat', 'p1'));
    assert.deepEqual(ok(await browse('o-repeat', 'p1')), { counted: false, reason: 'duplicate' });
    assert.equal((await taskOf('o-repeat', 'daily-browse-3'))?.progress, 1);
    emulator().setNow(new Date('2026-03-03T02:00:00Z'));
    assert.equal((await taskOf('o-repeat', 'daily-browse-3'))?.progress, 0);
    assert.equal(ok(await browse('o-repeat', 'p1')).counted, true);
  });

  it('shares count only up to the daily cap, even when sent all at once', async () => {
    const replies = await Promise.all(Array.from({ length: 12 }, () => member('o-sharer', { action: 'track', event: 'share' })));
    assert.equal(replies.filter((r) => r.ok && r.data.counted).length, 5);
    assert.equal(replies.filter((r) => r.ok && r.data.reason === 'capped').length, 7);
  });

  it('operators set the daily caps in config/events', async () => {
    emulator().database.apply([{ collection: 'config', id: 'events', doc: { _id: 'events', shareDailyCap: 2 }, mode: 'put' }]);
    const replies = await Promise.all(Array.from({ length: 4 }, () => member('o-capped', { action: 'track', event: 'share' })));
    assert.equal(replies.filter((r) => r.ok && r.data.counted).length, 2);
  });

  it('a weekly check-in task counts this week’s check-ins, not last week’s and not made-up days', async () => {
    const weekly = {
      _id: 'weekly-checkin-3',
      version: 1,
      title: '本周签到3天',
      kind: 'weekly',
      trigger: 'checkin',
      target: 3,
      reward: { type: 'points', points: 30 },
      order: 50,
      difficulty: 'medium',
      enabled: true,
    };
    ok(await suite.call('ops', 'demo-operator', { action: 'putTask', task: weekly }));
    const day = (iso: string) => emulator().setNow(new Date(`${iso}T02:00:00Z`));
    day('2026-03-07'); // a Saturday: last week
    ok(await member('o-weekly', { action: 'checkin' }));
    day('2026-03-08');
    ok(await member('o-weekly', { action: 'checkin' }));
    day('2026-03-09'); // Monday
    ok(await member('o-weekly', { action: 'checkin' }));
    emulator().database.apply([
      {
        collection: 'members',
        id: 'o-weekly',
        doc: { ...(emulator().store.get('members', 'o-weekly') as { _id: string }), makeupCards: 1 },
        mode: 'put',
      },
    ]);
    day('2026-03-11');
    ok(await member('o-weekly', { action: 'makeup', day: '2026-03-10' }));
    assert.equal((await taskOf('o-weekly', 'weekly-checkin-3'))?.progress, 1, 'Monday only: the weekend was last week, Tuesday made up');
    assert.equal(code(await member('o-weekly', { action: 'claimTask', taskId: 'weekly-checkin-3' })), 'TASK_NOT_COMPLETE');
    ok(await member('o-weekly', { action: 'checkin' }));
    day('2026-03-12');
    ok(await member('o-weekly', { action: 'checkin' }));
    assert.deepEqual(
      [(await taskOf('o-weekly', 'weekly-checkin-3'))?.progress, (await taskOf('o-weekly', 'weekly-checkin-3'))?.claimable],
      [3, true],
    );
    const claims = await Promise.all(
      Array.from({ length: 8 }, () => member('o-weekly', { action: 'claimTask', taskId: 'weekly-checkin-3' })),
    );
    assert.equal(claims.filter((r) => r.ok).length, 1, claims.map(code).join());
    assert.equal(
      emulator()
        .store.all('ledger')
        .filter((e) => e['sourceRef'] === 'o-weekly:weekly-checkin-3:week-2026-03-09').length,
      1,
    );
    day('2026-03-13');
    ok(await member('o-weekly', { action: 'checkin' }));
    const after = await taskOf('o-weekly', 'weekly-checkin-3');
    assert.deepEqual([after?.progress, after?.claimed, after?.claimable], [3, true, false], 'claimed once for the week');
  });

  it('10 concurrent claims of a completed task pay one reward', async () => {
    ok(await member('o-claimer', { action: 'checkin' }));
    const before = (emulator().store.get('members', 'o-claimer') as unknown as { points: number }).points;
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => member('o-claimer', { action: 'claimTask', taskId: 'daily-checkin' })),
    );
    assert.equal(replies.filter((r) => r.ok).length, 1);
    assert.deepEqual([...new Set(replies.filter((r) => !r.ok).map(code))], ['TASK_ALREADY_CLAIMED']);
    assert.equal((emulator().store.get('members', 'o-claimer') as unknown as { points: number }).points, before + 5);
    assert.equal(
      emulator()
        .store.all('ledger')
        .filter((e) => e['reason'] === 'task').length,
      1,
    );
  });

  it('an unfinished, unknown or badly named task cannot be claimed and nothing is written', async () => {
    assert.equal(code(await member('o-eager', { action: 'claimTask', taskId: 'daily-browse-3' })), 'TASK_NOT_COMPLETE');
    assert.equal(code(await member('o-eager', { action: 'claimTask', taskId: 'no-such-task' })), 'NOT_FOUND');
    assert.equal(code(await member('o-eager', { action: 'claimTask', taskId: '../../x' })), 'INVALID_INPUT');
    assert.equal(code(await member('o-eager', { action: 'claimTask' })), 'INVALID_INPUT');
    assert.equal(code(await member('o-eager', { action: 'track', event: 'purchase', amount: 1e9 })), 'INVALID_INPUT');
    assert.equal(emulator().store.count('ledger'), 0);
  });

  it('newbie tasks disappear after the newbie week', async () => {
    ok(await member('o-old', { action: 'home' }));
    emulator().setNow(new Date('2026-03-09T02:00:00Z'));
    const ids = ok(await member('o-old', { action: 'tasks' })).tasks.map((t) => t.id);
    assert.ok(!ids.some((id) => id.startsWith('newbie-')));
  });

  it('an invalid task document is skipped, the others still work', async () => {
    emulator().database.apply([{ collection: 'tasks', id: 'broken', doc: { _id: 'broken', title: 'x', target: -1 }, mode: 'put' }]);
    const ids = ok(await member('o-robust', { action: 'tasks' })).tasks.map((t) => t.id);
    assert.equal(ids.length, 6);
  });

  it('completing the profile grants a make-up card (newbie task); a client cannot just claim it did', async () => {
    assert.equal(code(await suite.raw('member', 'o-profile', { action: 'track', event: 'profile_completed' })), 'INVALID_INPUT');
    ok(await member('o-profile', { action: 'updateProfile', nickname: '小林' }));
    assert.equal((await taskOf('o-profile', 'newbie-profile'))?.progress, 0, 'a nickname alone is not a complete profile');
    ok(await member('o-profile', { action: 'updateProfile', birthday: '07-14' }));
    ok(await member('o-profile', { action: 'updateProfile', birthday: '07-14', nickname: '小林林' }));
    assert.equal((await taskOf('o-profile', 'newbie-profile'))?.progress, 1);
    const claim = ok(await member('o-profile', { action: 'claimTask', taskId: 'newbie-profile' }));
    assert.equal(claim.makeupCards, 1);
  });
});

describe('invites', () => {
  const inviteCodeOf = async (openid: string) => ok(await member(openid, { action: 'tasks' })).inviteCode;

  it('three brand-new friends complete "invite 3" and its 50元 coupon reward is recorded', async () => {
    const code3 = await inviteCodeOf('o-host');
    for (const friend of ['o-f1', 'o-f2', 'o-f3']) ok(await member(friend, { action: 'home', inviteCode: code3 }));
    assert.equal((await taskOf('o-host', 'invite-3'))?.progress, 3);
    const claim = ok(await member('o-host', { action: 'claimTask', taskId: 'invite-3' }));
    assert.deepEqual(claim.reward, { type: 'coupon', couponKey: 'invite-50-no-threshold', title: '50元无门槛券' });
    const reward = emulator().store.get('rewards', 'task:o-host:invite-3:once');
    assert.equal(reward?.['status'], 'granted');
    const coupon = emulator().store.get('coupons', String(reward?.['couponId']));
    assert.deepEqual([coupon?.['openid'], coupon?.['rule']], ['o-host', { type: 'noThreshold', amount: 5000 }]);
  });

  it('existing members, repeat visits and self-invites do not count', async () => {
    const hostCode = await inviteCodeOf('o-host2');
    ok(await member('o-existing', { action: 'home' }));
    ok(await member('o-existing', { action: 'home', inviteCode: hostCode }));
    ok(await member('o-once', { action: 'home', inviteCode: hostCode }));
    ok(await member('o-once', { action: 'home', inviteCode: hostCode }));
    ok(await member('o-host2', { action: 'home', inviteCode: hostCode }));
    assert.equal((await taskOf('o-host2', 'invite-3'))?.progress, 1);
  });

  it('a malformed invite code is INVALID_INPUT and registers nobody', async () => {
    assert.equal(code(await member('o-x', { action: 'home', inviteCode: 'bad code' })), 'INVALID_INPUT');
    assert.equal(emulator().store.get('members', 'o-x'), undefined);
  });
});
