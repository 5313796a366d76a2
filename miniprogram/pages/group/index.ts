import { api, newRequestId } from '../../api/client';
import { remoteData } from '../../behaviors/remote-data';
import { ticking } from '../../behaviors/ticking';
import { countdownText } from '../../utils/format';
import { type GroupRow, groupRow } from '../../utils/groups';
import { messageFor } from '../../utils/messages';
import { askForSubscriptions } from '../../utils/subscribe';
import { PAYMENT_NOTICES, followOrder, payOrder } from '../../utils/payment';

/**
 * A group, and the landing page of its share: who is in it, how long it has left, and —
 * for a friend — joining it (a seat held while they pay). Members in it share it onwards.
 */
Component({
  behaviors: [remoteData, ticking],
  data: {
    id: '',
    group: null as GroupRow | null,
    endsAt: 0,
    countdown: '',
    canJoin: false,
    canShare: false,
    busy: false,
    requestId: '',
    notice: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ id: query['id'] ?? '' });
      return this.load();
    },
    onShow() {
      this.startTicking();
    },
    onHide() {
      this.stopTicking();
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
      const requestId = this.data.requestId || newRequestId();
      this.setData({ busy: true, requestId, notice: '' });
      const seat = await api.member.joinGroup(this.data.id, requestId);
      if (!seat.ok) {
        this.setData({ busy: false, requestId: seat.code === 'NETWORK_ERROR' ? requestId : '', notice: messageFor(seat.code) });
        if (seat.code !== 'NETWORK_ERROR') await this.load();
        return;
      }
      const outcome = await payOrder(seat.data.order);
      if (outcome !== 'paid') {
        this.setData({ busy: false, notice: PAYMENT_NOTICES[outcome] });
        return;
      }
      await followOrder(seat.data.order.orderId);
      this.setData({ busy: false, requestId: '' });
      await this.load();
    },
    onDeals() {
      return wx.navigateTo({ url: '/pages/deals/index' });
    },
    onShareAppMessage() {
      const g = this.data.group;
      return {
        title: g ? `还差${g.seatsLeft}人！¥${g.priceYuan} 拼「${g.title}」` : '一起拼团',
        path: `/pages/group/index?id=${this.data.id}`,
      };
    },
  },
});
