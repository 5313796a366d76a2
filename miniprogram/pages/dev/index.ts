import { type LocalStack, gatewayTransport, isDevelopBuild, localStack, saveLocalStack } from '../../api/local';
import { setTransport } from '../../api/client';

const IDENTITIES = ['u1', 'u2', 'u3', 'demo-staff', 'demo-operator'];

/**
 * 本地调试 (develop builds only): point this DevTools session at `npm start` — the
 * gateway address and who to be — or back at the cloud environment.
 */
Component({
  data: { available: false, gateway: 'http://127.0.0.1:8787', openid: 'u1', identities: IDENTITIES, active: false, notice: '' },
  methods: {
    onLoad() {
      const current = localStack();
      this.setData({ available: isDevelopBuild(), active: !!current, ...(current ?? {}) });
    },
    onGateway(e: WechatMiniprogram.Input) {
      this.setData({ gateway: e.detail.value.trim() });
    },
    onIdentity(e: WechatMiniprogram.TouchEvent) {
      this.setData({ openid: String(e.currentTarget.dataset['openid']) });
    },
    onOpenid(e: WechatMiniprogram.Input) {
      this.setData({ openid: e.detail.value.trim() });
    },
    onUseLocal() {
      if (!/^https?:\/\//.test(this.data.gateway) || !this.data.openid) {
        this.setData({ notice: '请填写网关地址（http://…）和身份' });
        return undefined;
      }
      const stack: LocalStack = { gateway: this.data.gateway, openid: this.data.openid };
      saveLocalStack(stack);
      setTransport(gatewayTransport(stack));
      return wx.reLaunch({ url: '/pages/home/index' });
    },
    onUseCloud() {
      saveLocalStack(null);
      this.setData({ active: false, notice: '已切回云开发环境，重新编译后生效' });
    },
  },
});
