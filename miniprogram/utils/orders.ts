import type { MemberOrderStatus, OrderTab, OrderView } from '../../typings/api';
import { yuan } from './format';

/** An order's state as 我的订单 names it. */
export const ORDER_STATUS_TEXT: Record<MemberOrderStatus, string> = {
  unpaid: '待付款',
  pending: '待发货',
  shipped: '已发货',
  pickedUp: '已自提',
  done: '已完成',
  cancelled: '已取消',
  grouping: '拼团中',
  closed: '已关闭',
  refunding: '退款中',
  refunded: '已退款',
  unused: '未使用',
  used: '已使用',
};

export const ORDER_TABS: { key: OrderTab; label: string }[] = [
  { key: 'all', label: '全部' },
  { key: 'unpaid', label: '待付款' },
  { key: 'toShip', label: '待发货' },
  { key: 'shipped', label: '已发货' },
  { key: 'done', label: '已完成' },
  { key: 'refund', label: '退款' },
];

/** What was paid (or is due): points, money, or both (`¥9.9 + 100 积分`). */
export function paidText(o: Pick<OrderView, 'cash' | 'price'>): string {
  const parts = [o.cash !== null ? `¥${yuan(o.cash)}` : '', o.price > 0 || o.cash === null ? `${o.price} 积分` : ''];
  return parts.filter(Boolean).join(' + ');
}
