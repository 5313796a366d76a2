import assert from 'node:assert/strict';
import { DEFAULT_TIERS_CONFIG } from '../../core/config/tiers';
import type { ActionName } from '../../typings/api';
import { saveVersioned } from '../../server/ops/history';
import { code, emulatorPerFile, ok, serverContextAgainst } from '../helpers/emulator';

const suite = emulatorPerFile();
const emulator = suite.emulator;
const { member, call } = suite;
const ops = <A extends ActionName<'ops'>>(event: { action: A } & Record<string, unknown>, openid = 'demo-operator') =>
  call('ops', openid, event);
// biome-ignore lint/suspicious/noExplicitAny: documents as stored, read field by field
const doc = (c: string, id: string) => emulator().store.get(c, id) as any;
const seededTask = () => {
  const { _id, ...fields } = doc('tasks', 'daily-checkin');
  return { _id, ...fields };
};
const titleSeenBy = async (openid: string) =>
  ok(await member(openid, { action: 'tasks' }))
    .tasks.filter((t) => t.id === 'daily-checkin')
    .map((t) => t.title)[0];

describe('operator config history', () => {
  it('every save keeps the previous version; an edited task shows to members at once and can be rolled back', async () => {
    assert.equal(await titleSeenBy('o-m'), '每日签到');
    const saved = ok(await ops({ action: 'putTask', task: { ...seededTask(), title: '每日打卡' } }));
    assert.equal(saved.version, 2, 'the seeded document is version 1 in the history');
    assert.equal(await titleSeenBy('o-m'), '每日打卡');
    const history = ok(await ops({ action: 'configHistory', collection: 'tasks', id: 'daily-checkin' }));
    assert.deepEqual(
      history.versions.map((v) => [v.seq, v.by, v.doc['title']]),
      [
        [2, 'demo-operator', '每日打卡'],
        [1, 'seed', '每日签到'],
      ],
    );
    assert.equal(history.editedOutside, false);
    const back = ok(await ops({ action: 'rollbackConfig', collection: 'tasks', id: 'daily-checkin', seq: 1 }));
    assert.equal(back.version, 3);
    assert.equal(await titleSeenBy('o-m'), '每日签到');
    const after = ok(await ops({ action: 'configHistory', collection: 'tasks', id: 'daily-checkin' }));
    assert.deepEqual(
      after.versions.map((v) => [v.seq, v.note]),
      [
        [3, '回滚到版本 1'],
        [2, '编辑'],
        [1, '初始版本'],
      ],
    );
  });

  it('an edit made in the cloud console shows in the history and is kept when the next save comes', async () => {
    ok(await ops({ action: 'putTask', task: { ...seededTask(), title: '每日打卡' } }));
    emulator().store.write('tasks', 'daily-checkin', { ...doc('tasks', 'daily-checkin'), title: '控制台改的' });
    const seen = ok(await ops({ action: 'configHistory', collection: 'tasks', id: 'daily-checkin' }));
    assert.deepEqual([seen.editedOutside, seen.current?.['title']], [true, '控制台改的']);
    ok(await ops({ action: 'putTask', task: { ...seededTask(), title: '再改一次' } }));
    const history = ok(await ops({ action: 'configHistory', collection: 'tasks', id: 'daily-checkin' }));
    assert.deepEqual(
      history.versions.map((v) => [v.seq, v.by, v.doc['title']]),
      [
        [4, 'demo-operator', '再改一次'],
        [3, 'console', '控制台改的'],
        [2, 'demo-operator', '每日打卡'],
        [1, 'seed', '每日签到'],
      ],
    );
  });

  it('rule sets are edited field by field: an invalid edit saves nothing; a valid one is kept with its predecessor', async () => {
    const checked = ok(await ops({ action: 'saveConfig', collection: 'config', id: 'tiers', doc: { protectionDays: -3 }, check: true }));
    assert.deepEqual(
      checked.problems.map((p) => p.path),
      ['protectionDays'],
      'the editor shows the problem next to its field',
    );
    const bad = await ops({ action: 'saveConfig', collection: 'config', id: 'tiers', doc: { protectionDays: -3 } });
    assert.equal(code(bad), 'INVALID_INPUT');
    assert.match(bad.ok ? '' : bad.message, /protectionDays/);
    assert.equal(doc('config', 'tiers'), undefined, 'nothing saved');
    const tiers = ok(await ops({ action: 'configHistory', collection: 'config', id: 'tiers' }));
    assert.deepEqual(
      [tiers.current, tiers.effective?.['protectionDays']],
      [null, DEFAULT_TIERS_CONFIG.protectionDays],
      'what applies now: the defaults',
    );
    assert.equal(emulator().store.all('configHistory').length, 0);
    ok(await ops({ action: 'saveConfig', collection: 'config', id: 'distribution', doc: { ratePercent: 5 } }));
    ok(await ops({ action: 'saveConfig', collection: 'config', id: 'distribution', doc: { ratePercent: 8 } }));
    assert.equal(doc('config', 'distribution').ratePercent, 8);
    ok(await ops({ action: 'rollbackConfig', collection: 'config', id: 'distribution', seq: 1 }));
    assert.equal(doc('config', 'distribution').ratePercent, 5);
    assert.equal(code(await ops({ action: 'saveConfig', collection: 'config', id: 'no-such-rules', doc: {} })), 'INVALID_INPUT');
    const tasks = ok(await ops({ action: 'configDocs', collection: 'tasks' }));
    assert.ok(tasks.some((t) => t.id === 'daily-checkin' && t.title === '每日签到'));
    const rules = ok(await ops({ action: 'configDocs', collection: 'config' }));
    assert.deepEqual(
      rules.filter((r) => r.stored).map((r) => r.id),
      ['distribution'],
    );
  });

  it('an empty rule set is refused and writes nothing; a save that does not apply leaves no version to roll back to', async () => {
    const empty = [{}, { _id: 'tiers' }, JSON.parse('{"__proto__": {"protectionDays": 7}}'), JSON.parse('{"__proto__": null}')];
    for (const fields of empty)
      assert.equal(
        code(await ops({ action: 'saveConfig', collection: 'config', id: 'tiers', doc: fields })),
        'INVALID_INPUT',
        JSON.stringify(fields),
      );
    assert.equal(doc('config', 'tiers'), undefined, 'nothing saved');
    assert.deepEqual(emulator().store.all('configHistory'), [], 'no version of a save that did not apply');
    // Below the action's validation: a write the database refuses takes its version with it.
    const ctx = serverContextAgainst(emulator());
    await assert.rejects(saveVersioned(ctx, 'config', { _id: 'tiers' }, 'demo-operator', '编辑'));
    assert.deepEqual(emulator().store.all('configHistory'), []);
    // A version such a save left behind before: rolling back to it is refused and adds none.
    const phantom = {
      _id: 'config:tiers:1',
      collection: 'config',
      docId: 'tiers',
      seq: 1,
      doc: {},
      hash: 'x',
      by: 'demo-operator',
      note: '编辑',
    };
    emulator().store.write('configHistory', phantom._id, { ...phantom, at: emulator().clock.now() });
    assert.equal(code(await ops({ action: 'rollbackConfig', collection: 'config', id: 'tiers', seq: 1 })), 'INVALID_INPUT');
    assert.deepEqual(
      emulator()
        .store.all('configHistory')
        .map((v) => v['_id']),
      ['config:tiers:1'],
    );
    assert.equal(doc('config', 'tiers'), undefined);
  });

  it('operators saving at once: each save is one version or a CONFLICT to reload; none is lost silently', async () => {
    const replies = await Promise.all(
      Array.from({ length: 6 }, (_, i) => ops({ action: 'putTask', task: { ...seededTask(), title: `并发${i}` } })),
    );
    for (const r of replies) assert.ok(r.ok || code(r) === 'CONFLICT', code(r));
    const history = ok(await ops({ action: 'configHistory', collection: 'tasks', id: 'daily-checkin' }));
    const seqs = history.versions.map((v) => v.seq);
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => b - a),
    );
    assert.equal(new Set(seqs).size, seqs.length);
    const saved = replies.filter((r) => r.ok).length;
    assert.equal(history.versions.filter((v) => v.by === 'demo-operator').length, saved);
    assert.ok(!history.versions.some((v) => v.by === 'console'), 'a racing save is not mistaken for a console edit');
  });

  it('only operators; unknown collections, ids and versions are refused', async () => {
    assert.equal(code(await ops({ action: 'configHistory', collection: 'tasks', id: 'daily-checkin' }, 'o-member')), 'FORBIDDEN');
    assert.equal(code(await ops({ action: 'rollbackConfig', collection: 'tasks', id: 'daily-checkin', seq: 9 }, 'o-member')), 'FORBIDDEN');
    assert.equal(code(await ops({ action: 'configHistory', collection: 'members', id: 'o-member' })), 'INVALID_INPUT');
    assert.equal(code(await ops({ action: 'rollbackConfig', collection: 'tasks', id: 'daily-checkin', seq: 9 })), 'NOT_FOUND');
    assert.equal(code(await ops({ action: 'rollbackConfig', collection: 'tasks', id: '../x', seq: 1 })), 'INVALID_INPUT');
  });
});
