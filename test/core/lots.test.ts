import assert from 'node:assert/strict';
import fc from 'fast-check';
import { expiredLots, nextExpiry, remainingLots } from '../../core/points/lots';

const at = new Date(0);
const earn = (delta: number, expiresOn: string) => ({ delta, expiresOn, at });
const spend = (delta: number) => ({ delta: -delta, expiresOn: null, at });

describe('points lots (oldest first)', () => {
  it('spending consumes the lots that expire first', () => {
    assert.deepEqual(remainingLots([earn(100, '2027-01-31'), earn(50, '2027-02-28'), spend(120)]), [
      { expiresOn: '2027-02-28', remaining: 30 },
    ]);
  });

  it('only what is left of a lot past its last day expires', () => {
    const entries = [earn(100, '2027-01-31'), earn(50, '2027-02-28'), spend(30)];
    assert.deepEqual(expiredLots(entries, '2027-01-31'), []);
    assert.deepEqual(expiredLots(entries, '2027-02-01'), [{ expiresOn: '2027-01-31', remaining: 70 }]);
  });

  it('after the expiry entry is written nothing more expires (a re-run is a no-op)', () => {
    const entries = [earn(100, '2027-01-31'), spend(30), spend(70)];
    assert.deepEqual(expiredLots(entries, '2027-03-01'), []);
  });

  it('shows the next points to expire', () => {
    assert.deepEqual(nextExpiry([earn(10, '2027-01-31'), earn(20, '2027-02-28')], '2027-02-01'), {
      expiresOn: '2027-02-28',
      remaining: 20,
    });
  });

  it('what remains always equals the balance when nothing is overspent', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 12 })), { maxLength: 20 }),
        fc.integer({ min: 0, max: 100 }),
        (earnings, spendPercent) => {
          const entries = earnings.map(([points, month]) => earn(points, `2027-${String(month).padStart(2, '0')}-28`));
          const total = entries.reduce((s, e) => s + e.delta, 0);
          const spent = Math.floor((total * spendPercent) / 100);
          const left = remainingLots([...entries, spend(spent)]).reduce((s, l) => s + l.remaining, 0);
          return left === total - spent;
        },
      ),
    );
  });
});
