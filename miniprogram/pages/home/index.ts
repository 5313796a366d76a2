import type { Profile } from '../../../typings/api';
import { api } from '../../api/client';
import { TIER_LABELS, messageFor } from '../../utils/messages';

/** Home: registers the member on first visit and shows their membership card. */
Component({
  data: {
    loading: true,
    error: '',
    profile: null as Profile | null,
    tierLabel: '',
  },
  methods: {
    onLoad() {
      return this.load();
    },
    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh());
    },
    async load() {
      this.setData({ loading: true, error: '' });
      const reply = await api.member.home();
      if (reply.ok) {
        this.setData({ loading: false, profile: reply.data, tierLabel: TIER_LABELS[reply.data.tier] });
      } else {
        this.setData({ loading: false, error: messageFor(reply.code) });
      }
    },
  },
});
