import assert from 'node:assert/strict';
import { DEFAULT_REMINDERS_CONFIG } from '../../core/config/reminders';
import { HOLDOUT, assignArm } from '../../core/experiments/assign';
import { addDays } from '../../core/time/beijing';
import type { ActionName } from '../../typings/api';
import { emulatorPerFile } from '../helpers/emulator';

const suite = emulatorPerFile();
const emulator = suite.emulator;
const { member, call } = suite;

const code = (reply: { ok: boolean; code?: string }) => (reply.ok ? 'ok' : reply.code);
const at = (beijing: string) => emulator().setNow(new Date(`${beijing}+08:00`));
const night = async (day: string) => {
  at(`${day}T02:00:00`);
  const outcome = await emulator().fireTrigger('timer', 'tick');
  assert.ok(outcome.ok, JSON.stringify(outcome));
  return outcome;
};
// biome-ignore lint/suspicious/noExplicitAny: documents as stored, read field by field
const doc = (c: string, id: string) => emulator().store.get(c, id) as ({ _id: string } & Record<string, any>) | undefined;
const transitions = (openid: string) =>
  emulator()
    .store.all('lifecycle')
    .filter((t) => t['openid'] === openid)
    .sort((a, b) => String(a['_id']).localeCompare(String(b['_id'])))
    .map((t) => `${t['from']}>${t['to']}:${t['reason']}`);
const ops = <A extends ActionName<'ops'>>(event: { action: A } & Record<string, unknown>, openid = 'demo-operator') =>
  call('ops', openid, event);

/** Rollup history written straight into the database: `days` active days before `today`. */
function backfill(openid: string, today: string, daysAgo: number[], counts: Record<string, number> = { open: 1 }) {
  for (const ago of daysAgo) {
    const day = addDays(today, -ago);
    const id = `${openid}:${day.slice(0, 7)}`;
    const current = doc('activity', id) ?? { _id: id, openid, month: day.slice(0, 7), days: {} };
    current['days'][day.slice(8)] = counts;
    emulator().store.write('activity', id, current);
  }
}

describe('lifecycle', () => {
  it('walks potential → new → active → sleeping → churned → (returned) active, storing every transition with its reason', async () => {
    at('2026-03-01T09:00:00');
    assert.equal(code(await member('o-life', { action: 'home' })), 'ok');
    assert.equal(doc('members', 'o-life')?.['stage'], 'potential');
    for (const day of ['2026-03-01', '2026-03-02', '2026-03-03']) {
      at(`${day}T09:30:00`);
      await member('o-life', { action: 'home' });
      assert.equal(code(await member('o-life', { action: 'checkin' })), 'ok');
    }
    assert.equal(doc('members', 'o-life')?.['stage'], 'active');
    assert.equal(doc('rewards', 'lifecycle:active3:o-life')?.['status'], 'granted');
    await night('2026-03-11'); // away 8 days
    assert.equal(doc('members', 'o-life')?.['stage'], 'sleeping');
    await night('2026-04-03'); // away 31 days
    const churned = doc('members', 'o-life')!;
    assert.equal(churned['stage'], 'churned');
    assert.ok(churned['tags'].includes('potential_churn'));
    assert.equal(typeof churned['churnRisk'], 'number');
    at('2026-04-03T12:00:00');
    await member('o-life', { action: 'home' });
    assert.deepEqual(transitions('o-life'), [
      'potential>new:first action',
      'new>active:3 active days',
      'active>sleeping:absent 8 days',
      'sleeping>churned:no login for 31 days',
      'churned>active:returned',
    ]);
    const t = emulator()
      .store.all('lifecycle')
      .find((x) => x['reason'] === 'returned')!;
    assert.equal(t['day'], '2026-04-03');
  });

  it('the 3rd consecutive active day grants the exclusive coupon once, however many requests race for it', async () => {
    for (const day of ['2026-03-01', '2026-03-02']) {
      at(`${day}T10:00:00`);
      await member('o-race', { action: 'home' });
      await member('o-race', { action: 'track', event: 'share' });
    }
    at('2026-03-03T10:00:00');
    const replies = await Promise.all(Array.from({ length: 12 }, () => member('o-race', { action: 'home' })));
    assert.ok(replies.every((r) => r.ok));
    const m = doc('members', 'o-race')!;
    assert.equal(m['activeDays'], 3);
    assert.equal(m['stage'], 'active');
    assert.equal(
      emulator()
        .store.all('rewards')
        .filter((r) => r['openid'] === 'o-race').length,
      1,
    );
    assert.equal(
      emulator()
        .store.all('coupons')
        .filter((c) => c['openid'] === 'o-race' && c['templateKey'] === 'active-day3').length,
      1,
    );
    assert.equal(transitions('o-race').length, 2);
    assert.equal(doc('activity', 'o-race:2026-03')?.['days']['03']['open'], 12, 'every racing open is counted in the rollup');
    // A later 3-day run does not grant it again.
    for (const day of ['2026-03-10', '2026-03-11', '2026-03-12']) {
      at(`${day}T10:00:00`);
      await member('o-race', { action: 'home' });
    }
    assert.equal(
      emulator()
        .store.all('rewards')
        .filter((r) => r['openid'] === 'o-race').length,
      1,
    );
  });

  it('the nightly pass fits the churn model, scores and segments everyone; killed and re-run it moves nobody twice', async () => {
    const today = '2026-05-20';
    at(`${addDays(today, -60)}T09:00:00`);
    const openids = Array.from({ length: 80 }, (_, i) => `o-cohort-${String(i).padStart(2, '0')}`);
    for (const id of openids) await member(id, { action: 'home' });
    openids.forEach((id, i) => {
      // Every 4th member stopped coming 20 days ago; the rest keep visiting every other day.
      const visits = Array.from({ length: 30 }, (_, k) => 2 * k + 1).filter((ago) => (i % 4 === 0 ? ago > 20 : true) && ago < 60);
      backfill(id, today, visits, { open: 1, checkin: 1 });
      emulator().store.write('members', id, {
        ...doc('members', id)!,
        stage: 'active',
        firstActionDay: addDays(today, -59),
        activeDays: visits.length,
        lastActiveDay: addDays(today, -Math.min(...visits)),
      });
    });
    const first = await night(today);
    assert.ok(
      first.ok && (first.value as { data: { churnModelRefitted: boolean } }).data.churnModelRefitted,
      'the first firing of the week fits the model',
    );
    const model = doc('config', 'churnModel')!;
    assert.equal(model['fittedDay'], today);
    assert.ok(model['members'] >= 80 && model['params']['r'] > 0);
    at(`${today}T02:10:00`);
    await emulator().fireTrigger('timer', 'tick');
    const gone = doc('members', 'o-cohort-00')!;
    const here = doc('members', 'o-cohort-01')!;
    assert.equal(gone['stage'], 'sleeping');
    assert.ok(gone['churnRisk'] > here['churnRisk'], `${gone['churnRisk']} > ${here['churnRisk']}`);
    assert.equal(here['stage'], 'active');
    assert.match(here['segment'], /^(low|mid|high)-(low|high)$/);
    assert.equal(doc('segmentStats', addDays(today, -1))?.['stages']['sleeping'], 20);
    assert.ok(doc('config', 'segmentThresholds'), 'first thresholds computed from the data');
    const moved = emulator().store.count('lifecycle');
    emulator().store.write('jobs', `members:${today}`, null);
    at(`${today}T02:20:00`);
    await emulator().fireTrigger('timer', 'tick');
    assert.equal(emulator().store.count('lifecycle'), moved, 're-run from scratch: no transition stored twice');
    assert.equal(emulator().store.all('segmentStats').length, 1);
  });

  it('raw events past their retention are deleted; rollups stay', async () => {
    at('2026-01-01T10:00:00');
    await member('o-old', { action: 'home' });
    await member('o-old', { action: 'track', event: 'browse_product', productId: 'p-1' });
    await call('staff', 'demo-staff', { action: 'preview', code: '99990000000000' }); // a failed till code, and an attempt counter
    at('2026-04-05T09:00:00');
    await call('staff', 'demo-staff', { action: 'preview', code: '99990000000001' });
    at('2026-04-05T10:00:00');
    await member('o-old', { action: 'track', event: 'browse_product', productId: 'p-2' });
    await night('2026-04-06');
    at('2026-04-06T02:10:00');
    await emulator().fireTrigger('timer', 'tick');
    const events = emulator()
      .store.all('events')
      .map((e) => e['day']);
    assert.deepEqual(events, ['2026-04-05']);
    assert.ok(doc('activity', 'o-old:2026-01'), 'the January rollup is kept');
    assert.deepEqual(
      emulator()
        .store.all('codeFailures')
        .map((f) => f['day']),
      ['2026-04-05'],
      'the audit of failed codes is kept for the retention, then dropped',
    );
    assert.equal(emulator().store.all('rateLimits').length, 0, "yesterday's attempt counters are dropped");
    assert.deepEqual(doc('activity', 'o-old:2026-04')?.['days']['05'], { view: 1, viewed: ['p-2'] });
  });
});

describe('segment alerts', () => {
  it('a segment whose participation stays > 15 % down for 3 days raises one alert, shown to operators', async () => {
    const today = '2026-06-15';
    at(`${addDays(today, -40)}T09:00:00`);
    const openids = Array.from({ length: 25 }, (_, i) => `o-seg-${i}`);
    for (const id of openids) await member(id, { action: 'home' });
    for (const id of openids) emulator().store.write('members', id, { ...doc('members', id)!, lastActiveDay: addDays(today, -3) });
    for (const id of openids) backfill(id, today, [3]);
    // Seven nights at 50 % participation, then two at 20 %; tonight's real figure for yesterday is 0 %.
    for (let ago = 10; ago >= 2; ago--) {
      const day = addDays(today, -ago);
      emulator().store.write('segmentStats', day, {
        _id: day,
        day,
        metrics: { 'mid-low': { members: 25, participants: ago > 3 ? 12 : 5 }, 'low-low': { members: 25, participants: ago > 3 ? 12 : 5 } },
        stages: {},
      });
    }
    await night(today);
    const segment = doc('members', 'o-seg-0')!['segment'];
    const raised = emulator().store.all('alerts');
    assert.deepEqual(
      raised.map((a) => [a['segment'], a['since']]),
      [[segment, addDays(today, -3)]],
    );
    at(`${addDays(today, 1)}T02:00:00`);
    await emulator().fireTrigger('timer', 'tick');
    assert.equal(emulator().store.all('alerts').length, 1, 'the same drop does not alert every night');
    const listed = await ops({ action: 'alerts', from: addDays(today, -7), to: addDays(today, 1) });
    assert.ok(listed.ok);
    assert.deepEqual(
      listed.data.alerts.map((a) => (a.kind === 'segment' ? a.segment : a.kind)),
      [segment],
    );
  });
});

describe('reminder experiments, opened tracking and funnels', () => {
  const RETURN = DEFAULT_REMINDERS_CONFIG.templates.returnReminder;
  const experiment = {
    id: 'return-copy',
    holdoutPercent: 10,
    variants: [
      { key: 'plain', weight: 1 },
      { key: 'points', weight: 1, note: '回来领积分好礼' },
    ],
  };

  it('holdout members get nothing, variants get their copy, opens are counted once, the readout adds up', async () => {
    const campaigns = { ...DEFAULT_REMINDERS_CONFIG.campaigns, 'return-10': { enabled: true, afterDays: 10, experiment } };
    emulator().store.write('config', 'reminders', { _id: 'reminders', campaigns });
    at('2026-03-01T09:00:00');
    const openids = Array.from({ length: 60 }, (_, i) => `o-exp-${i}`);
    for (const id of openids) {
      await member(id, { action: 'home' });
      emulator().subscribe.grant(id, RETURN);
      assert.equal(code(await member(id, { action: 'subscribe', accepted: [RETURN], rejected: [] })), 'ok');
    }
    at('2026-03-11T10:00:00');
    await emulator().fireTrigger('timer', 'tick');
    const arms = new Map(openids.map((id) => [id, assignArm(experiment, id)]));
    for (const id of openids) {
      const sent = emulator().subscribe.outbox(id);
      const record = doc('reminders', `${id}:return-10:since-2026-03-01`)!;
      assert.equal(record['arm'], arms.get(id));
      if (arms.get(id) === HOLDOUT) {
        assert.equal(sent.length, 0, `${id} is held out`);
        assert.equal(record['status'], 'holdout');
      } else {
        assert.equal(sent.length, 1, id);
        assert.equal(sent[0]!.data['thing3'], arms.get(id) === 'points' ? '回来领积分好礼' : '签到任务和积分好礼已更新');
      }
    }
    // A third of the messaged members open the mini-program from it (twice: counted once).
    const opened = openids.filter((id, i) => arms.get(id) !== HOLDOUT && i % 3 === 0);
    at('2026-03-11T12:00:00');
    for (const id of opened) {
      const first = await member(id, { action: 'track', event: 'reminder_opened', campaign: 'return-10' });
      const again = await member(id, {
        action: 'track',
        event: 'reminder_opened',
        campaign: 'return-10',
      });
      assert.ok(first.ok && first.data.counted && again.ok && again.data.reason === 'duplicate');
    }
    const readout = await ops({ action: 'experimentReadout', campaign: 'return-10', experimentId: 'return-copy' });
    assert.ok(readout.ok, JSON.stringify(readout));
    assert.deepEqual(
      readout.data.arms.map((a) => a.arm),
      ['plain', 'points', HOLDOUT].filter((a) => [...arms.values()].includes(a)),
    );
    assert.equal(
      readout.data.arms.reduce((s, a) => s + a.assigned, 0),
      60,
    );
    const holdout = readout.data.arms.find((a) => a.arm === HOLDOUT)!;
    assert.equal(holdout.sent, 0);
    assert.equal(holdout.upliftReturned7, null);
    const openedTotal = readout.data.arms.reduce((s, a) => s + Math.round(a.opened.estimate * a.assigned), 0);
    assert.equal(openedTotal, opened.length);
    for (const a of readout.data.arms.filter((x) => x.arm !== HOLDOUT)) {
      assert.ok(a.opened.low <= a.opened.estimate && a.opened.estimate <= a.opened.high);
      assert.ok(a.returned1.estimate >= a.opened.estimate, 'an open is a return');
    }

    const funnel = await ops({
      action: 'funnels',
      from: '2026-03-11',
      to: '2026-03-11',
    });
    assert.ok(funnel.ok);
    assert.deepEqual(funnel.data.reminders, {
      sent: [...arms.values()].filter((a) => a !== HOLDOUT).length,
      opened: opened.length,
      returned: opened.length,
    });
  });

  it('concurrent opens of one reminder count once; a reminder older than the attribution window does not count', async () => {
    at('2026-03-01T09:00:00');
    await member('o-opener', { action: 'home' });
    const sent = (id: string, at: Date) =>
      emulator().store.write('reminders', id, {
        _id: id,
        openid: 'o-opener',
        campaign: 'return-10',
        occasion: id,
        day: '2026-03-01',
        at,
        status: 'sent',
        reason: null,
        experiment: null,
        arm: null,
        openedAt: null,
      });
    sent('o-opener:return-10:a', new Date('2026-03-01T02:00:00Z'));
    at('2026-03-01T12:00:00');
    const replies = await Promise.all(
      Array.from({ length: 8 }, () => member('o-opener', { action: 'track', event: 'reminder_opened', campaign: 'return-10' })),
    );
    assert.equal(replies.filter((r) => r.ok && r.data.counted).length, 1);
    assert.equal(doc('activity', 'o-opener:2026-03')?.['days']['01']['reminderOpen'], 1);
    sent('o-opener:return-10:b', new Date('2026-03-02T02:00:00Z'));
    at('2026-03-10T12:00:00'); // 8 days later; the window is 7 (config/reminders.openAttributionDays)
    const late = await member('o-opener', {
      action: 'track',
      event: 'reminder_opened',
      campaign: 'return-10',
    });
    assert.ok(late.ok && late.data.reason === 'no_reminder');
  });

  it('the check-in funnel: popup shown → tapped → checked in → back next day', async () => {
    at('2026-03-01T09:00:00');
    for (const id of ['o-f1', 'o-f2', 'o-f3']) {
      await member(id, { action: 'home' });
      await member(id, { action: 'track', event: 'checkin_popup', stage: 'shown' });
    }
    for (const id of ['o-f1', 'o-f2']) {
      await member(id, { action: 'track', event: 'checkin_popup', stage: 'tapped' });
      await member(id, { action: 'checkin' });
    }
    at('2026-03-02T09:00:00');
    await member('o-f1', { action: 'home' });
    const funnel = await ops({ action: 'funnels', from: '2026-03-01', to: '2026-03-01' });
    assert.ok(funnel.ok);
    assert.deepEqual(funnel.data.checkin, { shown: 3, tapped: 2, checkedIn: 2, returnedNextDay: 1 });
  });

  it('bad input: unknown campaigns, forged ranges, members calling ops, broken experiment and lifecycle config', async () => {
    at('2026-03-01T09:00:00');
    await member('o-bad', { action: 'home' });
    assert.equal(code(await member('o-bad', { action: 'track', event: 'reminder_opened', campaign: 'free-money' })), 'INVALID_INPUT');
    const none = await member('o-bad', {
      action: 'track',
      event: 'reminder_opened',
      campaign: 'return-10',
    });
    assert.ok(none.ok && !none.data.counted && none.data.reason === 'no_reminder');
    assert.equal(
      code(await member('o-bad', { action: 'track', event: 'reminder_opened', campaign: 'return-10', openid: 'o-other' })),
      'INVALID_INPUT',
    );
    assert.equal(code(await ops({ action: 'funnels', from: '2026-03-05', to: '2026-03-01' })), 'INVALID_INPUT');
    assert.equal(code(await ops({ action: 'funnels', from: '2026-01-01', to: '2026-12-31' })), 'INVALID_INPUT');
    assert.equal(code(await ops({ action: 'funnels', from: '2026-03-01', to: '2026-03-01' }, 'o-bad')), 'FORBIDDEN');
    assert.equal(code(await ops({ action: 'experimentReadout', campaign: 'return-10', experimentId: 'x' })), 'INVALID_INPUT');
    const campaigns = {
      ...DEFAULT_REMINDERS_CONFIG.campaigns,
      'return-10': {
        enabled: true,
        afterDays: 10,
        experiment: {
          ...experiment,
          variants: [
            { key: 'a', weight: 1 },
            { key: 'a', weight: 2 },
          ],
        },
      },
    };
    emulator().store.write('config', 'reminders', { _id: 'reminders', campaigns });
    emulator().store.write('config', 'lifecycle', { _id: 'lifecycle', sleepingAfterDays: 40 });
    const issues = await ops({ action: 'configIssues' });
    assert.ok(issues.ok);
    assert.deepEqual(
      issues.data
        .map((i) => i.id)
        .filter((id) => id === 'reminders' || id === 'lifecycle')
        .sort(),
      ['lifecycle', 'reminders'],
    );
  });
});
