import assert from 'node:assert/strict';
import { DEFAULT_DISTRIBUTION_CONFIG, closesLoop, commissionPoints, distributionConfigSchema } from '../../core/distribution/commission';

describe('distribution rules', () => {
  it('the commission is the rate of what the friend paid, in points, rounded down', () => {
    assert.equal(commissionPoints(9900, DEFAULT_DISTRIBUTION_CONFIG), 99, '10 % of 99元 = 9.9元 = 99 points');
    assert.equal(commissionPoints(6930, { ratePercent: 5, pointsPerYuan: 10 }), 34);
    assert.equal(commissionPoints(9, DEFAULT_DISTRIBUTION_CONFIG), 0);
  });

  it('self-referral and loops earn nothing', () => {
    assert.equal(closesLoop('o-a', 'o-a', []), true);
    assert.equal(closesLoop('o-a', 'o-b', ['o-a']), true, 'A brought B; B sharing back to A is a loop');
    assert.equal(closesLoop('o-a', 'o-c', ['o-b', 'o-a']), true);
    assert.equal(closesLoop('o-a', 'o-b', ['o-c']), false);
  });

  it('operators cannot set a negative or absurd rate', () => {
    for (const fields of [{ ratePercent: -1 }, { ratePercent: 80 }, { pointsPerYuan: 0 }, { refundWindowDays: -1 }])
      assert.equal(
        distributionConfigSchema.safeParse({ ...DEFAULT_DISTRIBUTION_CONFIG, ...fields }).success,
        false,
        JSON.stringify(fields),
      );
  });
});
