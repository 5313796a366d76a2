/** The host page's side: what it redraws every second. */
interface Ticker {
  tick(): void;
}

const timers = new WeakMap<object, ReturnType<typeof setInterval>>();

/**
 * A page with countdowns: `tick()` runs every second while the page is shown (from its
 * `onShow` to its `onHide`, which this provides), never after it is gone.
 */
export const ticking = Behavior({
  lifetimes: {
    detached() {
      this.stopTicking();
    },
  },
  methods: {
    onShow() {
      this.startTicking();
    },
    onHide() {
      this.stopTicking();
    },
    startTicking() {
      if (timers.has(this)) return;
      const host = this as unknown as Ticker;
      timers.set(
        this,
        setInterval(() => host.tick(), 1000),
      );
      host.tick();
    },
    stopTicking() {
      const timer = timers.get(this);
      if (timer === undefined) return;
      clearInterval(timer);
      timers.delete(this);
    },
  },
});
