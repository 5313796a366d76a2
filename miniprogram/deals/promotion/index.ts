import type { MyCommissions } from '../../../typings/api';
import { api } from '../../api/client';
import { remoteData } from '../../behaviors/remote-data';
import { beijingDate, yuan } from '../../utils/format';

const STATES: Record<MyCommissions['commissions'][number]['state'], string> = {
  pending: '待结算',
  paid: '已到账',
  cancelled: '已取消',
  reversed: '已扣回',
};

/**
 * 我的推广: what sharing goods earned — points pending (paid once the order's refund window
 * has passed) and paid, and each friend's purchase by the item (never by who bought it).
 */
Component({
  behaviors: [remoteData],
  data: { summary: null as { pending: number; paid: number } | null, rows: [] as Record<string, unknown>[] },
  methods: {
    onShow() {
      return this.load();
    },
    load() {
      return this.request(api.member.myCommissions(), (mine) => ({
        summary: { pending: mine.pendingPoints, paid: mine.paidPoints },
        rows: mine.commissions.map((c) => ({
          id: c.id,
          title: c.title,
          state: c.state,
          stateText: STATES[c.state],
          points: c.points,
          detail: `订单 ¥${yuan(c.amount)} · ${beijingDate(c.at)}${c.state === 'pending' ? ` · ${beijingDate(c.dueAt)} 后到账` : ''}`,
        })),
      }));
    },
    onMall() {
      return wx.switchTab({ url: '/pages/mall/index' });
    },
  },
});
