import assert from 'node:assert/strict';
import { refundConfirmed } from '../../core/orders/order';

describe('WeChat Pay refund confirmation', () => {
  const ok = { returnCode: 'SUCCESS', resultCode: 'SUCCESS' };
  it('reads the cloud reply’s lists and WeChat Pay’s numbered fields alike', () => {
    const listed = { ...ok, outRefundNoList: ['R-other', 'R-1'], refundStatusList: ['PROCESSING', 'SUCCESS'], refundFeeList: [100, 990] };
    assert.equal(refundConfirmed(listed, 'R-1', 990), true);
    const numbered = { ...ok, outRefundNo0: 'R-1', refundStatus0: 'SUCCESS', refundFee0: '990' };
    assert.equal(refundConfirmed(numbered, 'R-1', 990), true);
  });

  it('another number, another amount, a refund still processing or a failed query confirm nothing', () => {
    const reply = { ...ok, outRefundNoList: ['R-1'], refundStatusList: ['SUCCESS'], refundFeeList: [990] };
    assert.equal(refundConfirmed(reply, 'R-2', 990), false);
    assert.equal(refundConfirmed(reply, 'R-1', 1000), false);
    assert.equal(refundConfirmed({ ...reply, refundStatusList: ['PROCESSING'] }, 'R-1', 990), false);
    assert.equal(refundConfirmed({ ...reply, resultCode: 'FAIL' }, 'R-1', 990), false);
    assert.equal(
      refundConfirmed({ ...ok, refundCount: 1, outRefundNoList: [] }, 'R-1', 990),
      false,
      'the empty lists developers have seen',
    );
  });
});
