import { api } from '../../api/client';
import { paying } from '../../behaviors/paying';
import { remoteData } from '../../behaviors/remote-data';
import { ticking } from '../../behaviors/ticking';
import { countdownText } from '../../utils/format';
import { type GroupRow, groupRow } from '../../utils/groups';
import { askForSubscriptions } from '../../utils/subscribe';

/**
 * A group, and the landing page of its share: who is in it, how long it has left, and —
 * for a friend — joining it (a seat held while they pay). Members in it share it onwards.
 */
Component({
  behaviors: [remoteData, ticking, paying],
  data: {
    id: '',
    group: null as GroupRow | null,
    endsAt: 0,
    countdown: '',
    canJoin: false,
    canShare: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ id: query['id'] ?? '' });
      return this.load();
    },
    load() {
      const loadedAt = Date.now();
      return this.request(api.member.group(this.data.id), (g) => {
        const open = g.state === 'open';
        const seated = g.mine !== null && g.mine.state !== 'expired';
        return {
          group: groupRow(g),
          endsAt: loadedAt + g.secondsLeft * 1000,
          countdown: countdownText(g.secondsLeft),
          canJoin: open && !seated && g.seatsLeft > 0 && g.secondsLeft > 0,
          canShare: open && seated,
        };
      });
    },
    tick() {
      const group = this.data.group;
      if (!group || (group.state !== 'open' && group.state !== 'pending')) return;
      const left = Math.floor((this.data.endsAt - Date.now()) / 1000);
      this.setData({ countdown: countdownText(left) });
      // Time is up: the server decides how it ended.
      if (left === 0) void this.load();
    },
    async onJoin() {
      if (this.data.busy) return;
      // In the tap itself, before anything is awaited (WeChat shows the dialog only then).
      askForSubscriptions([this.data.group?.resultTemplate ?? ''].filter(Boolean));
      await this.payThrough(
        (requestId) => api.member.joinGroup(this.data.id, requestId),
        (seat) => seat.order,
      );
      // Joined or refused (full, ended), the page shows the group as it now is.
      await this.load();
    },
    onDeals() {
      return wx.navigateTo({ url: '/deals/list/index' });
    },
    onShareAppMessage() {
      const g = this.data.group;
      return {
        title: g ? `还差${g.seatsLeft}人！¥${g.priceYuan} 拼「${g.title}」` : '一起拼团',
        path: `/deals/group/index?id=${this.data.id}`,
      };
    },
  },
});
