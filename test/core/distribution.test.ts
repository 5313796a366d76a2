import assert from 'node:assert/strict';
import { DEFAULT_DISTRIBUTION_CONFIG, distributionConfigSchema } from '../../core/config/distribution';
import { closesLoop, commissionAgrees, commissionPoints } from '../../core/distribution/commission';
import { takeBack } from '../../core/points/ledger';

describe('distribution rules', () => {
  it('the commission is the rate of what the friend paid, in points, rounded down', () => {
    assert.equal(commissionPoints(9900, DEFAULT_DISTRIBUTION_CONFIG), 99, '10 % of 99元 = 9.9元 = 99 points');
    assert.equal(commissionPoints(6930, { ratePercent: 5, pointsPerYuan: 10 }), 34);
    assert.equal(commissionPoints(9, DEFAULT_DISTRIBUTION_CONFIG), 0);
  });

  it('a refunded order takes its paid commission back as far as the sharer’s balance allows, forgiving the rest', () => {
    const now = new Date('2026-05-20T02:00:00Z');
    const reversal = (balance: number) => takeBack('commission-refund:P1', 'o-s', 99, balance, 'P1', now, '2026-05-20');
    const full = reversal(300);
    assert.deepEqual([full.takenBack, full.forgiven, full.lines[0]?.delta, full.lines[0]?._id], [99, 0, -99, 'commission-refund:P1']);
    const part = reversal(49);
    assert.deepEqual([part.takenBack, part.forgiven, part.lines[0]?.delta], [49, 50, -49]);
    const none = reversal(0);
    assert.deepEqual([none.takenBack, none.forgiven, none.lines], [0, 99, []]);
  });

  it('a commission agrees with its order only in the pairs the rules allow', () => {
    assert.equal(commissionAgrees('pending', 'fulfilled'), true);
    assert.equal(commissionAgrees('paid', 'refunding'), true, 'taken back when the money has gone back');
    assert.equal(commissionAgrees('paid', 'refunded'), false, 'a refunded order keeps no commission');
    assert.equal(commissionAgrees('cancelled', 'fulfilled'), false);
    assert.equal(commissionAgrees('reversed', 'refunded'), true);
    assert.equal(commissionAgrees('pending', undefined), false, 'a commission without its order');
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
