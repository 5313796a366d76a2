import type { PurchaseResult } from '../../../typings/api';
import { api, newRequestId } from '../../api/client';
import { toFen, yuan } from '../../utils/format';
import { messageFor } from '../../utils/messages';

/**
 * 记录消费: staff scan or type the member's 会员码, enter the amount rung up, optionally a
 * coupon of theirs to write off in the same step, confirm.
 * One request id per entry: a retry after a lost reply resends it and cannot record the
 * purchase twice. The server decides points and tier; the page shows what it decided.
 */
Component({
  data: {
    code: '',
    couponCode: '',
    amountText: '',
    requestId: '',
    done: null as (PurchaseResult & { amountText: string; couponText: string; upgradeText: string }) | null,
    error: '',
    busy: false,
  },
  methods: {
    onCodeInput(e: WechatMiniprogram.Input) {
      this.setData({ code: e.detail.value, error: '', requestId: '' });
    },
    onCouponInput(e: WechatMiniprogram.Input) {
      this.setData({ couponCode: e.detail.value, error: '', requestId: '' });
    },
    onAmountInput(e: WechatMiniprogram.Input) {
      this.setData({ amountText: e.detail.value, error: '', requestId: '' });
    },
    async onScan() {
      try {
        const scanned = await wx.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] });
        this.setData({ code: scanned.result, error: '', requestId: '' });
      } catch {
        // The staff member closed the scanner.
      }
    },
    async onConfirm() {
      if (this.data.busy) return;
      const amount = toFen(this.data.amountText);
      if (amount === undefined || amount <= 0) {
        this.setData({ error: '请输入正确的消费金额' });
        return;
      }
      const requestId = this.data.requestId || newRequestId();
      this.setData({ busy: true, error: '', requestId });
      const coupon = this.data.couponCode.replace(/\s+/g, '');
      const reply = await api.staff.recordPurchase(this.data.code.replace(/\s+/g, ''), amount, requestId, coupon || undefined);
      this.setData({ busy: false });
      if (!reply.ok) {
        // A network failure keeps the request id, so tapping again cannot record twice.
        this.setData({ error: messageFor(reply.code), requestId: reply.code === 'NETWORK_ERROR' ? requestId : '' });
        return;
      }
      const r = reply.data;
      this.setData({
        done: {
          ...r,
          amountText: yuan(r.amount),
          couponText: r.coupon ? `已核销「${r.coupon.title}」，优惠 ${yuan(r.coupon.discount)} 元` : '',
          upgradeText: r.upgradedFrom ? `已升级为${r.tierName}` : '',
        },
        code: '',
        couponCode: '',
        amountText: '',
        requestId: '',
      });
    },
    onNext() {
      this.setData({ done: null, error: '' });
    },
  },
});
