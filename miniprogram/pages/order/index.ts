import type { OrderDetail } from '../../../typings/api';
import { api } from '../../api/client';
import { remoteData } from '../../behaviors/remote-data';
import { ticking } from '../../behaviors/ticking';
import { addressText, maskedTel } from '../../utils/address';
import { beijingDateTime } from '../../utils/format';
import { messageFor } from '../../utils/messages';
import { ORDER_STATUS_TEXT, paidText } from '../../utils/orders';
import { PAYMENT_NOTICES, followOrder, payOrder } from '../../utils/payment';

/** What the banner says under the status, by status. */
const STATUS_HINTS: Partial<Record<OrderDetail['status'], string>> = {
  pending: '商家正在备货，发货后可在此查看物流',
  shipped: '包裹已发出，请留意查收',
  pickedUp: '已在门店领取',
  done: '感谢你的支持，期待再次光临',
  grouping: '拼团成功后为你安排发货，未成团将自动退款',
  closed: '订单已关闭，占用的库存和积分已退回',
  refunding: '退款处理中，款项将原路退回',
  refunded: '退款已原路退回，请留意微信支付通知',
  cancelled: '订单已取消',
};

/**
 * 订单详情: where the order stands (an unpaid one counts down to its close), where it goes
 * (the address, or 到店自提), the parcel once shipped, what was paid, and the timeline; an
 * unpaid order is paid (`wx.requestPayment`) or cancelled here.
 */
Component({
  behaviors: [remoteData, ticking],
  data: {
    id: '',
    order: null as OrderDetail | null,
    statusText: '',
    hint: '',
    addressLine: '',
    tel: '',
    paidText: '',
    orderNo: '',
    steps: [] as { text: string; time: string; key: number }[],
    /** When an unpaid order closes, on this phone's clock (from the server's seconds left when it answered). */
    closesAt: 0,
    busy: false,
    notice: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const done = query['done'];
      this.setData({
        id: decodeURIComponent(query['id'] ?? ''),
        notice: done === 'paid' ? '支付成功' : done === 'redeemed' ? '兑换成功' : '',
      });
      return this.load();
    },
    load() {
      const loadedAt = Date.now();
      return this.request(api.member.myOrder(this.data.id), (order) => {
        return {
          order,
          closesAt: order.secondsLeft === null ? 0 : loadedAt + order.secondsLeft * 1000,
          statusText: ORDER_STATUS_TEXT[order.status],
          hint: order.secondsLeft === null ? (STATUS_HINTS[order.status] ?? '') : payWithin(order.secondsLeft),
          addressLine: order.address ? addressText(order.address) : '',
          tel: order.address ? maskedTel(order.address.telNumber) : '',
          paidText: paidText(order),
          // A WeChat Pay order's number is the one its payment shows; a points order's id is internal.
          orderNo: order.payOrderId ?? '',
          steps: [...order.timeline].reverse().map((s, key) => ({ text: s.text, time: beijingDateTime(s.at), key })),
        };
      });
    },
    /** An unpaid order counts down to its close (the server decides when; this only shows it), then reloads. */
    tick() {
      if (this.data.order?.status !== 'unpaid') return;
      const left = Math.max(0, Math.floor((this.data.closesAt - Date.now()) / 1000));
      this.setData({ hint: payWithin(left) });
      if (left === 0) void this.load();
    },
    async onPay() {
      const order = this.data.order;
      if (!order?.payment || this.data.busy) return;
      this.setData({ busy: true, notice: '' });
      const outcome = await payOrder({ payment: order.payment, state: 'created' });
      if (outcome !== 'paid') {
        this.setData({ busy: false, notice: PAYMENT_NOTICES[outcome] });
        return;
      }
      await followOrder(order.payOrderId ?? order.id);
      this.setData({ busy: false, notice: '支付成功' });
      await this.load();
    },
    async onCancel() {
      const order = this.data.order;
      if (!order?.payOrderId || this.data.busy) return;
      const { confirm } = await wx.showModal({
        title: '取消订单',
        content: '取消后订单将关闭，占用的库存和积分会退回。确定取消吗？',
        confirmText: '取消订单',
        cancelText: '再想想',
      });
      if (!confirm) return;
      this.setData({ busy: true, notice: '' });
      const reply = await api.member.cancelOrder(order.payOrderId);
      this.setData({ busy: false, notice: reply.ok ? '订单已取消' : messageFor(reply.code) });
      await this.load();
    },
    async onConfirmReceipt() {
      const order = this.data.order;
      if (!order || this.data.busy) return;
      const { confirm } = await wx.showModal({
        title: '确认收货',
        content: '请确认已收到商品，确认后订单完成。',
        confirmText: '确认收货',
        cancelText: '还没收到',
      });
      if (!confirm) return;
      this.setData({ busy: true, notice: '' });
      const reply = await api.member.confirmReceipt(order.id);
      this.setData({ busy: false, notice: reply.ok ? '已确认收货，感谢你的支持' : messageFor(reply.code) });
      await this.load();
    },
    onCopyOrderNo() {
      if (this.data.orderNo) void wx.setClipboardData({ data: this.data.orderNo });
    },
    onCopyTracking() {
      const no = this.data.order?.shipping?.trackingNo;
      if (no) void wx.setClipboardData({ data: no });
    },
    onItem() {
      return wx.navigateTo({ url: `/pages/item/index?id=${this.data.order?.itemId ?? ''}` });
    },
  },
});

const payWithin = (seconds: number) =>
  seconds > 0
    ? `请在 ${Math.floor(seconds / 60)} 分 ${String(seconds % 60).padStart(2, '0')} 秒内完成支付，超时订单将自动关闭`
    : '订单已超时，正在关闭';
