type Resolve = (result: { event: 'agree' | 'disagree'; buttonId?: string }) => void;

/**
 * WeChat's privacy authorization (since 2023-10-17): before a privacy API or component runs
 * (the avatar, the nickname field, the address book…), the member must agree to the
 * mini-program's 隐私保护指引. WeChat asks the page through `wx.onNeedPrivacyAuthorization`;
 * this popup shows what is collected and why, opens the guide (`wx.openPrivacyContract`),
 * and answers: 同意 through `open-type="agreePrivacyAuthorization"` (the pending API then
 * goes on), 拒绝 with `disagree` (it fails, and the page says so). Put it on every page that
 * uses a privacy API.
 */
Component({
  data: { shown: false },
  lifetimes: {
    attached() {
      this.listen();
    },
  },
  // One listener for the whole app: the page on screen takes it back when it shows again.
  pageLifetimes: {
    show() {
      this.listen();
    },
  },
  methods: {
    listen() {
      // The platform passes the listener a `resolve` (the typings still say a result object).
      const listener = (resolve: Resolve) => {
        (this as unknown as { pending?: Resolve }).pending = resolve;
        this.setData({ shown: true });
      };
      wx.onNeedPrivacyAuthorization?.(listener as unknown as WechatMiniprogram.OnNeedPrivacyAuthorizationCallback);
    },
    answer(result: Parameters<Resolve>[0]) {
      const self = this as unknown as { pending?: Resolve };
      self.pending?.(result);
      self.pending = undefined;
      this.setData({ shown: false });
    },
    onAgree() {
      this.answer({ event: 'agree', buttonId: 'agree-privacy' });
    },
    onDisagree() {
      this.answer({ event: 'disagree' });
    },
    onGuide() {
      return wx.openPrivacyContract?.({});
    },
  },
});
