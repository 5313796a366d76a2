import assert from 'node:assert/strict';
import { code, emulatorPerFile, ok } from '../helpers/emulator';

const suite = emulatorPerFile();
const emulator = suite.emulator;
const { member, call, raw } = suite;

const at = (beijing: string) => emulator().setNow(new Date(`${beijing}+08:00`));
const fire = async (beijing: string) => {
  at(beijing);
  const outcome = await emulator().fireTrigger('timer', 'tick');
  assert.ok(outcome.ok, JSON.stringify(outcome));
};
const RETURN = 'local-tmpl-return-reminder';
const couponsOf = (openid: string) =>
  emulator()
    .store.all('coupons')
    .filter((c) => c['openid'] === openid && String(c['templateKey']).startsWith('birthday'));

/** A member registered well before, who gave their birthday and accepted reminders. */
async function veteran(openid: string, birthday: string, registered = '2026-01-05T09:00:00') {
  at(registered);
  ok(await member(openid, { action: 'updateProfile', nickname: '寿星', birthday }));
  emulator().subscribe.grant(openid, RETURN);
  ok(await member(openid, { action: 'subscribe', accepted: [RETURN], rejected: [] }));
}

describe('birthday and profile', () => {
  it('on the birthday: one pack a year from the night, a greeting, and the day’s check-in and spend points doubled', async () => {
    await veteran('o-bday', '03-05');
    at('2026-03-04T09:00:00');
    const dayBefore = ok(await member('o-bday', { action: 'checkin' }));
    await fire('2026-03-05T02:00:00');
    await fire('2026-03-05T02:10:00');
    assert.deepEqual(
      couponsOf('o-bday').map((c) => c['templateKey']),
      ['birthday-10'],
    );
    await fire('2026-03-05T10:00:00');
    const greetings = emulator()
      .subscribe.outbox('o-bday')
      .filter((m) => m.data['thing1']?.includes('生日快乐'));
    assert.equal(greetings.length, 1);
    at('2026-03-05T12:00:00');
    const onTheDay = ok(await member('o-bday', { action: 'checkin' }));
    assert.equal(onTheDay.birthday, true);
    assert.equal(onTheDay.points, (dayBefore.points + 5) * 2, 'streak day 2 (base + step), doubled');
    const code16 = ok(await member('o-bday', { action: 'memberCode' })).code as string;
    const spend = ok(
      await call('staff', 'demo-staff', { action: 'recordPurchase', code: code16, amount: 10_000, requestId: 'bday-till-1' }),
    );
    assert.equal(spend.points, 200, '100 yuan, 1 point a yuan, doubled');
    at('2026-03-06T09:00:00');
    assert.equal(ok(await member('o-bday', { action: 'checkin' })).birthday, false);
    await fire('2027-03-05T02:00:00');
    assert.equal(couponsOf('o-bday').length, 2, 'next year’s pack');
  });

  it('benefits start for a birthday given at least birthdayNoticeDays [30] before: one set today pays nothing today or tonight', async () => {
    at('2026-05-10T09:00:00');
    // Registered today: one gives today's birthday, one tomorrow's.
    for (const [openid, birthday] of [
      ['o-today', '05-10'],
      ['o-tomorrow', '05-11'],
    ] as const) {
      const profile = ok(await member(openid, { action: 'updateProfile', nickname: '新会员', birthday }));
      assert.deepEqual([profile.birthdayNoticeDays, profile.birthdayBenefitsFrom], [30, `2027-${birthday}`], 'the page says when');
    }
    const checkin = ok(await member('o-today', { action: 'checkin' }));
    assert.deepEqual([checkin.birthday, checkin.points], [false, 10], 'the newbie doubling only');
    const code16 = ok(await member('o-today', { action: 'memberCode' })).code as string;
    const spend = ok(
      await call('staff', 'demo-staff', { action: 'recordPurchase', code: code16, amount: 10_000, requestId: 'bday-new-1' }),
    );
    assert.equal(spend.points, 100, '100 yuan, not doubled');
    // Given 30 and 29 days before 05-11.
    await veteran('o-30', '05-11', '2026-04-11T09:00:00');
    await veteran('o-29', '05-11', '2026-04-12T09:00:00');
    await fire('2026-05-11T02:00:00');
    await fire('2026-05-11T10:00:00');
    assert.deepEqual(
      ['o-today', 'o-tomorrow', 'o-30', 'o-29'].map((o) => couponsOf(o).length),
      [0, 0, 1, 0],
      'the night’s packs',
    );
    const greeted = (o: string) =>
      emulator()
        .subscribe.outbox(o)
        .some((m) => m.data['thing1']?.includes('生日快乐'));
    assert.deepEqual([greeted('o-30'), greeted('o-29')], [true, false], 'no greeting promising what the day does not give');
    at('2026-05-11T12:00:00');
    const [late, onTime] = [ok(await member('o-tomorrow', { action: 'checkin' })), ok(await member('o-30', { action: 'checkin' }))];
    assert.deepEqual([late.birthday, onTime.birthday], [false, true]);
    assert.equal(ok(await member('o-30', { action: 'profile' })).birthdayBenefitsFrom, null, 'benefits apply: nothing to wait for');
    await fire('2027-05-10T02:00:00');
    await fire('2027-05-11T02:00:00');
    assert.deepEqual(
      ['o-today', 'o-tomorrow', 'o-30', 'o-29'].map((o) => couponsOf(o).length),
      [1, 1, 2, 1],
      'next year every one of them',
    );
  });

  it('a newbie on their birthday earns ×2, not ×4: the multipliers do not stack', async () => {
    ok(await call('ops', 'demo-operator', { action: 'saveConfig', collection: 'config', id: 'tiers', doc: { birthdayNoticeDays: 0 } }));
    at('2026-06-01T08:00:00');
    ok(await member('o-newbday', { action: 'updateProfile', nickname: '新寿星', birthday: '06-01' }));
    const first = ok(await member('o-newbday', { action: 'checkin' }));
    assert.deepEqual([first.newbie, first.birthday, first.points], [true, true, 10]);
  });

  it('a 02-29 birthday is kept on 02-28 in other years', async () => {
    await veteran('o-leap', '02-29', '2026-12-01T09:00:00');
    at('2027-02-28T02:00:00');
    // Three firings racing (a slow one overlapping the next) give one pack.
    const outcomes = await Promise.all([1, 2, 3].map(() => emulator().fireTrigger('timer', 'tick')));
    assert.ok(
      outcomes.every((o) => o.ok),
      JSON.stringify(outcomes),
    );
    assert.equal(couponsOf('o-leap').length, 1);
    await fire('2027-03-01T02:00:00');
    assert.equal(couponsOf('o-leap').length, 1);
  });

  it('the birthday is set once; only an operator changes it, with a reason kept; bad input changes nothing', async () => {
    at('2026-04-01T09:00:00');
    const racing = await Promise.all(
      ['08-08', '09-09', '10-10'].map((birthday) => member('o-once', { action: 'updateProfile', birthday })),
    );
    assert.equal(racing.filter((r) => r.ok).length, 1, racing.map(code).join());
    const won = (emulator().store.get('members', 'o-once') as unknown as { birthday: string }).birthday;
    emulator().database.apply([
      {
        collection: 'members',
        id: 'o-once',
        doc: { ...(emulator().store.get('members', 'o-once') as { _id: string }), birthday: null },
        mode: 'put',
      },
    ]);
    assert.ok(['08-08', '09-09', '10-10'].includes(won));
    ok(await member('o-once', { action: 'updateProfile', birthday: '08-08' }));
    ok(await member('o-once', { action: 'updateProfile', birthday: '08-08' }));
    assert.equal(code(await member('o-once', { action: 'updateProfile', birthday: '04-01' })), 'BIRTHDAY_LOCKED');
    const bad = [
      { birthday: '02-30' },
      { birthday: '13-01' },
      { birthday: '8-8' },
      { birthday: '2026-08-08' },
      { nickname: '' },
      { nickname: 'a\u200bb' },
      { nickname: '\u3164' },
      { nickname: '\u2800\u2800' },
      { nickname: '小\u00a0明' },
      { nickname: '\uffa0\u115f\u1160' },
      { nickname: 'x'.repeat(21) },
      { avatar: 'https://evil.example/a.png' },
      { avatar: 'cloud://env/../../etc' },
      {},
      { openid: 'o-other', nickname: 'hijack' },
    ];
    for (const edit of bad)
      assert.equal(code(await raw('member', 'o-once', { action: 'updateProfile', ...edit })), 'INVALID_INPUT', JSON.stringify(edit));
    const profile = ok(await member('o-once', { action: 'profile' }));
    assert.deepEqual([profile.birthday, profile.profileComplete], ['08-08', false]);
    assert.equal(
      code(await call('ops', 'o-once', { action: 'setBirthday', openid: 'o-once', birthday: '04-01', reason: '自助' })),
      'FORBIDDEN',
    );
    ok(await call('ops', 'demo-operator', { action: 'setBirthday', openid: 'o-once', birthday: '04-01', reason: '顾客出示证件更正' }));
    assert.equal(ok(await member('o-once', { action: 'profile' })).birthday, '04-01');
    const changes = emulator()
      .store.all('profileChanges')
      .filter((c) => c['openid'] === 'o-once');
    assert.deepEqual(
      changes.map((c) => [c['from'], c['to'], c['reason']]),
      [['08-08', '04-01', '顾客出示证件更正']],
    );
  });
});
