import type { CouponState, CouponView } from '../../../typings/api';
import { api } from '../../api/client';
import { lastValidDay } from '../../utils/format';
import { messageFor } from '../../utils/messages';

const TABS: { key: CouponState; label: string }[] = [
  { key: 'unused', label: '未使用' },
  { key: 'used', label: '已使用' },
  { key: 'expired', label: '已过期' },
];

interface Row extends CouponView {
  until: string;
}

/** The coupon wallet: unused (soonest to expire first), used, expired; more on demand. */
Component({
  data: { tabs: TABS, state: 'unused' as CouponState, coupons: [] as Row[], page: 0, hasMore: false, error: '' },
  methods: {
    onShow() {
      return this.loadPage(0);
    },
    onReachBottom() {
      return this.data.hasMore ? this.loadPage(this.data.page + 1) : undefined;
    },
    onTab(e: WechatMiniprogram.BaseEvent) {
      this.setData({ state: e.currentTarget.dataset['state'] as CouponState, coupons: [] });
      return this.loadPage(0);
    },
    async loadPage(page: number) {
      const reply = await api.member.myCoupons(this.data.state, page);
      if (!reply.ok) {
        this.setData({ error: messageFor(reply.code) });
        return;
      }
      const rows = reply.data.coupons.map((c) => ({ ...c, until: lastValidDay(c.validTo) }));
      this.setData({ error: '', page, hasMore: reply.data.hasMore, coupons: page === 0 ? rows : [...this.data.coupons, ...rows] });
    },
    onOpen(e: WechatMiniprogram.BaseEvent) {
      return wx.navigateTo({ url: `/pages/coupon/index?id=${String(e.currentTarget.dataset['id'])}` });
    },
  },
});
