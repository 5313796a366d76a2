import type { WriteOffPreview, WriteOffView } from '../../../typings/api';
import { api } from '../../api/client';
import { beijingTime, toFen, yuan } from '../../utils/format';
import { messageFor } from '../../utils/messages';

/**
 * Staff verify a member's coupon: scan or type the code, check the preview, enter the
 * order amount when the coupon needs one, confirm. The server decides everything; the page
 * only shows it.
 */
Component({
  data: {
    storeName: '',
    code: '',
    amountText: '',
    preview: null as WriteOffPreview | null,
    problemText: '',
    done: null as (WriteOffView & { discountText: string; time: string }) | null,
    error: '',
    busy: false,
  },
  methods: {
    async onLoad() {
      const me = await api.member.profile();
      if (me.ok && me.data.role?.role === 'staff') this.setData({ storeName: me.data.role.storeName ?? me.data.role.storeId ?? '' });
    },
    onCodeInput(e: WechatMiniprogram.Input) {
      this.setData({ code: e.detail.value, preview: null, done: null, error: '' });
    },
    onAmountInput(e: WechatMiniprogram.Input) {
      this.setData({ amountText: e.detail.value });
    },
    async onScan() {
      try {
        const scanned = await wx.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] });
        this.setData({ code: scanned.result, done: null, error: '' });
        await this.onPreview();
      } catch {
        // The staff member closed the scanner.
      }
    },
    async onPreview() {
      this.setData({ busy: true, preview: null, error: '' });
      const reply = await api.staff.preview(this.data.code);
      this.setData({ busy: false });
      if (!reply.ok) {
        this.setData({ error: messageFor(reply.code) });
        return;
      }
      this.setData({ preview: reply.data, problemText: reply.data.problem ? messageFor(reply.data.problem) : '' });
    },
    async onConfirm() {
      if (this.data.busy || !this.data.preview) return;
      const amount = this.data.preview.needsAmount ? toFen(this.data.amountText) : undefined;
      if (this.data.preview.needsAmount && amount === undefined) {
        this.setData({ error: '请输入正确的订单金额' });
        return;
      }
      this.setData({ busy: true, error: '' });
      const reply = await api.staff.writeOff(this.data.code, amount);
      this.setData({ busy: false });
      if (!reply.ok) {
        this.setData({ error: messageFor(reply.code) });
        return;
      }
      this.setData({
        done: { ...reply.data, discountText: yuan(reply.data.discount), time: beijingTime(reply.data.at) },
        preview: null,
        code: '',
        amountText: '',
      });
    },
    onNext() {
      this.setData({ done: null, error: '' });
    },
    onPurchase() {
      return wx.navigateTo({ url: '/store/purchase/index' });
    },
    onHistory() {
      return wx.navigateTo({ url: '/store/history/index' });
    },
  },
});
