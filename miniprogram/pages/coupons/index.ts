import type { CouponState, CouponView } from '../../../typings/api';
import { api } from '../../api/client';
import { pagedList } from '../../behaviors/paged-list';
import { lastValidDay } from '../../utils/format';

const TABS: { key: CouponState; label: string }[] = [
  { key: 'unused', label: '未使用' },
  { key: 'used', label: '已使用' },
  { key: 'expired', label: '已过期' },
];

/** What a wallet row shows. */
const toRow = (c: CouponView) => ({ id: c.id, ruleText: c.ruleText, title: c.title, until: lastValidDay(c.validTo) });

/** The coupon wallet: unused (soonest to expire first), used, expired; more on reaching the bottom. */
Component({
  behaviors: [pagedList],
  data: { tabs: TABS, state: 'unused' as CouponState },
  methods: {
    onShow() {
      return this.load();
    },
    onTab(e: WechatMiniprogram.BaseEvent) {
      this.setData({ state: e.currentTarget.dataset['state'] as CouponState, rows: [], loading: true });
      return this.load();
    },
    async fetchPage(page: number) {
      const reply = await api.member.myCoupons(this.data.state, page);
      return reply.ok ? { ok: true as const, data: { rows: reply.data.coupons.map(toRow), hasMore: reply.data.hasMore } } : reply;
    },
    onOpen(e: WechatMiniprogram.BaseEvent) {
      return wx.navigateTo({ url: `/pages/coupon/index?id=${String(e.currentTarget.dataset['id'])}` });
    },
  },
});
