import { api } from '../../api/client';
import { remoteData } from '../../behaviors/remote-data';
import { dealRow } from '../../utils/groups';

/** Group-buying deals on today: tap one to open a group or join a friend's. */
Component({
  behaviors: [remoteData],
  data: { rows: [] as ReturnType<typeof dealRow>[] },
  methods: {
    onLoad() {
      return this.load();
    },
    load() {
      return this.request(api.member.groupDeals(), (deals) => ({ rows: deals.map(dealRow) }));
    },
    onOpen(e: WechatMiniprogram.BaseEvent) {
      return wx.navigateTo({ url: `/deals/detail/index?id=${String(e.currentTarget.dataset['id'])}` });
    },
    onShareAppMessage() {
      return { title: '拼团特惠，邀好友一起买更便宜', path: '/deals/list/index' };
    },
  },
});
