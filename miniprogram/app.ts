import { setTransport } from './api/client';
import { gatewayTransport, localStack } from './api/local';

App({
  onLaunch() {
    // A develop build pointed at `npm start` (the 本地调试 page) calls the local gateway.
    const local = localStack();
    if (local) {
      setTransport(gatewayTransport(local));
      return;
    }
    // No env id: the client uses the environment selected in DevTools / at release.
    wx.cloud.init({ traceUser: true });
  },
});
