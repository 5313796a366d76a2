import type { Profile } from '../../../typings/api';
import { api } from '../../api/client';
import { remoteData } from '../../behaviors/remote-data';
import { isDevelopBuild } from '../../api/local';
import { TIER_LABELS } from '../../utils/messages';

const ROLE_LABELS = { operator: '运营人员', staff: '门店店员' } as const;
const BADGE_LABELS: Record<string, string> = { 'streak-7': '连签7天', 'streak-30': '连签30天', 'streak-100': '连签100天' };

/**
 * "我的": membership details, and the back-office role operators granted, if any. It only
 * shows the profile (`profile`, read-only): opening this tab is not a visit and hands
 * nothing over — a waiting gift is the home page's to give and show.
 */
Component({
  behaviors: [remoteData],
  data: { profile: null as Profile | null, tierLabel: '', roleLabel: '', badgeText: '', developBuild: false },
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
  },
});
