import type { Transport } from './client';

/**
 * DevTools against `npm start` instead of a cloud environment: in a develop build only
 * (never in a trial or release build, whatever is stored), the api client sends each call
 * with `wx.request` to the local gateway as the identity picked on the 本地调试 page —
 * DevTools' simulator on local data, no cloud account. (In DevTools turn off domain
 * checking: Details → Local settings → "不校验合法域名".)
 */
export interface LocalStack {
  /** The gateway `npm start` prints, e.g. http://127.0.0.1:8787. */
  gateway: string;
  /** Who the gateway is told is calling (the OPENID the platform would inject). */
  openid: string;
}

const KEY = 'memberloop.localStack';

export function isDevelopBuild(): boolean {
  return wx.getAccountInfoSync?.().miniProgram.envVersion === 'develop';
}

export function localStack(): LocalStack | null {
  if (!isDevelopBuild()) return null;
  const stored = wx.getStorageSync(KEY) as LocalStack | '';
  return stored && /^https?:\/\//.test(stored.gateway) && stored.openid ? stored : null;
}

export function saveLocalStack(stack: LocalStack | null): void {
  if (stack) wx.setStorageSync(KEY, stack);
  else wx.removeStorageSync(KEY);
}

export function gatewayTransport(stack: LocalStack): Transport {
  return (name, data) =>
    new Promise((resolve, reject) => {
      wx.request({
        url: `${stack.gateway.replace(/\/$/, '')}/fn/${name}`,
        method: 'POST',
        header: { 'content-type': 'application/json', 'x-wx-openid': stack.openid },
        data,
        success: (res) => resolve(res.data),
        fail: reject,
      });
    });
}
