import assert from 'node:assert/strict';
import { beijingDate, beijingTime, lastValidDay, reasonText } from '../../miniprogram/utils/format';

describe('dates and times pages show, in Beijing time', () => {
  it('00:30 in Beijing is already the next day, though UTC is still on the day before', () => {
    assert.equal(beijingDate('2026-03-09T16:30:00.000Z'), '2026-03-10');
    assert.equal(beijingTime('2026-03-09T16:30:00.000Z'), '00:30');
  });

  it('the last second before Beijing midnight stays on its day', () => {
    assert.equal(beijingDate('2026-03-09T15:59:59.999Z'), '2026-03-09');
    assert.equal(beijingTime('2026-03-09T15:59:59.999Z'), '23:59');
  });

  it('a coupon valid to the exclusive midnight is usable through the day before', () => {
    assert.equal(lastValidDay('2026-04-09T16:00:00.000Z'), '2026-04-09');
  });

  it('year end: 31 Dec 16:00 UTC is New Year in Beijing', () => {
    assert.equal(beijingDate('2026-12-31T16:00:00.000Z'), '2027-01-01');
  });

  it('a points line says in Chinese why it moved; a refund taking points back is not “returned”', () => {
    assert.equal(reasonText('commission', 99), '分享佣金');
    assert.equal(reasonText('reversal', 100), '退还');
    assert.equal(reasonText('reversal', -49), '退款扣回');
  });
});
