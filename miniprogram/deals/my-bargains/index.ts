import type { MyBargain } from '../../../typings/api';
import { api } from '../../api/client';
import { remoteData } from '../../behaviors/remote-data';
import { countdownText, yuan } from '../../utils/format';

const STATES: Record<MyBargain['state'], string> = { open: '砍价中', bought: '已购买', expired: '已结束' };

/** A bargain as its row shows it: the price reached, how far to the floor, how it stands. */
const toRow = (b: MyBargain) => ({
  ...b,
  priceYuan: yuan(b.price),
  listYuan: yuan(b.listPrice),
  stateText: STATES[b.state],
  progress: b.listPrice > b.floorPrice ? Math.round(((b.listPrice - b.price) / (b.listPrice - b.floorPrice)) * 100) : 100,
  detail: b.state === 'open' ? `${b.helpCount} 位好友帮砍 · 剩余 ${countdownText(b.secondsLeft)}` : `${b.helpCount} 位好友帮砍`,
});

/** 我的砍价: the member's own bargains, newest first; each opens its page (share it on, buy at the price reached). */
Component({
  behaviors: [remoteData],
  data: { rows: [] as ReturnType<typeof toRow>[] },
  methods: {
    onShow() {
      return this.load();
    },
    load() {
      return this.request(api.member.myBargains(), (bargains) => ({ rows: bargains.map(toRow) }));
    },
    onOpen(e: WechatMiniprogram.BaseEvent) {
      return wx.navigateTo({ url: `/deals/bargain/index?id=${String(e.currentTarget.dataset['id'])}` });
    },
  },
});
