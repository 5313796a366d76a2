import type { Reply } from '../../typings/envelope';
import type { ErrorCode } from '../../typings/errors';
import { beijingTime, groupedCode } from '../utils/format';
import { messageFor } from '../utils/messages';

/** What a code request answers (coupon codes and member codes alike). */
interface CodeReply {
  code: string | null;
  lockedUntil: string | null;
  refreshAt: string;
  serverNow: string;
}

/** The host page's side: how it fetches its code, and what it makes of a refusal. */
interface CodeSource {
  fetchCode(): Promise<Reply<CodeReply>>;
  codeFailed(code: ErrorCode): Promise<void>;
}

/** Per page instance: its countdown, and whether a code request is on its way. */
const countdowns = new WeakMap<object, ReturnType<typeof setInterval>>();
const fetching = new WeakSet<object>();

/**
 * A till code that changes every minute (a coupon's or the member's 会员码). The
 * countdown runs on the server's clock (the offset measured when the code came) while
 * the page is shown, with the screen kept on for the till; the next code is fetched when
 * it runs out, one request at a time. The page provides `fetchCode` and `codeFailed`,
 * starts the countdown when it shows and stops it when hidden.
 */
export const rotatingCode = Behavior({
  data: { code: '', codeText: '', secondsLeft: 0, refreshAt: 0, skewMs: 0, lockedText: '', codeError: '' },
  lifetimes: {
    detached() {
      this.stopCountdown();
    },
  },
  methods: {
    startCountdown() {
      if (countdowns.has(this)) return;
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
      const source = this as unknown as CodeSource;
      try {
        const reply = await source.fetchCode();
        if (!reply.ok) return await source.codeFailed(reply.code);
        const { code, lockedUntil, refreshAt, serverNow } = reply.data;
        this.setData({
          code: code ?? '',
          codeText: code ? groupedCode(code) : '',
          lockedText: lockedUntil ? `因多次输错已临时锁定，${beijingTime(lockedUntil)} 后自动刷新` : '',
          refreshAt: Date.parse(refreshAt),
          skewMs: Date.parse(serverNow) - Date.now(),
          codeError: '',
        });
        this.showCountdown();
      } finally {
        fetching.delete(this);
      }
    },
    showCountdown() {
      this.setData({ secondsLeft: Math.max(0, Math.ceil((this.data.refreshAt - (Date.now() + this.data.skewMs)) / 1000)) });
    },
    async tick() {
      this.showCountdown();
      if (this.data.secondsLeft === 0) await this.refreshCode();
    },
    /** The default reading of a refusal: say what happened. */
    showCodeError(code: ErrorCode) {
      this.setData({ codeError: messageFor(code) });
    },
  },
});
