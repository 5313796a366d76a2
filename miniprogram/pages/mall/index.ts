import type { ItemKind, MallItemView } from '../../../typings/api';
import { api } from '../../api/client';
import { BLOCKED_LABELS } from '../../utils/format';
import { messageFor } from '../../utils/messages';

const KINDS: { key: ItemKind | 'all'; label: string }[] = [
  { key: 'all', label: '全部' },
  { key: 'coupon', label: '优惠券' },
  { key: 'virtual', label: '虚拟商品' },
  { key: 'physical', label: '实物礼品' },
];

interface Row extends MallItemView {
  buttonText: string;
}

/** The points mall: what the member can redeem first, sold-out items last, filtered by kind. */
Component({
  data: { loading: true, error: '', balance: 0, kind: 'all' as ItemKind | 'all', kinds: KINDS, items: [] as Row[] },
  methods: {
    onShow() {
      return this.load();
    },
    async load() {
      const kind = this.data.kind;
      const reply = await api.member.mall(kind === 'all' ? undefined : kind);
      if (!reply.ok) {
        this.setData({ loading: false, error: messageFor(reply.code) });
        return;
      }
      const items = reply.data.items.map((i) => ({ ...i, buttonText: i.blockedBy ? (BLOCKED_LABELS[i.blockedBy] ?? '暂不可兑') : '兑换' }));
      this.setData({ loading: false, error: '', balance: reply.data.balance, items });
    },
    onKind(e: WechatMiniprogram.BaseEvent) {
      this.setData({ kind: e.currentTarget.dataset['kind'] as ItemKind | 'all' });
      return this.load();
    },
    onOpen(e: WechatMiniprogram.BaseEvent) {
      return wx.navigateTo({ url: `/pages/item/index?id=${String(e.currentTarget.dataset['id'])}` });
    },
  },
});
