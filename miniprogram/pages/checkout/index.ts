import type { Address, MallItemView } from '../../../typings/api';
import type { ErrorCode } from '../../../typings/errors';
import { addressText, maskedTel } from '../../utils/address';
import { api, newRequestId } from '../../api/client';
import { remoteData } from '../../behaviors/remote-data';
import { yuan } from '../../utils/format';
import { messageFor } from '../../utils/messages';
import { payOrder } from '../../utils/payment';

type Delivery = 'express' | 'pickup';

/** The address last used for an order, offered first next time (the member can change it). */
const LAST_ADDRESS = 'checkout.address';

/**
 * 确认订单 for goods: sent to an address from `wx.chooseAddress` (快递配送) or collected at a
 * store (到店自提), the breakdown (list price, the member's price, the points part), then
 * 提交订单 — points goods are redeemed, cash goods become a WeChat Pay order paid at once or
 * later from the order's page. One request id per submission, kept while a reply is lost.
 */
Component({
  behaviors: [remoteData],
  data: {
    id: '',
    item: null as MallItemView | null,
    delivery: 'express' as Delivery,
    address: null as Address | null,
    addressLine: '',
    tel: '',
    cover: '',
    lines: [] as { label: string; value: string; id: string }[],
    totalText: '',
    submitting: false,
    requestId: '',
    notice: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ id: query['id'] ?? '' });
      const saved = wx.getStorageSync(LAST_ADDRESS) as Address | '';
      if (saved) this.useAddress(saved);
      return this.load();
    },
    load() {
      return this.request(api.member.mallItem(this.data.id), (item) => ({ item, cover: item.images[0] ?? '', ...breakdown(item) }));
    },
    useAddress(address: Address) {
      this.setData({ address, addressLine: addressText(address), tel: maskedTel(address.telNumber) });
    },
    onDelivery(e: WechatMiniprogram.BaseEvent) {
      this.setData({ delivery: e.currentTarget.dataset['kind'] as Delivery, notice: '' });
    },
    /** WeChat's own address book: the member picks or adds one; a cancel changes nothing. */
    async onChooseAddress() {
      try {
        const chosen = await wx.chooseAddress();
        const address: Address = {
          userName: chosen.userName,
          telNumber: chosen.telNumber,
          provinceName: chosen.provinceName,
          cityName: chosen.cityName,
          countyName: chosen.countyName,
          detailInfo: chosen.detailInfo,
          ...(/^\d{6}$/.test(chosen.postalCode ?? '') ? { postalCode: chosen.postalCode } : {}),
        };
        wx.setStorageSync(LAST_ADDRESS, address);
        this.useAddress(address);
        this.setData({ notice: '' });
      } catch (err) {
        if (!/cancel/.test(String((err as { errMsg?: string }).errMsg ?? '')))
          this.setData({ notice: '无法获取收货地址，请在设置中允许使用通讯地址' });
      }
    },
    async onSubmit() {
      const { item, delivery, address } = this.data;
      if (!item || this.data.submitting) return;
      if (delivery === 'express' && !address) {
        this.setData({ notice: '请选择收货地址' });
        return;
      }
      const requestId = this.data.requestId || newRequestId();
      this.setData({ submitting: true, requestId, notice: '' });
      const sendTo = delivery === 'express' && address ? address : undefined;
      if (item.cashPrice === null) {
        const reply = await api.member.redeem(item.id, requestId, sendTo);
        if (!reply.ok) return this.failed(reply.code);
        return wx.redirectTo({ url: `/pages/order/index?id=${reply.data.orderId ?? ''}&done=redeemed` });
      }
      const created = await api.member.createPayOrder(item.id, requestId, sendTo);
      if (!created.ok) return this.failed(created.code);
      // Paid or not, the order exists now: its page follows it (and pays it later).
      const outcome = await payOrder(created.data);
      return wx.redirectTo({ url: `/pages/order/index?id=${created.data.orderId}${outcome === 'paid' ? '&done=paid' : ''}` });
    },
    /** Only a lost reply keeps the request id: the same submission is retried, not a second order. */
    failed(code: ErrorCode) {
      this.setData({ submitting: false, requestId: code === 'NETWORK_ERROR' ? this.data.requestId : '', notice: messageFor(code) });
    },
  },
});

/** The breakdown under the goods: what it lists at, what this member pays, and the points part. */
function breakdown(item: MallItemView) {
  const lines: { label: string; value: string; id: string }[] = [];
  if (item.cashPrice !== null && item.memberCashPrice !== null) {
    lines.push({ id: 'list', label: '商品金额', value: `¥${yuan(item.cashPrice)}` });
    if (item.memberCashPrice < item.cashPrice)
      lines.push({ id: 'tier', label: '会员优惠', value: `-¥${yuan(item.cashPrice - item.memberCashPrice)}` });
  }
  if (item.price > 0) lines.push({ id: 'points', label: '积分', value: `${item.price} 积分` });
  lines.push({ id: 'shipping', label: '运费', value: '包邮' });
  const cash = item.memberCashPrice === null ? '' : `¥${yuan(item.memberCashPrice)}`;
  const points = item.price > 0 ? `${item.price} 积分` : '';
  return { lines, totalText: [cash, points].filter(Boolean).join(' + ') };
}
