import type { StoreDay, WriteOffView } from '../../../typings/api';
import { api } from '../../api/client';
import { remoteData } from '../../behaviors/remote-data';
import { beijingTime, yuan } from '../../utils/format';
import { messageFor } from '../../utils/messages';

const REASONS: Record<StoreDay['failedAttempts'][number]['reason'], string> = {
  malformed: '格式错误',
  unknown: '券不存在',
  wrong: '券码错误',
  locked: '券已锁定',
};

/** What a write-off row shows (staff by name). */
const toRow = (w: WriteOffView, names: StoreDay['staffNames']) => ({
  couponId: w.couponId,
  title: w.title,
  memberNickname: w.memberNickname,
  staff: names[w.staff] ?? '店员',
  time: beijingTime(w.at),
  discountText: yuan(w.discount),
});

/** What a purchase row shows (staff by name). */
const toPurchase = (p: StoreDay['purchases'][number], names: StoreDay['staffNames']) => ({
  id: p.purchaseId,
  memberNickname: p.memberNickname,
  staff: names[p.staff] ?? '店员',
  time: beijingTime(p.at),
  amountText: yuan(p.amount),
  points: p.points,
  refunded: p.refunded,
});

/**
 * A day at the staff member's store (today unless another day is picked): the purchases
 * recorded — each refundable here, with a reason — the write-offs, and the codes that
 * failed.
 */
Component({
  behaviors: [remoteData],
  data: {
    day: '',
    today: '',
    storeName: '',
    rows: [] as ReturnType<typeof toRow>[],
    totalText: '0',
    failures: [] as { at: string; reason: string; staff: string }[],
    purchases: [] as ReturnType<typeof toPurchase>[],
    spendText: '0',
    refunding: '',
    refundReason: '',
    notice: '',
  },
  methods: {
    onShow() {
      return this.load();
    },
    load() {
      return this.request(api.staff.history(this.data.day || undefined), (d) => ({
        day: d.day,
        today: this.data.today || d.day,
        storeName: d.storeName,
        rows: d.writeOffs.map((w) => toRow(w, d.staffNames)),
        totalText: yuan(d.totalDiscount),
        failures: d.failedAttempts.map((f) => ({
          at: beijingTime(f.at),
          reason: REASONS[f.reason],
          staff: d.staffNames[f.staff] ?? '店员',
        })),
        purchases: d.purchases.map((p) => toPurchase(p, d.staffNames)),
        spendText: yuan(d.totalSpend),
      }));
    },
    onRefund(e: WechatMiniprogram.TouchEvent) {
      this.setData({ refunding: String(e.currentTarget.dataset['id']), refundReason: '', notice: '' });
    },
    onReason(e: WechatMiniprogram.Input) {
      this.setData({ refundReason: e.detail.value });
    },
    onCancelRefund() {
      this.setData({ refunding: '', refundReason: '' });
    },
    async onConfirmRefund() {
      const reason = this.data.refundReason.trim();
      if (reason.length < 2) {
        this.setData({ notice: '请填写退款原因' });
        return;
      }
      const reply = await api.staff.refundPurchase(this.data.refunding, reason);
      if (!reply.ok) {
        this.setData({ notice: messageFor(reply.code) });
        return;
      }
      const forgiven = reply.data.pointsForgiven ? `，${reply.data.pointsForgiven} 积分已被使用，不再扣回` : '';
      this.setData({
        refunding: '',
        refundReason: '',
        notice: `已退款 ${yuan(reply.data.amount)} 元，扣回 ${reply.data.pointsTakenBack} 积分${forgiven}`,
      });
      await this.load();
    },
    onDay(e: WechatMiniprogram.PickerChange) {
      this.setData({ day: String(e.detail.value) });
      return this.load();
    },
  },
});
