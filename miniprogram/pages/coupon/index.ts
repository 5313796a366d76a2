import type { CouponView } from '../../../typings/api';
import type { ErrorCode } from '../../../typings/errors';
import { api } from '../../api/client';
import { remoteData } from '../../behaviors/remote-data';
import { beijingTime, lastValidDay } from '../../utils/format';
import { messageFor } from '../../utils/messages';

/** 14 digits as 1234 5678 123 456: easy to read out at the till. */
function grouped(code: string): string {
  return `${code.slice(0, 4)} ${code.slice(4, 8)} ${code.slice(8, 11)} ${code.slice(11)}`;
}

/** Per page instance: its countdown, and whether a code request is on its way. */
const countdowns = new WeakMap<object, ReturnType<typeof setInterval>>();
const fetching = new WeakSet<object>();

/**
 * A coupon and, while it is usable, its till code: a QR and digits that change every
 * minute. The countdown runs on the server's clock (the offset measured when the code
 * came) while the page is shown, with the screen kept on for the till; the page fetches
 * the next code when it runs out (one request at a time). When the store writes the
 * coupon off, the next fetch finds it used and the page shows that it worked.
 */
Component({
  behaviors: [remoteData],
  data: {
    id: '',
    coupon: null as CouponView | null,
    until: '',
    code: '',
    codeText: '',
    secondsLeft: 0,
    refreshAt: 0,
    skewMs: 0,
    lockedText: '',
    usedHere: false,
    codeError: '',
  },
  lifetimes: {
    detached() {
      this.stopCountdown();
    },
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
    startCountdown() {
      if (countdowns.has(this) || !this.data.coupon || this.data.coupon.state !== 'unused') return;
      countdowns.set(
        this,
        setInterval(() => void this.tick(), 1000),
      );
      wx.setKeepScreenOn?.({ keepScreenOn: true });
    },
    stopCountdown() {
      const timer = countdowns.get(this);
      if (timer === undefined) return;
      clearInterval(timer);
      countdowns.delete(this);
      wx.setKeepScreenOn?.({ keepScreenOn: false });
    },
    async refreshCode() {
      if (fetching.has(this)) return;
      fetching.add(this);
      try {
        const reply = await api.member.couponCode(this.data.id);
        if (!reply.ok) return await this.codeFailed(reply.code);
        const { code, lockedUntil, refreshAt, serverNow } = reply.data;
        this.setData({
          code: code ?? '',
          codeText: code ? grouped(code) : '',
          lockedText: lockedUntil ? `券码因多次输错已临时锁定，${beijingTime(lockedUntil)} 后自动刷新` : '',
          refreshAt: Date.parse(refreshAt),
          skewMs: Date.parse(serverNow) - Date.now(),
          codeError: '',
        });
        this.showCountdown();
      } finally {
        fetching.delete(this);
      }
    },
    /** A used coupon was just written off at the till: show it worked. Anything else: say what. */
    async codeFailed(code: ErrorCode) {
      if (code === 'COUPON_ALREADY_USED' || code === 'COUPON_EXPIRED') {
        this.stopCountdown();
        const coupon = await api.member.coupon(this.data.id);
        this.setData({ code: '', codeText: '', usedHere: code === 'COUPON_ALREADY_USED', ...(coupon.ok ? { coupon: coupon.data } : {}) });
        return;
      }
      this.setData({ codeError: messageFor(code) });
    },
    showCountdown() {
      this.setData({ secondsLeft: Math.max(0, Math.ceil((this.data.refreshAt - (Date.now() + this.data.skewMs)) / 1000)) });
    },
    async tick() {
      this.showCountdown();
      if (this.data.secondsLeft === 0) await this.refreshCode();
    },
  },
});
