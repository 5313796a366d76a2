import type { MallItemView, RedeemResult } from '../../../typings/api';
import { api, newRequestId } from '../../api/client';
import { BLOCKED_LABELS } from '../../utils/format';
import { messageFor } from '../../utils/messages';

type Stage = 'view' | 'confirm' | 'redeeming' | 'done';

/**
 * An item, its redeem confirmation and the result. One request id per confirmation: a
 * retry after a network error resends it, so the member cannot be charged twice.
 */
Component({
  data: {
    id: '',
    item: null as MallItemView | null,
    buttonText: '立即兑换',
    stage: 'view' as Stage,
    requestId: '',
    result: null as RedeemResult | null,
    error: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ id: query['id'] ?? '' });
      // Viewing an item counts towards the "browse products" task (deduped per item per day server-side).
      void api.member.track({ event: 'browse_product', productId: this.data.id });
      return this.load();
    },
    async load() {
      const reply = await api.member.mallItem(this.data.id);
      if (!reply.ok) {
        this.setData({ error: messageFor(reply.code) });
        return;
      }
      const item = reply.data;
      this.setData({ item, buttonText: item.blockedBy ? (BLOCKED_LABELS[item.blockedBy] ?? '暂不可兑') : '立即兑换' });
    },
    onRedeem() {
      this.setData({ stage: 'confirm', requestId: newRequestId(), error: '' });
    },
    onCancel() {
      this.setData({ stage: 'view', requestId: '' });
    },
    async onConfirm() {
      if (this.data.stage === 'redeeming') return;
      this.setData({ stage: 'redeeming', error: '' });
      const reply = await api.member.redeem(this.data.id, this.data.requestId);
      if (reply.ok) {
        this.setData({ stage: 'done', result: reply.data });
        return;
      }
      // Only a lost reply keeps the request id: the same tap is retried, not a new redemption.
      const retry = reply.code === 'NETWORK_ERROR';
      this.setData({ stage: retry ? 'confirm' : 'view', requestId: retry ? this.data.requestId : '', error: messageFor(reply.code) });
      if (!retry) await this.load();
    },
    onViewCoupon() {
      return wx.navigateTo({ url: `/pages/coupon/index?id=${this.data.result?.couponId ?? ''}` });
    },
  },
});
