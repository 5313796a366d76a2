import type { OrderTab, OrderView } from '../../../typings/api';
import { api } from '../../api/client';
import { pagedList } from '../../behaviors/paged-list';
import { beijingDate } from '../../utils/format';
import { ORDER_STATUS_TEXT, ORDER_TABS, paidText } from '../../utils/orders';

/** The one thing to do next, by status (the order's page does it). */
const ROW_ACTIONS: Partial<Record<OrderView['status'], string>> = {
  unpaid: '去支付',
  shipped: '查看物流',
  unused: '去使用',
};

/** What an order row shows. */
const toRow = (o: OrderView) => ({
  id: o.id,
  title: o.title,
  image: o.image,
  coupon: o.kind === 'coupon',
  paidText: paidText(o),
  voucherCode: o.voucherCode,
  status: o.status,
  statusText: ORDER_STATUS_TEXT[o.status],
  deliveryText: o.delivery === 'express' ? '快递配送' : o.delivery === 'pickup' ? '到店自提' : o.kind === 'coupon' ? '优惠券' : '虚拟商品',
  action: ROW_ACTIONS[o.status] ?? (o.voucherCode ? '查看券码' : ''),
  day: beijingDate(o.at),
});

/**
 * 我的订单: everything the member redeemed or bought — goods, virtual goods, coupons, WeChat
 * Pay orders — by tab (全部 / 待付款 / 待发货 / 已发货 / 已完成 / 退款; `?tab=` opens one).
 * A coupon opens its code; anything else its order page (pay, cancel, follow the parcel).
 */
Component({
  behaviors: [pagedList],
  data: { tabs: ORDER_TABS, tab: 'all' as OrderTab },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const tab = ORDER_TABS.find((t) => t.key === query['tab']);
      if (tab) this.setData({ tab: tab.key });
    },
    onShow() {
      return this.load();
    },
    onTab(e: WechatMiniprogram.BaseEvent) {
      this.setData({ tab: e.currentTarget.dataset['tab'] as OrderTab, rows: [], loading: true });
      return this.load();
    },
    onOpen(e: WechatMiniprogram.TouchEvent) {
      const { id, coupon } = e.currentTarget.dataset as { id: string; coupon: boolean };
      return wx.navigateTo({ url: coupon ? `/pages/coupon/index?id=${id}` : `/pages/order/index?id=${encodeURIComponent(id)}` });
    },
    async fetchPage(page: number) {
      const reply = await api.member.myOrders(this.data.tab, page);
      return reply.ok ? { ok: true as const, data: { rows: reply.data.orders.map(toRow), hasMore: reply.data.hasMore } } : reply;
    },
  },
});
