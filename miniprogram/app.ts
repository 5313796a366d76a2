App({
  onLaunch() {
    // No env id: the client uses the environment selected in DevTools / at release.
    wx.cloud.init({ traceUser: true });
  },
});
