import type { MallItemView, PayOrderView, RedeemResult } from '../../../typings/api';
import { api, newRequestId } from '../../api/client';
import { remoteData } from '../../behaviors/remote-data';
import { priceText, yuan } from '../../utils/format';
import { messageFor } from '../../utils/messages';
import { PAYMENT_NOTICES, followOrder, payOrder } from '../../utils/payment';

type Stage = 'view' | 'confirm' | 'redeeming' | 'paying' | 'done';

/**
 * An item, its redeem confirmation and the result. One request id per confirmation: a
 * retry after a network error resends it, so the member cannot be charged twice.
 */
Component({
  behaviors: [remoteData],
  data: {
    id: '',
    item: null as (MallItemView & { shareCode: string }) | null,
    buttonText: '立即兑换',
    stage: 'view' as Stage,
    requestId: '',
    result: null as RedeemResult | null,
    /** A WeChat Pay order after payment (null while its notification is still on its way). */
    paid: null as PayOrderView | null,
    priceText: '',
    /** Why the last redemption did not go through. */
    notice: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ id: query['id'] ?? '' });
      // Viewing an item counts towards the "browse products" task (deduped per item per day server-side).
      void api.member.track({ event: 'browse_product', productId: this.data.id });
      // Opened from a friend's share: the friend may earn a commission if this member buys (分销).
      if (query['ref']) void api.member.openReferral(this.data.id, query['ref']);
      return this.load();
    },
    load() {
      return this.request(api.member.mallItem(this.data.id), (item) => ({
        item,
        priceText: priceText(item),
        buttonText: item.blockedText
          ? item.blockedText
          : item.memberCashPrice === null
            ? '立即兑换'
            : item.kind === 'physical'
              ? `立即购买 ¥${yuan(item.memberCashPrice)}`
              : `微信支付 ¥${yuan(item.memberCashPrice)}`,
      }));
    },
    /** Shares carry the member's referral code: a friend who buys through it earns them a commission. */
    onShareAppMessage() {
      return { title: this.data.item?.title ?? '积分商城', path: `/pages/item/index?${this.shareQuery()}` };
    },
    onShareTimeline() {
      return { title: this.data.item?.title ?? '积分商城', query: this.shareQuery() };
    },
    shareQuery() {
      const code = this.data.item?.shareCode;
      return code ? `id=${this.data.id}&ref=${code}` : `id=${this.data.id}`;
    },
    onRedeem() {
      // Goods go through 确认订单: where to send them (or collect them), and the breakdown.
      if (this.data.item?.kind === 'physical') return wx.navigateTo({ url: `/pages/checkout/index?id=${this.data.id}` });
      if (this.data.item?.cashPrice !== null) return this.onBuy();
      this.setData({ stage: 'confirm', requestId: newRequestId(), notice: '' });
      return undefined;
    },
    /**
     * Buys with WeChat Pay: the server prepares the order (one request id per tap, kept if
     * the reply is lost), `wx.requestPayment` takes the money, and the page follows the
     * order until WeChat Pay's notification has fulfilled it.
     */
    async onBuy() {
      if (this.data.stage === 'paying') return;
      const requestId = this.data.requestId || newRequestId();
      this.setData({ stage: 'paying', requestId, notice: '' });
      const created = await api.member.createPayOrder(this.data.id, requestId);
      if (!created.ok) {
        this.setData({ stage: 'view', requestId: created.code === 'NETWORK_ERROR' ? requestId : '', notice: messageFor(created.code) });
        return;
      }
      const outcome = await payOrder(created.data);
      if (outcome !== 'paid') {
        this.setData({ stage: 'view', notice: PAYMENT_NOTICES[outcome] });
        return;
      }
      this.setData({ stage: 'done', paid: await followOrder(created.data.orderId), requestId: '' });
      await this.load(); // the stock and the member's limit as they are now
    },
    onCancel() {
      this.setData({ stage: 'view', requestId: '' });
    },
    async onConfirm() {
      if (this.data.stage === 'redeeming') return;
      this.setData({ stage: 'redeeming', notice: '' });
      const reply = await api.member.redeem(this.data.id, this.data.requestId);
      if (reply.ok) {
        this.setData({ stage: 'done', result: reply.data });
        await this.load(); // the stock and the member's limit as they are now
        return;
      }
      // Only a lost reply keeps the request id: the same tap is retried, not a new redemption.
      const retry = reply.code === 'NETWORK_ERROR';
      this.setData({ stage: retry ? 'confirm' : 'view', requestId: retry ? this.data.requestId : '', notice: messageFor(reply.code) });
      if (!retry) await this.load();
    },
    /** 积分不足: the tasks tab, where points are earned. */
    onEarnMore() {
      return wx.switchTab({ url: '/pages/tasks/index' });
    },
    onViewCoupon() {
      return wx.navigateTo({ url: `/pages/coupon/index?id=${this.data.result?.couponId ?? this.data.paid?.couponId ?? ''}` });
    },
  },
});
