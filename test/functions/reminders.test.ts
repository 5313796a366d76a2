import assert from 'node:assert/strict';
import { DEFAULT_REMINDERS_CONFIG as config, remindersConfigSchema } from '../../core/config/reminders';
import { emulatorPerFile } from '../helpers/emulator';

const suite = emulatorPerFile();
const emulator = suite.emulator;
const { member, call } = suite;

const STREAK = config.templates.streakReminder;
const RETURN = config.templates.returnReminder;
const code = (reply: { ok: boolean; code?: string }) => (reply.ok ? 'ok' : reply.code);
const at = (beijing: string) => new Date(`${beijing}+08:00`);
const fire = async (beijing: string) => {
  emulator().setNow(at(beijing));
  const outcome = await emulator().fireTrigger('timer', 'tick');
  return outcome;
};
const outbox = (openid: string) => emulator().subscribe.outbox(openid);
const reminder = (id: string) => emulator().store.get('reminders', id) as Record<string, unknown> | undefined;

/** The member accepts `templates` in wx.requestSubscribeMessage: the platform's credit and the report to the server. */
async function consent(openid: string, templates: string[], times = 1) {
  for (let i = 0; i < times; i++) {
    for (const t of templates) emulator().subscribe.grant(openid, t);
    assert.equal(code(await member(openid, { action: 'subscribe', accepted: templates, rejected: [] })), 'ok');
  }
}

async function checkInDays(openid: string, first: string, days: number) {
  for (let i = 0; i < days; i++) {
    emulator().setNow(new Date(at(`${first}T09:00:00`).getTime() + i * 86_400_000));
    assert.equal(code(await member(openid, { action: 'checkin' })), 'ok');
  }
}

describe('streak about to break', () => {
  it('a consenting member with a 5-day streak, not checked in by 20:00, gets exactly one message; re-runs send nothing', async () => {
    await checkInDays('o-keen', '2026-03-05', 5); // 3-05 … 3-09
    await checkInDays('o-shy', '2026-03-05', 5);
    await checkInDays('o-done', '2026-03-05', 6); // also checked in today, 3-10
    await consent('o-keen', [STREAK]);
    await consent('o-done', [STREAK]);
    await fire('2026-03-10T19:50:00');
    assert.equal(outbox('o-keen').length, 0, 'not before the evening');
    await fire('2026-03-10T20:00:00');
    const sent = outbox('o-keen');
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.templateId, STREAK);
    assert.equal(sent[0]?.data['number2'], '5');
    assert.equal(outbox('o-shy').length, 0, 'no consent, no message');
    assert.equal(reminder('o-shy:streak-evening:2026-03-10')?.['reason'], 'no_consent');
    assert.equal(outbox('o-done').length, 0, 'checked in today: nothing to save');
    await fire('2026-03-10T20:10:00');
    await fire('2026-03-10T21:00:00');
    emulator().store.write('jobs', 'reminders-evening:2026-03-10', null);
    await fire('2026-03-10T21:10:00'); // even a pass started over from scratch
    assert.equal(outbox('o-keen').length, 1);
  });

  it('two timer firings racing over the same members send each reminder once', async () => {
    for (const m of ['o-r1', 'o-r2', 'o-r3']) {
      await checkInDays(m, '2026-03-05', 5);
      await consent(m, [STREAK], 2);
    }
    emulator().setNow(at('2026-03-10T20:00:00'));
    await Promise.all([
      emulator().fireTrigger('timer', 'tick'),
      emulator().fireTrigger('timer', 'tick'),
      emulator().fireTrigger('timer', 'tick'),
    ]);
    for (const m of ['o-r1', 'o-r2', 'o-r3']) assert.equal(outbox(m).length, 1, m);
    const credits = (emulator().store.get('subscriptions', 'o-r1') as unknown as { credits: Record<string, number> }).credits[STREAK];
    assert.equal(credits, 1, 'one credit spent');
  });

  it('quiet hours hold: nothing is sent at 23:00', async () => {
    await checkInDays('o-late', '2026-03-05', 5);
    await consent('o-late', [STREAK]);
    await fire('2026-03-10T23:00:00');
    assert.equal(outbox('o-late').length, 0);
    assert.equal(emulator().store.get('jobs', 'reminders-evening:2026-03-10'), undefined);
  });

  it('a 43101 from the platform zeroes the credit and the batch goes on', async () => {
    await checkInDays('o-revoked', '2026-03-05', 5);
    await checkInDays('o-fine', '2026-03-05', 5);
    assert.equal(code(await member('o-revoked', { action: 'subscribe', accepted: [STREAK], rejected: [] })), 'ok'); // reported, but the platform has no credit
    await consent('o-fine', [STREAK]);
    await fire('2026-03-10T20:00:00');
    assert.equal(reminder('o-revoked:streak-evening:2026-03-10')?.['reason'], '43101');
    assert.equal((emulator().store.get('subscriptions', 'o-revoked') as unknown as { credits: Record<string, number> }).credits[STREAK], 0);
    assert.equal(outbox('o-fine').length, 1);
  });
});

describe('return reminders', () => {
  it('absent 10 days: the return reminder; 15 days: a 50元 coupon and its message; then no more than the cap', async () => {
    await checkInDays('o-gone', '2026-03-01', 1);
    await checkInDays('o-quiet', '2026-03-01', 1);
    await consent('o-gone', [RETURN, STREAK], 3);
    for (let day = 2; day <= 25; day++) await fire(`2026-03-${String(day).padStart(2, '0')}T10:00:00`);
    const sent = outbox('o-gone').map((m) => m.data['thing1']);
    assert.deepEqual(sent, ['你的签到记录快要清零', '会员福利等你来领', '50元无门槛券已到账']);
    const coupons = emulator()
      .store.all('coupons')
      .filter((c) => c['openid'] === 'o-gone');
    assert.deepEqual(
      coupons.map((c) => c['templateKey']),
      ['return-50-no-threshold'],
    );
    assert.equal(outbox('o-quiet').length, 0);
    assert.equal(
      emulator()
        .store.all('coupons')
        .filter((c) => c['openid'] === 'o-quiet').length,
      1,
      'the coupon does not need consent',
    );
  });

  it('a member who comes back and drifts away again is a new occasion', async () => {
    await checkInDays('o-yoyo', '2026-03-01', 1);
    await consent('o-yoyo', [RETURN], 3);
    await fire('2026-03-11T10:00:00');
    await checkInDays('o-yoyo', '2026-03-12', 1);
    await fire('2026-03-22T10:00:00');
    assert.equal(outbox('o-yoyo').length, 2);
  });
});

describe('send-hour variants', () => {
  const experiment = { id: 'return-hour', holdoutPercent: 0, variants: [{ key: 'after-work', weight: 1, sendHour: 18 }] };
  const withExperiment = () =>
    emulator().store.write('config', 'reminders', {
      _id: 'reminders',
      campaigns: { ...config.campaigns, 'return-10': { ...config.campaigns['return-10'], experiment } },
    } as never);

  it('the day pass finds the member at 10:00, the message goes at 18:00, once, however many firings race', async () => {
    withExperiment();
    await checkInDays('o-evening', '2026-03-01', 1);
    await consent('o-evening', [RETURN]);
    await fire('2026-03-11T10:00:00');
    assert.equal(reminder('o-evening:return-10:since-2026-03-01')?.['status'], 'scheduled');
    await fire('2026-03-11T17:50:00');
    assert.equal(outbox('o-evening').length, 0, 'not before its hour');
    emulator().setNow(at('2026-03-11T18:00:00'));
    await Promise.all([1, 2, 3].map(() => emulator().fireTrigger('timer', 'tick')));
    await fire('2026-03-11T18:10:00');
    assert.deepEqual(
      outbox('o-evening').map((m) => m.data['thing1']),
      ['会员福利等你来领'],
    );
    const record = reminder('o-evening:return-10:since-2026-03-01');
    assert.deepEqual([record?.['status'], record?.['arm']], ['sent', 'after-work']);
  });

  it('a member who comes back before the hour gets nothing, and keeps the credit', async () => {
    withExperiment();
    await checkInDays('o-back', '2026-03-01', 1);
    await consent('o-back', [RETURN]);
    await fire('2026-03-11T10:00:00');
    emulator().setNow(at('2026-03-11T12:00:00'));
    assert.equal(code(await member('o-back', { action: 'checkin' })), 'ok');
    await fire('2026-03-11T18:00:00');
    assert.equal(outbox('o-back').length, 0);
    assert.equal(reminder('o-back:return-10:since-2026-03-01')?.['reason'], 'no_longer_due');
    assert.equal((emulator().store.get('subscriptions', 'o-back') as unknown as { credits: Record<string, number> }).credits[RETURN], 1);
  });

  it('config refuses a send hour in quiet hours or outside its pass', () => {
    for (const sendHour of [23, 9, 20]) {
      const variants = [{ key: 'late', weight: 1, sendHour }];
      const parsed = remindersConfigSchema.safeParse({
        ...config,
        campaigns: { ...config.campaigns, 'return-10': { ...config.campaigns['return-10'], experiment: { ...experiment, variants } } },
      });
      assert.equal(parsed.success, false, String(sendHour));
    }
    const evening = {
      ...config,
      campaigns: {
        ...config.campaigns,
        'streak-evening': {
          ...config.campaigns['streak-evening'],
          experiment: { ...experiment, variants: [{ key: 'later', weight: 1, sendHour: 21 }] },
        },
      },
    };
    assert.ok(remindersConfigSchema.safeParse(evening).success);
  });
});

describe('consent reports', () => {
  it('concurrent reports each add their credit (no lost update)', async () => {
    await Promise.all(Array.from({ length: 6 }, () => member('o-eager', { action: 'subscribe', accepted: [STREAK], rejected: [RETURN] })));
    assert.deepEqual((emulator().store.get('subscriptions', 'o-eager') as unknown as { credits: Record<string, number> }).credits, {
      [STREAK]: 6,
    });
  });

  it('refuses forged reports and writes nothing', async () => {
    const bad = [
      { accepted: ['not-our-template'], rejected: [] },
      { accepted: [STREAK, STREAK], rejected: [] },
      { accepted: [STREAK, RETURN, 'a', 'b'], rejected: [] },
      { accepted: [STREAK], rejected: [STREAK] },
      { accepted: [STREAK], rejected: [], count: 5 },
      { accepted: [STREAK], rejected: [], openid: 'o-other' },
    ];
    for (const input of bad)
      assert.equal(code(await member('o-forger', { action: 'subscribe', ...input })), 'INVALID_INPUT', JSON.stringify(input));
    assert.equal(emulator().store.get('subscriptions', 'o-forger'), undefined);
  });

  it('operators see a reminders config with zero caps or all-day quiet hours as an issue, and members keep the defaults', async () => {
    emulator().store.write('config', 'reminders', {
      _id: 'reminders',
      quietStart: 8,
      quietEnd: 8,
      caps: { active: { count: 0, days: 7 }, normal: { count: 2, days: 7 }, sleeping: { count: 1, days: 30 } },
    } as never);
    const issues = await call('ops', 'demo-operator', { action: 'configIssues' });
    assert.ok(issues.ok);
    const problems = issues.data.find((i) => i.id === 'reminders')?.problems.join(' ') ?? '';
    assert.match(problems, /caps\.active\.count/);
    assert.match(problems, /quiet hours/);
    await checkInDays('o-safe', '2026-03-05', 5);
    await consent('o-safe', [STREAK]);
    await fire('2026-03-10T20:00:00');
    assert.equal(outbox('o-safe').length, 1, 'the defaults apply');
  });
});
