import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addDays, beijingDay, daysBetween, fromWechatPayTime, startOfBeijingDay, wechatPayTime } from '../../core/time/beijing';

describe('Beijing business day', () => {
  it('23:59:59 and 00:00:01 Beijing are two days', () => {
    assert.equal(beijingDay(new Date('2026-03-01T15:59:59Z')), '2026-03-01');
    assert.equal(beijingDay(new Date('2026-03-01T16:00:01Z')), '2026-03-02');
  });

  it('15:59 UTC and 16:01 UTC fall on two Beijing days', () => {
    assert.notEqual(beijingDay(new Date('2026-07-10T15:59:00Z')), beijingDay(new Date('2026-07-10T16:01:00Z')));
  });

  it('a day starts at 16:00 UTC of the day before', () => {
    assert.equal(startOfBeijingDay('2026-01-01').toISOString(), '2025-12-31T16:00:00.000Z');
  });

  it('crosses month, year and leap-day boundaries', () => {
    assert.equal(addDays('2028-02-28', 1), '2028-02-29');
    assert.equal(addDays('2026-12-31', 1), '2027-01-01');
    assert.equal(daysBetween('2026-01-25', '2026-03-01'), 35);
  });

  it('every instant lies within the day it maps to', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), (instant) => {
        const day = beijingDay(instant);
        const start = startOfBeijingDay(day).getTime();
        return start <= instant.getTime() && instant.getTime() < startOfBeijingDay(addDays(day, 1)).getTime();
      }),
    );
  });

  it('WeChat Pay times are yyyyMMddHHmmss in Beijing, to the second, and read back; anything else is no time', () => {
    assert.equal(wechatPayTime(new Date('2026-05-10T16:15:00.900Z')), '20260511001500');
    assert.equal(fromWechatPayTime('20260511001500')?.toISOString(), '2026-05-10T16:15:00.000Z');
    for (const bad of ['', '2026051100150', '20261340001500', '20260511 01500', 'x']) assert.equal(fromWechatPayTime(bad), null, bad);
  });
});
