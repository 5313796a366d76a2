import { api } from '../../api/client';
import { remoteData } from '../../behaviors/remote-data';
import { type GroupRow, groupRow } from '../../utils/groups';

/** The member's groups, newest first: how each stands and where their own order is (paid, confirmed, refunded). */
Component({
  behaviors: [remoteData],
  data: { rows: [] as GroupRow[] },
  methods: {
    onShow() {
      return this.load();
    },
    load() {
      return this.request(api.member.myGroups(), (groups) => ({ rows: groups.map(groupRow) }));
    },
    onOpen(e: WechatMiniprogram.BaseEvent) {
      return wx.navigateTo({ url: `/deals/group/index?id=${String(e.currentTarget.dataset['id'])}` });
    },
  },
});
