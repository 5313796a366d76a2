import type { Reply } from '../../typings/envelope';
import { messageFor } from '../utils/messages';

/** The page's own loader: what retry and pull-down refresh run again. */
interface Loader {
  load(): Promise<unknown>;
}

/** The newest request of each page instance: a reply to an older one is dropped, never shown. */
const latest = new WeakMap<object, number>();

/**
 * Remote data on a page: `loading` until the first reply (so no empty state flashes
 * before the data), the error with a retry (`onRetry`), and pull-down refresh. A page
 * defines `load()` and calls `request(call, apply)`; `apply` returns the data to set,
 * which lands in one `setData` with the loading state.
 */
export const remoteData = Behavior({
  data: { loading: true, error: '' },
  methods: {
    async request<T>(call: Promise<Reply<T>>, apply: (data: T) => Record<string, unknown>): Promise<boolean> {
      const ticket = (latest.get(this) ?? 0) + 1;
      latest.set(this, ticket);
      if (!this.data.loading) this.setData({ loading: true });
      const reply = await call;
      if (latest.get(this) !== ticket) return false;
      if (!reply.ok) {
        this.setData({ loading: false, error: messageFor(reply.code) });
        return false;
      }
      this.setData({ ...apply(reply.data), loading: false, error: '' });
      return true;
    },
    onRetry() {
      // `load` is the page's: behaviors cannot declare what their host provides.
      return (this as unknown as Loader).load();
    },
    async onPullDownRefresh() {
      try {
        await (this as unknown as Loader).load();
      } finally {
        wx.stopPullDownRefresh?.();
      }
    },
  },
});
