import assert from 'node:assert/strict';
import type { Reply } from '../../typings/envelope';
import { callFunction, emulatorPerFile } from '../helpers/emulator';

const suite = emulatorPerFile();
const emulator = suite.emulator;
const member = suite.member;

const DAY = 86_400_000;
/** 10:00 Beijing on 2 March 2026. */
const MORNING = Date.parse('2026-03-02T02:00:00Z');
const at = (iso: string | number) => emulator().setNow(new Date(iso));
const checkin = (openid: string) => member(openid, { action: 'checkin' });
const ok = <T>(reply: Reply<T>): T => {
  assert.ok(reply.ok, `expected ok, got ${JSON.stringify(reply)}`);
  return reply.data;
};
const code = (reply: Reply<unknown>) => (reply.ok ? 'ok' : reply.code);
const doc = (collection: string, id: string) => emulator().store.get(collection, id);
const ledgerOf = (openid: string) =>
  emulator()
    .store.all('ledger')
    .filter((e) => e['openid'] === openid);
const giveCards = (openid: string, cards: number) =>
  emulator().database.apply([
    { collection: 'members', id: openid, doc: { ...(doc('members', openid) as { _id: string }), makeupCards: cards }, mode: 'put' },
  ]);

describe('check-in streaks and points', () => {
  it('three consecutive days grow the streak, the points, and grant the day-3 coupon once', async () => {
    at(MORNING);
    const d1 = ok(await checkin('o-anna'));
    at(MORNING + DAY);
    const d2 = ok(await checkin('o-anna'));
    at(MORNING + 2 * DAY);
    const d3 = ok(await checkin('o-anna'));
    // Newbie week doubles: (5, 10, 15) × 2.
    assert.deepEqual([d1.streak, d2.streak, d3.streak], [1, 2, 3]);
    assert.deepEqual([d1.points, d2.points, d3.points], [10, 20, 30]);
    assert.equal(d3.balance, 60);
    assert.equal(d3.milestone?.day, 3);
    assert.deepEqual(d3.milestone?.reward, { type: 'coupon', couponKey: 'checkin-day3', title: '连签专属满100减20券' });
    const reward = doc('rewards', 'checkin:o-anna:2026-03-04:day3');
    assert.equal(reward?.['status'], 'granted');
    assert.equal(doc('coupons', String(reward?.['couponId']))?.['templateKey'], 'checkin-day3');
    assert.equal(d1.milestone, null);
    // What the check-in moment shows: tomorrow's points, the next milestone, the week's strip.
    assert.deepEqual([d1.tomorrowPoints, d1.nextMilestone?.title, d1.nextMilestone?.inDays], [20, '连签3天专属券', 2]);
    assert.deepEqual([d3.tomorrowPoints, d3.nextMilestone?.title, d3.nextMilestone?.inDays], [40, '连签7天神秘礼包', 4]);
    assert.deepEqual(
      d3.week.map((s) => s.state),
      ['done', 'done', 'done', 'ahead', 'ahead', 'ahead', 'ahead'],
    );
    const home = ok(await member('o-anna', { action: 'profile' }));
    assert.deepEqual(home.week, d3.week, 'home shows the same strip');
  });

  it('the day-3 coupon is given once per member, not once per streak', async () => {
    for (const offset of [0, 1, 2, 4, 5, 6]) {
      at(MORNING + offset * DAY);
      ok(await checkin('o-farmer'));
    }
    assert.equal(
      emulator()
        .store.all('rewards')
        .filter((r) => r['openid'] === 'o-farmer' && r['source'] === 'checkin-streak-3').length,
      1,
    );
  });

  it('points follow base + step × (n − 1) up to the cap once the newbie week is over', async () => {
    at(MORNING);
    ok(await member('o-veteran', { action: 'home' }));
    const earned: number[] = [];
    for (let day = 7; day < 15; day++) {
      at(MORNING + day * DAY);
      earned.push(ok(await checkin('o-veteran')).points);
    }
    assert.deepEqual(earned, [5, 10, 15, 20, 25, 30, 30, 30]);
  });

  it('23:59:59 and 00:00:01 Beijing are two business days', async () => {
    at('2026-03-02T15:59:59Z');
    const late = ok(await checkin('o-owl'));
    at('2026-03-02T16:00:01Z');
    const early = ok(await checkin('o-owl'));
    assert.deepEqual([late.day, early.day, early.streak], ['2026-03-02', '2026-03-03', 2]);
  });

  it('15:59 and 16:01 UTC are two business days', async () => {
    at('2026-05-10T15:59:00Z');
    ok(await checkin('o-utc'));
    at('2026-05-10T16:01:00Z');
    assert.equal(ok(await checkin('o-utc')).day, '2026-05-11');
  });

  it('a second check-in the same day is CHECKIN_ALREADY_TODAY and changes nothing', async () => {
    at(MORNING);
    ok(await checkin('o-twice'));
    const before = doc('members', 'o-twice');
    assert.equal(code(await checkin('o-twice')), 'CHECKIN_ALREADY_TODAY');
    assert.deepEqual(doc('members', 'o-twice'), before);
    assert.equal(ledgerOf('o-twice').length, 1);
  });

  it('20 concurrent check-ins by one member produce one check-in, one ledger entry, one reward', async () => {
    at(MORNING);
    ok(await member('o-spam', { action: 'home' }));
    const replies = await Promise.all(Array.from({ length: 20 }, () => checkin('o-spam')));
    const codes = replies.map(code);
    assert.equal(codes.filter((c) => c === 'ok').length, 1, codes.join(','));
    assert.ok(
      codes.every((c) => c === 'ok' || c === 'CHECKIN_ALREADY_TODAY'),
      codes.join(','),
    );
    assert.equal(ledgerOf('o-spam').length, 1);
    assert.equal(doc('members', 'o-spam')?.['points'], 10);
  });

  it('12 racing first-ever check-ins (no home before) register one member and check in once', async () => {
    at(MORNING);
    const replies = await Promise.all(Array.from({ length: 12 }, () => checkin('o-newcomer')));
    const codes = replies.map(code);
    assert.equal(codes.filter((c) => c === 'ok').length, 1, codes.join(','));
    assert.ok(
      codes.every((c) => c === 'ok' || c === 'CHECKIN_ALREADY_TODAY' || c === 'CONFLICT'),
      codes.join(','),
    );
    assert.equal(
      emulator()
        .store.all('members')
        .filter((m) => m['openid'] === 'o-newcomer').length,
      1,
    );
    assert.equal(ledgerOf('o-newcomer').length, 1);
    const daily = ok(await member('o-newcomer', { action: 'tasks' })).tasks.find((t) => t.id === 'daily-checkin');
    assert.deepEqual([daily?.progress, daily?.claimable], [1, true], 'the daily task counts the check-in once');
  });

  it('the cached balance always equals the ledger sum', async () => {
    for (let day = 0; day < 8; day++) {
      at(MORNING + day * DAY);
      ok(await checkin('o-ledger'));
    }
    const sum = ledgerOf('o-ledger').reduce((s, e) => s + (e['delta'] as number), 0);
    assert.equal(doc('members', 'o-ledger')?.['points'], sum);
    assert.ok(ledgerOf('o-ledger').every((e) => e['counterparty'] === 'system:issuance' && typeof e['expiresOn'] === 'string'));
  });

  it('a 7-day streak earns the streak-7 badge once, on the 7th day', async () => {
    const badges: (string | null)[] = [];
    for (let day = 0; day < 9; day++) {
      at(MORNING + day * DAY);
      badges.push(ok(await checkin('o-badge')).badge?.badge ?? null);
    }
    assert.deepEqual(badges, [null, null, null, null, null, null, 'streak-7', null, null]);
    assert.deepEqual(doc('members', 'o-badge')?.['badges'], ['streak-7']);
  });

  it('the day-7 mystery gift is drawn from the pool and the same occasion draws the same', async () => {
    for (let day = 0; day < 7; day++) {
      at(MORNING + day * DAY);
      ok(await checkin('o-seven'));
    }
    const reward = emulator().store.get('rewards', 'checkin:o-seven:2026-03-08:day7')?.['reward'] as { type: string };
    assert.ok(['points', 'makeupCard', 'coupon'].includes(reward.type));
  });

  it('an invalid check-in config document falls back to the defaults', async () => {
    emulator().database.apply([{ collection: 'config', id: 'checkin', doc: { _id: 'checkin', version: 2, basePoints: -1 }, mode: 'put' }]);
    at(MORNING);
    assert.equal(ok(await checkin('o-config')).points, 10);
  });

  it('a config document changes only the rules it names', async () => {
    const config = { _id: 'checkin', version: 2, basePoints: 7, stepPoints: 1, capPoints: 9, newbieDays: 0 };
    emulator().database.apply([{ collection: 'config', id: 'checkin', doc: config, mode: 'put' }]);
    at(MORNING);
    assert.equal(ok(await checkin('o-config2')).points, 7);
  });
});

describe('make-up cards', () => {
  async function checkInOn(openid: string, offsets: number[]) {
    for (const offset of offsets) {
      at(MORNING + offset * DAY);
      ok(await checkin(openid));
    }
  }

  it('filling the missed day restores the streak and uses exactly one card', async () => {
    await checkInOn('o-gap', [0, 1, 3]);
    assert.equal((doc('members', 'o-gap')?.['streak'] as { start: string } | undefined)?.start, '2026-03-05');
    giveCards('o-gap', 2);
    const filled = ok(await member('o-gap', { action: 'makeup', day: '2026-03-04' }));
    assert.deepEqual(filled, { day: '2026-03-04', streak: 4, makeupCards: 1 });
    assert.equal(doc('checkins', 'o-gap_20260304')?.['kind'], 'makeup');
    assert.equal(ledgerOf('o-gap').length, 3, 'a make-up earns no points');
  });

  it('refuses today, the future, days beyond the window, checked days and no cards — writing nothing', async () => {
    await checkInOn('o-strict', [0, 9]);
    const today = '2026-03-11';
    giveCards('o-strict', 1);
    const cases: [string, string][] = [
      [today, 'MAKEUP_DAY_INVALID'],
      ['2026-03-12', 'MAKEUP_DAY_INVALID'],
      ['2026-03-03', 'MAKEUP_DAY_INVALID'],
      ['2026-02-30', 'INVALID_INPUT'],
      ['3 March', 'INVALID_INPUT'],
    ];
    for (const [day, expected] of cases) assert.equal(code(await member('o-strict', { action: 'makeup', day })), expected, day);
    giveCards('o-strict', 0);
    assert.equal(code(await member('o-strict', { action: 'makeup', day: '2026-03-09' })), 'MAKEUP_NO_CARDS');
    assert.equal(
      emulator()
        .store.all('checkins')
        .filter((c) => c['kind'] === 'makeup').length,
      0,
    );
  });

  it('a day before the member registered is not made up, even with a card in the window — and the card stays', async () => {
    at(MORNING + 3 * DAY); // registers on 03-05
    ok(await checkin('o-late'));
    at(MORNING + 5 * DAY);
    giveCards('o-late', 1);
    const reply = await member('o-late', { action: 'makeup', day: '2026-03-04' });
    assert.equal(code(reply), 'MAKEUP_DAY_INVALID');
    assert.equal(reply.ok ? '' : reply.message, '注册之前的日子不用补签');
    assert.equal(doc('members', 'o-late')?.['makeupCards'], 1);
    assert.equal(ok(await member('o-late', { action: 'makeup', day: '2026-03-06' })).streak, 2, 'the day after joining is');
  });

  it('a checked day cannot be made up', async () => {
    await checkInOn('o-dup', [0, 1]);
    giveCards('o-dup', 1);
    assert.equal(code(await member('o-dup', { action: 'makeup', day: '2026-03-02' })), 'MAKEUP_ALREADY_CHECKED');
    assert.equal(doc('members', 'o-dup')?.['makeupCards'], 1);
  });

  it('concurrent make-ups with one card fill exactly one day', async () => {
    await checkInOn('o-race', [0, 4]);
    giveCards('o-race', 1);
    const days = ['2026-03-03', '2026-03-04', '2026-03-05'];
    const replies = await Promise.all(days.flatMap((day) => [1, 2, 3].map(() => member('o-race', { action: 'makeup', day }))));
    assert.equal(replies.filter((r) => r.ok).length, 1);
    assert.equal(doc('members', 'o-race')?.['makeupCards'], 0);
    assert.equal(
      emulator()
        .store.all('checkins')
        .filter((c) => c['openid'] === 'o-race' && c['kind'] === 'makeup').length,
      1,
    );
  });
});

describe('make-ups racing each other', () => {
  const streakOf = (openid: string) => (doc('members', openid) as unknown as { streak: { start: string; end: string } }).streak;

  it('three adjacent missed days made up at once restore the whole streak, for every member, every time', async () => {
    const members = ['o-gap-a', 'o-gap-b', 'o-gap-c', 'o-gap-d'];
    // Checked 03-02, 03-03, then missed 03-04..03-06, checked 03-07 and 03-08 (today).
    for (const offset of [0, 1, 5, 6]) {
      at(MORNING + offset * DAY);
      for (const openid of members) ok(await checkin(openid));
    }
    for (const openid of members) giveCards(openid, 3);
    const missed = ['2026-03-04', '2026-03-05', '2026-03-06'];
    const replies = await Promise.all(members.flatMap((openid) => missed.map((day) => member(openid, { action: 'makeup', day }))));
    assert.ok(
      replies.every((r) => r.ok),
      JSON.stringify(replies.filter((r) => !r.ok)),
    );
    for (const openid of members) {
      assert.deepEqual(streakOf(openid), { start: '2026-03-02', end: '2026-03-08' }, openid);
      assert.equal(doc('members', openid)?.['makeupCards'], 0);
      assert.equal(ok(await member(openid, { action: 'calendar' })).streak, 7);
    }
  });

  it('filling the middle day first, then its neighbours, still joins everything', async () => {
    for (const offset of [0, 1, 5, 6]) {
      at(MORNING + offset * DAY);
      ok(await checkin('o-middle'));
    }
    giveCards('o-middle', 3);
    for (const day of ['2026-03-05', '2026-03-06', '2026-03-04']) ok(await member('o-middle', { action: 'makeup', day }));
    assert.deepEqual(streakOf('o-middle'), { start: '2026-03-02', end: '2026-03-08' });
  });

  it('a broken run: filling the later missed day first, then the earlier, reaches both', async () => {
    // Checked 03-02 and 03-03; today 03-06: 03-04 and 03-05 missed, the run ended on 03-03.
    for (const offset of [0, 1]) {
      at(MORNING + offset * DAY);
      ok(await checkin('o-late'));
    }
    at(MORNING + 4 * DAY);
    giveCards('o-late', 2);
    ok(await member('o-late', { action: 'makeup', day: '2026-03-05' }));
    const last = ok(await member('o-late', { action: 'makeup', day: '2026-03-04' }));
    assert.deepEqual(streakOf('o-late'), { start: '2026-03-02', end: '2026-03-05' });
    assert.equal(last.streak, 4);
  });
});

describe('calendar and points history', () => {
  it('shows the month, what can be made up and the milestones ahead', async () => {
    for (const offset of [0, 1, 3]) {
      at(MORNING + offset * DAY);
      ok(await checkin('o-cal'));
    }
    const cal = ok(await member('o-cal', { action: 'calendar' }));
    assert.equal(cal.month, '2026-03');
    assert.equal(cal.today, '2026-03-05');
    assert.deepEqual(
      cal.days.map((d) => d.day),
      ['2026-03-02', '2026-03-03', '2026-03-05'],
    );
    assert.equal(cal.checkedToday, true);
    assert.equal(cal.streak, 1);
    assert.equal(cal.since, '2026-03-02');
    assert.deepEqual(cal.makeupDays, [], 'nothing is offered without a card');
    giveCards('o-cal', 1);
    // The window reaches back to 02-26, but the member joined on 03-02: only 03-04 was missed.
    assert.deepEqual(ok(await member('o-cal', { action: 'calendar' })).makeupDays, ['2026-03-04']);
    assert.deepEqual(
      cal.milestonesAhead.map((m) => m.inDays),
      [2, 6],
    );
    assert.equal(code(await member('o-cal', { action: 'calendar', month: '2026-13' })), 'INVALID_INPUT');
  });

  it('lists points movements newest first, a page at a time', async () => {
    for (let day = 0; day < 3; day++) {
      at(MORNING + day * DAY);
      ok(await checkin('o-hist'));
    }
    const first = ok(await member('o-hist', { action: 'pointsHistory', pageSize: 2 }));
    const second = ok(await member('o-hist', { action: 'pointsHistory', pageSize: 2, page: 1 }));
    assert.deepEqual(
      first.entries.map((e) => e.delta),
      [30, 20],
    );
    assert.equal(first.hasMore, true);
    assert.deepEqual(
      second.entries.map((e) => e.delta),
      [10],
    );
    assert.equal(second.hasMore, false);
    assert.equal(first.balance, 60);
    assert.deepEqual(first.nextExpiry, { points: 60, on: '2027-03-31' });
    assert.equal(second.nextExpiry, null);
    for (const bad of [{ pageSize: 0 }, { pageSize: 51 }, { page: -1 }, { page: 1.5 }, { pageSize: '2' }]) {
      assert.equal(code(await member('o-hist', { action: 'pointsHistory', ...bad })), 'INVALID_INPUT', JSON.stringify(bad));
    }
  });
});

describe('check-in funnel', () => {
  it('records popup shown → tapped → completed → next-day visit, each once per day', async () => {
    at(MORNING);
    ok(await member('o-funnel', { action: 'home' }));
    ok(await member('o-funnel', { action: 'track', event: 'checkin_popup', stage: 'shown' }));
    const again = ok(await member('o-funnel', { action: 'track', event: 'checkin_popup', stage: 'shown' }));
    assert.deepEqual(again, { counted: false, reason: 'duplicate' });
    ok(await member('o-funnel', { action: 'track', event: 'checkin_popup', stage: 'tapped' }));
    ok(await checkin('o-funnel'));
    at(MORNING + DAY);
    ok(await member('o-funnel', { action: 'home' }));
    const stages = emulator()
      .store.all('funnel')
      .filter((f) => f['openid'] === 'o-funnel')
      .map((f) => `${f['day']} ${f['stage']}`)
      .sort();
    assert.deepEqual(stages, ['2026-03-02 checkin_popup_shown', '2026-03-02 checkin_popup_tapped']);
    // The visits are in the activity rollup: each day's home opening, counted.
    const days = emulator().store.get('activity', 'o-funnel:2026-03')?.['days'] as Record<string, { open?: number }>;
    assert.deepEqual([days['02']?.open, days['03']?.open], [1, 1]);
    const report = ok(
      await callFunction<Reply<{ checkin: Record<string, number> }>>(
        emulator(),
        'ops',
        { action: 'funnels', from: '2026-03-01', to: '2026-03-03' },
        'demo-operator',
      ).then((r) => r.body),
    );
    assert.deepEqual(
      report.checkin,
      { shown: 1, tapped: 1, checkedIn: 1, returnedNextDay: 1 },
      'the check-in itself is the completed stage',
    );
    assert.equal(code(await member('o-funnel', { action: 'track', event: 'checkin_popup', stage: 'closed' })), 'INVALID_INPUT');
  });
});
