import type { PayOrderView } from '../../typings/api';
import type { Reply } from '../../typings/envelope';
import { newRequestId } from '../api/client';
import { messageFor } from '../utils/messages';
import { PAYMENT_NOTICES, followOrder, payOrder } from '../utils/payment';

/**
 * A page that buys through WeChat Pay: `payThrough(create, orderOf)` asks the server for the
 * order (one request id per intent — kept when the reply was lost or the payment did not go
 * through, so the next tap resumes the same order, and cleared once paid), pays it with
 * `wx.requestPayment`, and waits until the payment is booked. `busy` and `notice` are
 * the page's. Returns the server's reply once paid, else null.
 */
export const paying = Behavior({
  data: { busy: false, requestId: '', notice: '' },
  methods: {
    async payThrough<T>(create: (requestId: string) => Promise<Reply<T>>, orderOf: (reply: T) => PayOrderView): Promise<T | null> {
      if (this.data.busy) return null;
      const requestId = this.data.requestId || newRequestId();
      this.setData({ busy: true, requestId, notice: '' });
      const created = await create(requestId);
      if (!created.ok) {
        this.setData({ busy: false, requestId: created.code === 'NETWORK_ERROR' ? requestId : '', notice: messageFor(created.code) });
        return null;
      }
      const order = orderOf(created.data);
      const outcome = await payOrder(order);
      if (outcome !== 'paid') {
        this.setData({ busy: false, notice: PAYMENT_NOTICES[outcome] });
        return null;
      }
      await followOrder(order.orderId);
      this.setData({ busy: false, requestId: '' });
      return created.data;
    },
  },
});
