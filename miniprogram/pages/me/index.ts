import type { Profile } from '../../../typings/api';
import { api } from '../../api/client';
import { TIER_LABELS, messageFor } from '../../utils/messages';

const ROLE_LABELS = { operator: '运营人员', staff: '门店店员' } as const;

/** "我的": membership details, and the back-office role operators granted, if any. */
Component({
  data: {
    error: '',
    profile: null as Profile | null,
    tierLabel: '',
    roleLabel: '',
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
      });
    },
  },
});
