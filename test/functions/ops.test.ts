import assert from 'node:assert/strict';
import type { Emulator } from 'cloudbase-emulator';
import type { GrantResult, MakeupResult } from '../../typings/api';
import type { Reply } from '../../typings/envelope';
import { callFunction, emulatorForThisFile } from '../helpers/emulator';
import { CUP_GROUP_DEAL } from '../helpers/fixtures';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await emulatorForThisFile();
});
beforeEach(async () => {
  emulator.reset();
  // The member joined two days ago: yesterday is a day they missed (one to make up).
  emulator.setNow(new Date('2026-03-08T02:00:00Z'));
  await callFunction(emulator, 'member', { action: 'home' }, 'o-member');
  emulator.setNow(new Date('2026-03-10T02:00:00Z'));
});

const ops = (openid: string, event: Record<string, unknown>) =>
  callFunction<Reply<GrantResult>>(emulator, 'ops', event, openid).then((r) => r.body);
const grant = (extra: Record<string, unknown> = {}) => ({
  action: 'grant',
  openid: 'o-member',
  makeupCards: 1,
  reason: '回归礼包',
  requestId: 'req-000001',
  ...extra,
});
const code = (reply: Reply<unknown>) => (reply.ok ? 'ok' : reply.code);
const memberDoc = () => emulator.store.get('members', 'o-member') as unknown as { points: number; makeupCards: number };

describe('ops.grant', () => {
  it('an operator grants make-up cards the member can then use', async () => {
    const reply = await ops('demo-operator', grant());
    assert.deepEqual(reply.ok && reply.data, { openid: 'o-member', balance: 0, makeupCards: 1, duplicate: false });
    const used = await callFunction<Reply<MakeupResult>>(emulator, 'member', { action: 'makeup', day: '2026-03-09' }, 'o-member');
    assert.equal(used.body.ok && used.body.data.makeupCards, 0);
  });

  it('granted points go through the ledger', async () => {
    await ops('demo-operator', grant({ points: 200, makeupCards: 0, requestId: 'req-points-1' }));
    assert.equal(memberDoc().points, 200);
    assert.equal(emulator.store.get('ledger', 'grant:req-points-1')?.['delta'], 200);
  });

  it('10 concurrent grants with one request id grant once', async () => {
    const replies = await Promise.all(Array.from({ length: 10 }, () => ops('demo-operator', grant({ points: 50 }))));
    assert.ok(replies.every((r) => r.ok));
    assert.equal(replies.filter((r) => r.ok && !r.data.duplicate).length, 1);
    assert.deepEqual(memberDoc().points, 50);
    assert.equal(memberDoc().makeupCards, 1);
  });

  it('racing grants under one request id with different amounts: one is granted, the rest replay it or are refused as reused', async () => {
    const amounts = [10, 20, 30, 40, 50, 10, 20, 30];
    const replies = await Promise.all(amounts.map((points) => ops('demo-operator', grant({ points, requestId: 'req-race-001' }))));
    const granted = replies.filter((r) => r.ok && !r.data.duplicate);
    assert.equal(granted.length, 1);
    const first = granted[0]!.ok ? granted[0]!.data.balance : -1;
    assert.equal(memberDoc().points, first, 'exactly one grant landed');
    for (const [i, r] of replies.entries()) {
      if (r.ok) assert.equal(r.data.balance, first, 'a replay answers the first outcome');
      else assert.equal(r.code, 'IDEMPOTENCY_KEY_REUSED', String(amounts[i]));
    }
    assert.equal(emulator.store.all('ledger').filter((e) => e['_id'] === 'grant:req-race-001').length, 1);
  });

  it('a repeat replays the first outcome; the same request id for another grant is IDEMPOTENCY_KEY_REUSED and grants nothing', async () => {
    await callFunction(emulator, 'member', { action: 'home' }, 'o-other');
    const first = await ops('demo-operator', grant({ points: 100 }));
    assert.ok(first.ok);
    await ops('demo-operator', grant({ points: 30, requestId: 'req-000002' }));
    const repeat = await ops('demo-operator', grant({ points: 100 }));
    assert.deepEqual(repeat.ok && repeat.data, { ...first.data, duplicate: true }, "the first balance, not today's");
    for (const changed of [{ openid: 'o-other' }, { points: 999 }, { makeupCards: 2 }, { reason: '另一件事' }]) {
      assert.equal(code(await ops('demo-operator', grant({ points: 100, ...changed }))), 'IDEMPOTENCY_KEY_REUSED', JSON.stringify(changed));
    }
    assert.equal(memberDoc().points, 130);
    assert.equal((emulator.store.get('members', 'o-other') as unknown as { points: number }).points, 0);
  });

  it('members and staff are FORBIDDEN, whatever the event claims', async () => {
    assert.equal(code(await ops('o-member', grant())), 'FORBIDDEN');
    assert.equal(code(await ops('demo-staff', grant())), 'FORBIDDEN');
    // The role is checked before the input: a non-operator learns nothing about the schema (#12 item 9).
    assert.equal(code(await ops('o-member', grant({ role: 'operator' }))), 'FORBIDDEN');
    assert.equal(memberDoc().makeupCards, 0);
  });

  it('refuses bad grants and writes nothing', async () => {
    const bad: Record<string, unknown>[] = [
      { points: -5 },
      { points: 1.5 },
      { points: 10_000_000 },
      { makeupCards: 0 },
      { requestId: 'short' },
      { reason: '' },
    ];
    for (const extra of bad) assert.equal(code(await ops('demo-operator', grant(extra))), 'INVALID_INPUT', JSON.stringify(extra));
    assert.equal(code(await ops('demo-operator', grant({ openid: 'o-nobody' }))), 'NOT_FOUND');
    assert.deepEqual(memberDoc(), { ...memberDoc(), points: 0, makeupCards: 0 });
    assert.equal(emulator.store.count('grants'), 0);
  });
});

describe('ops.reconcile', () => {
  type Result = {
    checked: number;
    mismatches: { openid: string; cached: number; ledger: number }[];
    fixed: number;
    nextCursor: string | null;
  };
  const reconcile = (extra: Record<string, unknown> = {}) =>
    callFunction<Reply<Result>>(emulator, 'ops', { action: 'reconcile', ...extra }, 'demo-operator').then((r) => r.body);

  it('finds a cache that drifted from the ledger, pages with a cursor, and rebuilds it on request', async () => {
    for (const o of ['o-a', 'o-b', 'o-c']) await callFunction(emulator, 'member', { action: 'checkin' }, o);
    const drifted = emulator.store.get('members', 'o-b') as unknown as Record<string, unknown> & { _id: string };
    emulator.database.apply([{ collection: 'members', id: 'o-b', doc: { ...drifted, points: 999 }, mode: 'put' }]);
    const first = await reconcile({ pageSize: 2 });
    assert.ok(first.ok);
    assert.deepEqual([first.data.checked, first.data.nextCursor], [2, 'o-b']);
    assert.deepEqual(first.data.mismatches, [{ openid: 'o-b', cached: 999, ledger: 10 }]);
    const rest = await reconcile({ pageSize: 2, cursor: 'o-b' });
    assert.ok(rest.ok);
    assert.equal(rest.data.checked, 2, 'o-c and o-member');
    assert.equal(rest.data.nextCursor, 'o-member');
    const fixed = await reconcile({ fix: true });
    assert.ok(fixed.ok && fixed.data.fixed === 1);
    assert.equal((emulator.store.get('members', 'o-b') as unknown as { points: number }).points, 10);
    const clean = await reconcile();
    assert.deepEqual(clean.ok && clean.data.mismatches, []);
  });

  it('is for operators only and validates its input', async () => {
    assert.equal(
      code(await callFunction<Reply<Result>>(emulator, 'ops', { action: 'reconcile' }, 'o-member').then((r) => r.body)),
      'FORBIDDEN',
    );
    assert.equal(code(await reconcile({ pageSize: 5000 })), 'INVALID_INPUT');
  });
});

describe('ops task configuration', () => {
  type Issues = { collection: string; id: string; problems: string[] }[];
  const task = {
    _id: 'weekly-share-3',
    version: 1,
    title: '每周分享3次',
    kind: 'weekly',
    trigger: 'share',
    target: 3,
    reward: { type: 'points', points: 30 },
    order: 40,
    difficulty: 'medium',
    enabled: true,
  };

  it('an operator adds a task and members see it', async () => {
    const reply = await ops('demo-operator', { action: 'putTask', task });
    assert.ok(reply.ok);
    const tasks = await callFunction<Reply<{ tasks: { id: string }[] }>>(emulator, 'member', { action: 'tasks' }, 'o-member');
    assert.ok(tasks.body.ok && tasks.body.data.tasks.some((t) => t.id === 'weekly-share-3'));
  });

  it('an invalid task is refused with every problem named, and nothing is written', async () => {
    const reply = await ops('demo-operator', {
      action: 'putTask',
      task: { ...task, target: 0, kind: 'hourly', reward: { type: 'points', points: -1 } },
    });
    assert.equal(code(reply), 'INVALID_INPUT');
    const message = reply.ok ? '' : reply.message;
    for (const field of ['target', 'kind', 'reward.points']) assert.ok(message.includes(field), `${field} named in: ${message}`);
    assert.equal(emulator.store.get('tasks', 'weekly-share-3'), undefined);
    assert.equal(code(await ops('o-member', { action: 'putTask', task })), 'FORBIDDEN');
  });

  it('lists documents edited in the console that fail their schema', async () => {
    emulator.database.apply([
      { collection: 'tasks', id: 'broken', doc: { _id: 'broken', title: 'x' }, mode: 'put' },
      { collection: 'config', id: 'checkin', doc: { _id: 'checkin', capPoints: 1 }, mode: 'put' },
    ]);
    const reply = await callFunction<Reply<Issues>>(emulator, 'ops', { action: 'configIssues' }, 'demo-operator').then((r) => r.body);
    assert.ok(reply.ok);
    assert.deepEqual(
      reply.data.map((i) => `${i.collection}/${i.id}`),
      ['tasks/broken', 'config/checkin'],
    );
    assert.ok(reply.data[1]?.problems.some((p) => /capPoints/.test(p)));
  });

  it('group-buying deals: an operator puts a valid one; a bad one is refused with its problems and written nowhere', async () => {
    const deal = CUP_GROUP_DEAL;
    assert.equal(code(await ops('demo-operator', { action: 'putGroupDeal', deal })), 'ok');
    assert.equal(emulator.store.get('groupDeals', 'cup-group')?.['pricePercent'], 70, 'defaults filled in: 7折');
    const bad = await ops('demo-operator', {
      action: 'putGroupDeal',
      deal: { ...deal, _id: 'bad-group', size: 1, leaderPricePercent: 90 },
    });
    assert.equal(code(bad), 'INVALID_INPUT');
    for (const field of ['size', 'leaderPricePercent']) assert.ok(!bad.ok && bad.message.includes(field), field);
    assert.equal(emulator.store.get('groupDeals', 'bad-group'), undefined);
    assert.equal(code(await ops('o-member', { action: 'putGroupDeal', deal })), 'FORBIDDEN');
    emulator.database.apply([{ collection: 'groupDeals', id: 'console-deal', doc: { _id: 'console-deal', size: -3 }, mode: 'put' }]);
    const issues = await callFunction<Reply<Issues>>(emulator, 'ops', { action: 'configIssues' }, 'demo-operator').then((r) => r.body);
    assert.ok(issues.ok && issues.data.some((i) => i.collection === 'groupDeals' && i.id === 'console-deal'));
  });
});
