import type { BargainView } from '../../../typings/api';
import { api } from '../../api/client';
import { paying } from '../../behaviors/paying';
import { remoteData } from '../../behaviors/remote-data';
import { ticking } from '../../behaviors/ticking';
import { countdownText, yuan } from '../../utils/format';
import { messageFor } from '../../utils/messages';

const STATES: Record<BargainView['state'], string> = { open: '', bought: '已购买', expired: '砍价已结束' };

/** What the page shows of a bargain. */
function bargainData(b: BargainView, loadedAt: number) {
  const atFloor = b.price <= b.floorPrice;
  const range = b.listPrice - b.floorPrice;
  return {
    // How far friends have cut towards the floor price, for the progress bar.
    progress: range > 0 ? Math.min(100, Math.round(((b.listPrice - b.price) / range) * 100)) : 100,
    cutSoFarYuan: yuan(b.listPrice - b.price),
    toFloorText: atFloor ? '已砍到底价' : `再砍 ¥${yuan(b.price - b.floorPrice)} 到底价`,
    bargain: { ...b, helps: b.helps.map((h) => ({ ...h, cutYuan: yuan(h.cut) })) },
    priceYuan: yuan(b.price),
    listYuan: yuan(b.listPrice),
    floorYuan: yuan(b.floorPrice),
    endsAt: loadedAt + b.secondsLeft * 1000,
    countdown: countdownText(b.secondsLeft),
    stateText: STATES[b.state] || (atFloor ? '已砍到底价' : b.mine ? '分享给好友，每人可帮砍一刀' : ''),
    canHelp: b.state === 'open' && !atFloor && b.myCut === null,
    cutText: b.myCut !== null && !b.mine ? `你帮 TA 砍掉了 ¥${yuan(b.myCut)}` : '',
  };
}

/**
 * A bargain: the owner shares it and buys at the price reached; a friend landing from the
 * share cuts it once (the server draws the amount). One request id per buy tap, kept only
 * when the reply was lost or the payment did not go through.
 */
Component({
  behaviors: [remoteData, ticking, paying],
  data: {
    id: '',
    bargain: null as ReturnType<typeof bargainData>['bargain'] | null,
    priceYuan: '',
    listYuan: '',
    floorYuan: '',
    endsAt: 0,
    countdown: '',
    stateText: '',
    canHelp: false,
    cutText: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ id: query['id'] ?? '' });
      return this.load();
    },
    load() {
      const loadedAt = Date.now();
      return this.request(api.member.bargain(this.data.id), (b) => bargainData(b, loadedAt));
    },
    tick() {
      if (this.data.bargain?.state !== 'open') return;
      const left = Math.floor((this.data.endsAt - Date.now()) / 1000);
      this.setData({ countdown: countdownText(left) });
      if (left === 0) void this.load();
    },
    async onHelp() {
      if (this.data.busy) return;
      this.setData({ busy: true, notice: '' });
      const reply = await api.member.helpBargain(this.data.id);
      if (reply.ok) this.setData({ busy: false, ...bargainData(reply.data.bargain, Date.now()) });
      else {
        this.setData({ busy: false, notice: messageFor(reply.code) });
        await this.load();
      }
    },
    async onBuy() {
      if (
        await this.payThrough(
          (requestId) => api.member.buyBargain(this.data.id, requestId),
          (order) => order,
        )
      )
        await this.load();
    },
    onBargains() {
      return wx.navigateTo({ url: '/deals/bargains/index' });
    },
    onShareAppMessage() {
      return {
        title: `帮我砍一刀！「${this.data.bargain?.title ?? '好物'}」现价 ¥${this.data.priceYuan}`,
        path: `/deals/bargain/index?id=${this.data.id}`,
      };
    },
  },
});
