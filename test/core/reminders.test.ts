import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_REMINDERS_CONFIG as config, isQuietHour, remindersConfigSchema } from '../../core/config/reminders';
import { buildPayload, fieldType, fitField } from '../../core/reminders/payload';
import { type Pass, dueReminder, segmentOf, withinCap } from '../../core/reminders/select';
import { checkFieldValue } from 'cloudbase-emulator';

describe('subscribe-message payloads', () => {
  it('any text fits its field as WeChat checks it, and never splits a surrogate pair', () => {
    const keys = fc.constantFrom('thing1', 'thing3', 'number2', 'name4');
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 60 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.integer().map(String),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.tuple(keys, text),
          fc.tuple(fc.constant('date2'), fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })),
        ),
        ([key, value]) => {
          const fitted = fitField(key, value);
          assert.equal(checkFieldValue(fieldType(key), fitted), undefined, `${key}=${JSON.stringify(fitted)}`);
          assert.ok(!/[\uD800-\uDBFF]$/.test(fitted.replace(/…$/, '')), 'no lone high surrogate at the cut');
        },
      ),
    );
  });

  it('cuts long text at 20 code points with an ellipsis; dates in Beijing', () => {
    assert.equal([...fitField('thing1', '😀'.repeat(30))].length, 20);
    assert.equal(fitField('thing1', '😀'.repeat(30)).endsWith('😀…'), true);
    assert.equal(fitField('date2', new Date('2026-03-09T16:30:00Z')), '2026年3月10日');
    assert.equal(fitField('date2', '2026-03-10'), '2026年3月10日');
    assert.throws(() => fitField('date2', 'soon'), RangeError);
    assert.deepEqual(buildPayload({ thing1: '连续签到即将中断', number2: 5 }), {
      thing1: { value: '连续签到即将中断' },
      number2: { value: '5' },
    });
  });
});

describe('who is reminded of what', () => {
  const member = (lastSeenDay: string, streak: { start: string; end: string } | null = null) => ({ lastSeenDay, streak });
  const dueReminders = (m: ReturnType<typeof member>, today: string, pass: Pass, c = config) =>
    [dueReminder(m, today, pass, c)].flatMap((d) => d ?? []);

  it('evening: a streak of 3+ that breaks tonight; day: 7, 10 and 15 days away; churned: nothing', () => {
    assert.deepEqual(
      dueReminders(member('2026-03-09', { start: '2026-03-07', end: '2026-03-09' }), '2026-03-10', 'evening', config).map(
        (d) => d.campaign,
      ),
      ['streak-evening'],
    );
    assert.deepEqual(
      dueReminders(member('2026-03-09', { start: '2026-03-08', end: '2026-03-09' }), '2026-03-10', 'evening', config),
      [],
      'a 2-day streak',
    );
    assert.deepEqual(
      dueReminders(member('2026-03-10', { start: '2026-03-07', end: '2026-03-10' }), '2026-03-10', 'evening', config),
      [],
      'already checked in',
    );
    const campaignOn = (today: string) => dueReminders(member('2026-03-01'), today, 'day', config).map((d) => d.campaign);
    assert.deepEqual(
      [campaignOn('2026-03-07'), campaignOn('2026-03-08'), campaignOn('2026-03-11'), campaignOn('2026-03-16'), campaignOn('2026-04-01')],
      [[], ['absent-7'], ['return-10'], ['coupon-15'], []],
    );
  });

  it('operators move the absence milestones and segment bounds in config', () => {
    const later = {
      ...config,
      segments: { activeDays: 10, normalDays: 20, sleepingDays: 60 },
      campaigns: {
        ...config.campaigns,
        'coupon-15': { ...config.campaigns['coupon-15'], afterDays: 30 },
        'absent-7': { ...config.campaigns['absent-7'], enabled: false },
      },
    };
    const campaignOn = (today: string) => dueReminders(member('2026-03-01'), today, 'day', later).map((d) => d.campaign);
    assert.deepEqual(
      [campaignOn('2026-03-08'), campaignOn('2026-03-16'), campaignOn('2026-03-31'), campaignOn('2026-04-20')],
      [[], ['return-10'], ['coupon-15'], ['coupon-15']],
    );
    assert.ok(!remindersConfigSchema.safeParse({ ...config, segments: { activeDays: 14, normalDays: 7, sleepingDays: 30 } }).success);
  });

  it('the return gift pack: from day 16 for members tagged potential churn, after the day-15 coupon in priority', () => {
    const away = (tags: string[], today: string, c = config) =>
      dueReminder({ streak: null, lastSeenDay: '2026-03-01', tags }, today, 'day', c)?.campaign;
    assert.deepEqual(
      [
        away(['potential_churn'], '2026-03-16'),
        away(['potential_churn'], '2026-03-17'),
        away([], '2026-03-17'),
        away(['potential_churn'], '2026-03-31'),
        away(['potential_churn'], '2026-04-01'),
      ],
      ['coupon-15', 'return-gift', 'coupon-15', 'return-gift', undefined],
    );
    const early = { ...config, campaigns: { ...config.campaigns, 'return-gift': { ...config.campaigns['return-gift'], afterDays: 12 } } };
    assert.equal(away(['potential_churn'], '2026-03-14', early), 'return-gift', 'the latest milestone reached wins');
    assert.equal(away(['potential_churn'], '2026-03-16', early), 'coupon-15');
    const off = { ...config, campaigns: { ...config.campaigns, 'return-gift': { ...config.campaigns['return-gift'], enabled: false } } };
    assert.equal(away(['potential_churn'], '2026-03-17', off), 'coupon-15');
  });

  it('caps by segment: active 4 a week, normal 2, sleeping 1 since falling asleep', () => {
    const segments = config.segments;
    assert.deepEqual(
      [segmentOf(7, segments), segmentOf(8, segments), segmentOf(15, segments), segmentOf(31, segments)],
      ['active', 'normal', 'sleeping', 'churned'],
    );
    assert.ok(withinCap(['2026-03-07', '2026-03-08', '2026-03-09'], '2026-03-10', '2026-03-10', config));
    assert.ok(!withinCap(['2026-03-04', '2026-03-07', '2026-03-08', '2026-03-09'], '2026-03-10', '2026-03-10', config));
    assert.ok(withinCap(['2026-03-02'], '2026-03-01', '2026-03-16', config), 'the day-10 send does not count against the sleeping cap');
    assert.ok(!withinCap(['2026-03-16'], '2026-03-01', '2026-03-20', config));
    assert.ok(!withinCap([], '2026-01-01', '2026-03-20', config), 'churned');
  });

  it('config refuses zero caps and quiet hours that are empty or cover the passes', () => {
    assert.ok(remindersConfigSchema.safeParse(config).success);
    assert.ok(!remindersConfigSchema.safeParse({ ...config, quietStart: 8, quietEnd: 8 }).success);
    assert.ok(!remindersConfigSchema.safeParse({ ...config, caps: { ...config.caps, normal: { count: 0, days: 7 } } }).success);
    assert.ok(!remindersConfigSchema.safeParse({ ...config, quietStart: 19, quietEnd: 8 }).success, 'the 20:00 pass would be quiet');
    assert.ok(isQuietHour(config, 23) && isQuietHour(config, 7) && !isQuietHour(config, 8) && !isQuietHour(config, 21));
  });

  it('config refuses an empty gift pack and absence campaigns only churned members would reach', () => {
    const gift = config.campaigns['return-gift'];
    const withGift = (changes: object) => ({ ...config, campaigns: { ...config.campaigns, 'return-gift': { ...gift, ...changes } } });
    assert.ok(!remindersConfigSchema.safeParse(withGift({ pack: { points: 0, makeupCards: 0, couponKey: null } })).success);
    assert.ok(remindersConfigSchema.safeParse(withGift({ pack: { points: 0, makeupCards: 1, couponKey: null } })).success);
    assert.ok(!remindersConfigSchema.safeParse(withGift({ afterDays: 31 })).success);
    assert.ok(remindersConfigSchema.safeParse(withGift({ afterDays: 30 })).success);
    assert.ok(!remindersConfigSchema.safeParse(withGift({ validDays: 0 })).success);
  });
});
