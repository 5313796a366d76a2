import type { CouponView } from '../../../typings/api';
import { api } from '../../api/client';
import { lastValidDay } from '../../utils/format';
import { messageFor } from '../../utils/messages';

/** 14 digits as 1234 5678 123 456: easy to read out at the till. */
function grouped(code: string): string {
  return `${code.slice(0, 4)} ${code.slice(4, 8)} ${code.slice(8, 11)} ${code.slice(11)}`;
}

let timer: ReturnType<typeof setInterval> | undefined;

/**
 * A coupon and, while it is usable, its till code: a QR and digits that change every
 * minute. The countdown runs on the server's clock (the offset measured when the code
 * came), and the page fetches the next code when it runs out.
 */
Component({
  data: { id: '', coupon: null as CouponView | null, until: '', code: '', codeText: '', secondsLeft: 0, refreshAt: 0, skewMs: 0, error: '' },
  lifetimes: {
    detached() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  },
  methods: {
    async onLoad(query: Record<string, string | undefined>) {
      this.setData({ id: query['id'] ?? '' });
      const reply = await api.member.coupon(this.data.id);
      if (!reply.ok) {
        this.setData({ error: messageFor(reply.code) });
        return;
      }
      const until = lastValidDay(reply.data.validTo);
      this.setData({ coupon: reply.data, until });
      if (reply.data.state === 'unused') {
        await this.refreshCode();
        timer = setInterval(() => void this.tick(), 1000);
      }
    },
    onUnload() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    async refreshCode() {
      const reply = await api.member.couponCode(this.data.id);
      if (!reply.ok) {
        if (timer) clearInterval(timer);
        timer = undefined;
        this.setData({ code: '', codeText: '', error: messageFor(reply.code) });
        return;
      }
      const skewMs = Date.parse(reply.data.serverNow) - Date.now();
      const refreshAt = Date.parse(reply.data.refreshAt);
      this.setData({ code: reply.data.code, codeText: grouped(reply.data.code), refreshAt, skewMs, error: '' });
      this.showCountdown();
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
