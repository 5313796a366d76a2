import type { OrderView } from '../../../typings/api';
import { api } from '../../api/client';
import { pagedList } from '../../behaviors/paged-list';
import { beijingDate, yuan } from '../../utils/format';

const STATUS_LABELS: Record<OrderView['status'], string> = {
  pending: '待发货',
  shipped: '已发货',
  pickedUp: '已自提',
  done: '已完成',
  cancelled: '已取消（已退回）',
  unused: '未使用',
  used: '已使用',
};

/** What was paid: points, money, or both (`¥9.9 + 100 积分`). */
function paidText(o: OrderView): string {
  const parts = [o.cash !== null ? `¥${yuan(o.cash)}` : '', o.price > 0 || o.cash === null ? `${o.price} 积分` : ''];
  return parts.filter(Boolean).join(' + ');
}

/** What an order row shows. */
const toRow = (o: OrderView) => ({
  id: o.id,
  itemId: o.itemId,
  title: o.title,
  coupon: o.kind === 'coupon',
  paidText: paidText(o),
  voucherCode: o.voucherCode,
  statusText: STATUS_LABELS[o.status],
  day: beijingDate(o.at),
});

/** Everything the member redeemed or bought in the mall — goods, virtual goods, coupons — with what it cost and where it stands. */
Component({
  behaviors: [pagedList],
  methods: {
    onShow() {
      return this.load();
    },
    /** A coupon opens its page (its code for the till); goods have no page of their own yet. */
    onOpen(e: WechatMiniprogram.TouchEvent) {
      const { id, coupon } = e.currentTarget.dataset as { id: string; coupon: boolean };
      if (coupon) void wx.navigateTo({ url: `/pages/coupon/index?id=${id}` });
    },
    async fetchPage(page: number) {
      const reply = await api.member.myOrders(page);
      return reply.ok ? { ok: true as const, data: { rows: reply.data.orders.map(toRow), hasMore: reply.data.hasMore } } : reply;
    },
  },
});
