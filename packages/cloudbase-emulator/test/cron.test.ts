import assert from 'node:assert/strict';
import { nextFire, parseCron } from '../src/scheduler/cron';

const next = (cron: string, after: string) => nextFire(parseCron(cron), new Date(after))?.toISOString();

describe('timer cron (7 fields, UTC+8)', () => {
  it('reads hours in Beijing time', () => {
    assert.equal(next('0 0 2 * * * *', '2026-03-01T00:00:00Z'), '2026-03-01T18:00:00.000Z');
  });

  it('fires strictly after the given instant', () => {
    assert.equal(next('0 0 2 * * * *', '2026-03-01T18:00:00Z'), '2026-03-02T18:00:00.000Z');
  });

  it('supports steps, ranges and lists', () => {
    assert.equal(next('0 */5 * * * * *', '2026-03-01T00:01:00Z'), '2026-03-01T00:05:00.000Z');
    assert.equal(next('30 0 9-10 * * * *', '2026-03-01T01:00:31Z'), '2026-03-01T02:00:30.000Z');
    assert.equal(next('0 0 20 1,15 * * *', '2026-03-02T00:00:00Z'), '2026-03-15T12:00:00.000Z');
  });

  it('supports weekday and month names', () => {
    // 2026-03-02 is a Monday in Beijing.
    assert.equal(next('0 0 8 * * MON *', '2026-03-01T00:00:00Z'), '2026-03-02T00:00:00.000Z');
    assert.equal(next('0 0 0 1 JAN * *', '2026-03-01T00:00:00Z'), '2026-12-31T16:00:00.000Z');
  });

  it('honours the year field', () => {
    assert.equal(next('0 0 0 1 1 * 2030', '2026-03-01T00:00:00Z'), '2029-12-31T16:00:00.000Z');
  });

  it('rejects expressions that are not 7 fields or out of range', () => {
    assert.throws(() => parseCron('0 0 2 * * *'), /7 fields/);
    assert.throws(() => parseCron('0 0 25 * * * *'), /out of range/);
  });
});
