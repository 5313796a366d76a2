import type { Profile } from '../../../typings/api';
import { api } from '../../api/client';
import { remoteData } from '../../behaviors/remote-data';
import { isDevelopBuild } from '../../api/local';
import { TIER_LABELS } from '../../utils/messages';

const ROLE_LABELS = { operator: '运营人员', staff: '门店店员' } as const;
const BADGE_LABELS: Record<string, string> = { 'streak-7': '连签7天', 'streak-30': '连签30天', 'streak-100': '连签100天' };

/** 我的订单's shortcuts on 我的, each opening its tab. */
const ORDER_SHORTCUTS = [
  { tab: 'unpaid', label: '待付款', icon: 'wallet' },
  { tab: 'toShip', label: '待发货', icon: 'shop' },
  { tab: 'shipped', label: '已发货', icon: 'undertake-delivery' },
  { tab: 'done', label: '已完成', icon: 'check-circle' },
  { tab: 'refund', label: '退款', icon: 'rollback' },
];

/**
 * "我的": the member's card (avatar, name, tier, points, 会员码), their orders by state,
 * their services, and the back-office role operators granted, if any. It only shows the
 * profile (`profile`, read-only): opening this tab is not a visit and hands nothing over —
 * a waiting gift is the home page's to give and show.
 */
Component({
  behaviors: [remoteData],
  data: {
    profile: null as Profile | null,
    tierLabel: '',
    roleLabel: '',
    badgeText: '',
    developBuild: false,
    orderShortcuts: ORDER_SHORTCUTS,
  },
  methods: {
    onShow() {
      this.setData({ developBuild: isDevelopBuild() });
      return this.load();
    },
    load() {
      return this.request(api.member.profile(), (profile) => {
        const role = profile.role;
        return {
          profile,
          tierLabel: TIER_LABELS[profile.tier],
          roleLabel: role ? `${ROLE_LABELS[role.role]}${role.storeName ? ` · ${role.storeName}` : ''}` : '',
          badgeText: profile.badges.map((b) => BADGE_LABELS[b] ?? b).join('、') || '暂无，连续签到7天解锁',
        };
      });
    },
    onOrders(e: WechatMiniprogram.BaseEvent) {
      return wx.navigateTo({ url: `/pages/orders/index?tab=${String(e.currentTarget.dataset['tab'])}` });
    },
    onProfile() {
      return wx.navigateTo({ url: '/pages/profile/index' });
    },
    onTier() {
      return wx.navigateTo({ url: '/pages/tier/index' });
    },
    onMemberCode() {
      return wx.navigateTo({ url: '/pages/member-code/index' });
    },
    onPoints() {
      return wx.navigateTo({ url: '/pages/points/index' });
    },
  },
});
