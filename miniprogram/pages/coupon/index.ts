import type { CouponView } from '../../../typings/api';
import type { ErrorCode } from '../../../typings/errors';
import { api } from '../../api/client';
import { remoteData } from '../../behaviors/remote-data';
import { rotatingCode } from '../../behaviors/rotating-code';
import { lastValidDay } from '../../utils/format';

/**
 * A coupon and, while it is usable, its till code: a QR and digits that change every
 * minute (`rotatingCode`). When the store writes the coupon off, the next fetch finds it
 * used and the page shows that it worked.
 */
Component({
  behaviors: [remoteData, rotatingCode],
  data: {
    id: '',
    coupon: null as CouponView | null,
    until: '',
    usedHere: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ id: query['id'] ?? '' });
      return this.load();
    },
    onShow() {
      if (this.data.coupon?.state === 'unused') this.startCountdown();
    },
    onHide() {
      this.stopCountdown();
    },
    onUnload() {
      this.stopCountdown();
    },
    async load() {
      const ok = await this.request(api.member.coupon(this.data.id), (coupon) => ({ coupon, until: lastValidDay(coupon.validTo) }));
      if (ok && this.data.coupon?.state === 'unused') {
        await this.refreshCode();
        this.startCountdown();
      }
    },
    fetchCode() {
      return api.member.couponCode(this.data.id);
    },
    /** A used coupon was just written off at the till: show it worked. Anything else: say what. */
    async codeFailed(code: ErrorCode) {
      if (code === 'COUPON_ALREADY_USED' || code === 'COUPON_EXPIRED') {
        this.stopCountdown();
        const coupon = await api.member.coupon(this.data.id);
        this.setData({ code: '', codeText: '', usedHere: code === 'COUPON_ALREADY_USED', ...(coupon.ok ? { coupon: coupon.data } : {}) });
        return;
      }
      this.showCodeError(code);
    },
  },
});
