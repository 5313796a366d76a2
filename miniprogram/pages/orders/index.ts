import type { OrderStatus, OrderView } from '../../../typings/api';
import { api } from '../../api/client';
import { pagedList } from '../../behaviors/paged-list';
import { beijingDate } from '../../utils/format';

const STATUS_LABELS: Record<OrderStatus, string> = {
  pending: '待发货',
  shipped: '已发货',
  pickedUp: '已自提',
  done: '已完成',
  cancelled: '已取消（积分已退回）',
};

/** What an order row shows. */
const toRow = (o: OrderView) => ({
  id: o.id,
  itemId: o.itemId,
  title: o.title,
  price: o.price,
  voucherCode: o.voucherCode,
  statusText: STATUS_LABELS[o.status],
  day: beijingDate(o.at),
});

/** Gifts and virtual goods the member redeemed, with delivery status and voucher codes. */
Component({
  behaviors: [pagedList],
  methods: {
    onShow() {
      return this.load();
    },
    async fetchPage(page: number) {
      const reply = await api.member.myOrders(page);
      return reply.ok ? { ok: true as const, data: { rows: reply.data.orders.map(toRow), hasMore: reply.data.hasMore } } : reply;
    },
  },
});
