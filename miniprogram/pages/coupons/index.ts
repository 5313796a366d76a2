import type { CouponState, CouponView } from '../../../typings/api';
import { api } from '../../api/client';
import { pagedList } from '../../behaviors/paged-list';
import { lastValidDay, yuan } from '../../utils/format';
import { TIER_LABELS } from '../../utils/messages';

const TABS: { key: CouponState; label: string }[] = [
  { key: 'unused', label: '未使用' },
  { key: 'used', label: '已使用' },
  { key: 'expired', label: '已过期' },
];

/** The coupon's face: the big figure and what it needs (`¥20` / `满100可用`, `8.5折` / `最高减50`). */
function face(rule: CouponView['rule']): { figure: string; unit: string; condition: string } {
  if (rule.type === 'discount')
    return {
      figure: String(rule.percent / 10),
      unit: '折',
      condition: rule.maxOff === undefined ? '全场可用' : `最高减${yuan(rule.maxOff)}`,
    };
  return { figure: yuan(rule.amount), unit: '¥', condition: rule.type === 'threshold' ? `满${yuan(rule.threshold)}可用` : '无门槛' };
}

/** What a wallet card shows: its face, title, validity, where and for whom it works, and whether it ends soon. */
const toRow = (c: CouponView) => ({
  id: c.id,
  title: c.title,
  ...face(c.rule),
  until: lastValidDay(c.validTo),
  scope: [
    c.storeIds.length ? '限指定门店' : '全部门店可用',
    c.minTier !== 'bronze' ? `${TIER_LABELS[c.minTier].replace('会员', '')}及以上可用` : '',
  ]
    .filter(Boolean)
    .join(' · '),
  soon: c.expiresSoon,
});

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
