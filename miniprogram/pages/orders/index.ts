import type { OrderStatus, OrderView } from '../../../typings/api';
import { api } from '../../api/client';
import { beijingDate } from '../../utils/format';
import { messageFor } from '../../utils/messages';

const STATUS_LABELS: Record<OrderStatus, string> = { pending: '待发货', shipped: '已发货', pickedUp: '已自提', done: '已完成', cancelled: '已取消（积分已退回）' };

interface Row extends OrderView {
  statusText: string;
  day: string;
}

/** Gifts and virtual goods the member redeemed, with delivery status and voucher codes. */
Component({
  data: { rows: [] as Row[], page: 0, hasMore: false, error: '' },
  methods: {
    onShow() {
      return this.loadPage(0);
    },
    onReachBottom() {
      return this.data.hasMore ? this.loadPage(this.data.page + 1) : undefined;
    },
    async loadPage(page: number) {
      const reply = await api.member.myOrders(page);
      if (!reply.ok) {
        this.setData({ error: messageFor(reply.code) });
        return;
      }
      const rows = reply.data.orders.map((o) => ({ ...o, statusText: STATUS_LABELS[o.status], day: beijingDate(o.at) }));
      this.setData({ error: '', page, hasMore: reply.data.hasMore, rows: page === 0 ? rows : [...this.data.rows, ...rows] });
    },
  },
});
