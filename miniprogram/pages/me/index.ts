import type { Profile } from '../../../typings/api';
import { api } from '../../api/client';
import { TIER_LABELS, messageFor } from '../../utils/messages';

const ROLE_LABELS = { operator: '运营人员', staff: '门店店员' } as const;
const BADGE_LABELS: Record<string, string> = { 'streak-7': '连签7天', 'streak-30': '连签30天', 'streak-100': '连签100天' };

/** "我的": membership details, and the back-office role operators granted, if any. */
Component({
  data: {
    error: '',
    profile: null as Profile | null,
    tierLabel: '',
    roleLabel: '',
    badgeText: '',
  },
  methods: {
    async onShow() {
      const reply = await api.member.home();
      if (!reply.ok) {
        this.setData({ error: messageFor(reply.code) });
        return;
      }
      const role = reply.data.role;
      this.setData({
        error: '',
        profile: reply.data,
        tierLabel: TIER_LABELS[reply.data.tier],
        roleLabel: role ? `${ROLE_LABELS[role.role]}${role.storeId ? ` · ${role.storeId}` : ''}` : '',
        badgeText: reply.data.badges.map((b) => BADGE_LABELS[b] ?? b).join('、') || '暂无，连续签到7天解锁',
      });
    },
  },
});
