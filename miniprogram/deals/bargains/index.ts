import type { BargainDealView } from '../../../typings/api';
import { api } from '../../api/client';
import { remoteData } from '../../behaviors/remote-data';
import { yuan } from '../../utils/format';
import { messageFor } from '../../utils/messages';

const toRow = (d: BargainDealView) => ({ ...d, floorYuan: yuan(d.floorPrice), listYuan: yuan(d.listPrice) });

/** Bargaining deals on today: start one (or go back to yours) and share it with friends. */
Component({
  behaviors: [remoteData],
  data: { rows: [] as ReturnType<typeof toRow>[], notice: '' },
  methods: {
    onShow() {
      return this.load();
    },
    load() {
      return this.request(api.member.bargainDeals(), (deals) => ({ rows: deals.map(toRow) }));
    },
    async onStart(e: WechatMiniprogram.BaseEvent) {
      const reply = await api.member.startBargain(String(e.currentTarget.dataset['id']));
      if (!reply.ok) {
        this.setData({ notice: messageFor(reply.code) });
        return;
      }
      await wx.navigateTo({ url: `/deals/bargain/index?id=${reply.data.bargainId}` });
    },
  },
});
