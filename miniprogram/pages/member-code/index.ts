import type { Profile } from '../../../typings/api';
import type { ErrorCode } from '../../../typings/errors';
import { api } from '../../api/client';
import { remoteData } from '../../behaviors/remote-data';
import { rotatingCode } from '../../behaviors/rotating-code';
import { TIER_LABELS } from '../../utils/messages';

/**
 * 会员码: the member shows it at the till and staff record the purchase from it. It is
 * a QR and 16 digits that change every minute (`rotatingCode`); once staff used this
 * minute's code the page says so and shows the next one when it comes.
 */
Component({
  behaviors: [remoteData, rotatingCode],
  data: { profile: null as Profile | null, tierLabel: '', used: false },
  methods: {
    onLoad() {
      return this.load();
    },
    onShow() {
      if (this.data.profile) this.startCountdown();
    },
    onHide() {
      this.stopCountdown();
    },
    onUnload() {
      this.stopCountdown();
    },
    async load() {
      const ok = await this.request(api.member.profile(), (profile) => ({ profile, tierLabel: TIER_LABELS[profile.tier] }));
      if (!ok) return;
      await this.refreshCode();
      this.startCountdown();
    },
    async fetchCode() {
      const reply = await api.member.memberCode();
      if (reply.ok) this.setData({ used: reply.data.used });
      return reply;
    },
    async codeFailed(code: ErrorCode) {
      this.showCodeError(code);
    },
    onTier() {
      return wx.navigateTo({ url: '/pages/tier/index' });
    },
  },
});
