import type { ItemKind, MallItemView } from '../../../typings/api';
import { api } from '../../api/client';
import { pagedList } from '../../behaviors/paged-list';
import { priceText } from '../../utils/format';

const KINDS: { key: ItemKind | 'all'; label: string }[] = [
  { key: 'all', label: '全部' },
  { key: 'coupon', label: '优惠券' },
  { key: 'virtual', label: '虚拟商品' },
  { key: 'physical', label: '实物礼品' },
];

/** What a mall row shows, and nothing more. */
function toRow(i: MallItemView) {
  const details = [i.ruleText, `剩余 ${i.stock}`, i.limitText].filter(Boolean).join(' · ');
  return {
    id: i.id,
    title: i.title,
    cover: i.images[0] ?? '',
    details,
    priceText: priceText(i),
    redeemable: i.redeemable,
    soldOut: i.blockedBy === 'SOLD_OUT',
    buttonText: i.blockedText ?? (i.cashPrice === null ? '兑换' : '购买'),
  };
}

/** The points mall: what the member can redeem first, sold-out items last, filtered by kind, a page at a time. */
Component({
  behaviors: [pagedList],
  data: { balance: 0, kind: 'all' as ItemKind | 'all', kinds: KINDS },
  methods: {
    onShow() {
      return this.load();
    },
    async fetchPage(page: number) {
      const kind = this.data.kind;
      const reply = await api.member.mall(kind === 'all' ? undefined : kind, page);
      return reply.ok
        ? {
            ok: true as const,
            data: { rows: reply.data.items.map(toRow), hasMore: reply.data.hasMore, extra: { balance: reply.data.balance } },
          }
        : reply;
    },
    onKind(e: WechatMiniprogram.BaseEvent) {
      this.setData({ kind: e.currentTarget.dataset['kind'] as ItemKind | 'all', rows: [], loading: true });
      return this.load();
    },
    onDeals() {
      return wx.navigateTo({ url: '/deals/list/index' });
    },
    onBargains() {
      return wx.navigateTo({ url: '/deals/bargains/index' });
    },
    onOpen(e: WechatMiniprogram.BaseEvent) {
      return wx.navigateTo({ url: `/pages/item/index?id=${String(e.currentTarget.dataset['id'])}` });
    },
    onShareAppMessage() {
      return { title: '积分商城：积分换好礼', path: '/pages/mall/index' };
    },
    onShareTimeline() {
      return { title: '积分商城：积分换好礼' };
    },
  },
});
