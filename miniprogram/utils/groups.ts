import type { DealView, GroupView, PayOrderView } from '../../typings/api';
import { yuan } from './format';

/** What a deal's card shows. */
export const dealRow = (d: DealView) => ({
  ...d,
  groupYuan: yuan(d.groupPrice),
  listYuan: yuan(d.listPrice),
  leaderYuan: yuan(d.leaderPrice),
  leaderText: d.leaderPrice < d.groupPrice ? `团长价 ¥${yuan(d.leaderPrice)}` : '',
});

const GROUP_STATES: Record<GroupView['state'], string> = {
  pending: '待团长支付',
  open: '拼团中',
  succeeded: '拼团成功',
  failed: '拼团未成功',
};

const MY_ORDER_STATES: Record<PayOrderView['state'], string> = {
  created: '待支付',
  paid: '已支付，等待成团',
  fulfilled: '已成团，订单已确认',
  expired: '未支付，名额已释放',
  refunding: '退款中',
  refunded: '已退款',
};

/** A group as a row or a page shows it: its state, the member's own order, the seats (taken and free). */
export function groupRow(g: GroupView) {
  const free = Math.max(0, g.seatsLeft);
  return {
    ...g,
    stateText: g.state === 'open' ? `还差 ${free} 人成团` : GROUP_STATES[g.state],
    mineText: g.mine ? MY_ORDER_STATES[g.mine.state] : '',
    priceYuan: yuan(g.price),
    listYuan: yuan(g.listPrice),
    seats: [
      ...g.members.map((m, i) => ({
        key: `m${i}`,
        face: m.nickname.slice(0, 1),
        avatar: m.avatar,
        name: m.leader ? `团长 ${m.nickname}` : m.nickname,
        paid: m.paid,
        empty: false,
      })),
      ...Array.from({ length: free }, (_, i) => ({ key: `e${i}`, face: '?', avatar: null, name: '待加入', paid: false, empty: true })),
    ],
  };
}
export type GroupRow = ReturnType<typeof groupRow>;
