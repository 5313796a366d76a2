import assert from 'node:assert/strict';
import type { Emulator } from 'cloudbase-emulator';
import { emulatorForThisFile } from '../helpers/emulator';
import { eventually, renderPage, text } from '../helpers/miniprogram';

/**
 * 本地调试: a develop build in DevTools pointed at `npm start`. `wx.request` and storage
 * are the platform's part (the simulator's are no-ops), played here by fetch against the
 * emulator's real gateway and a map.
 */
let emulator: Emulator;
const wxGlobal = (globalThis as unknown as { wx: Record<string, unknown> }).wx;
const original = Object.fromEntries(
  ['getAccountInfoSync', 'request', 'setStorageSync', 'getStorageSync', 'removeStorageSync'].map((k) => [k, wxGlobal[k]]),
);
const storage = new Map<string, unknown>();
beforeAll(async () => {
  emulator = await emulatorForThisFile();
  wxGlobal['setStorageSync'] = (key: string, value: unknown) => storage.set(key, value);
  wxGlobal['getStorageSync'] = (key: string) => storage.get(key) ?? '';
  wxGlobal['removeStorageSync'] = (key: string) => storage.delete(key);
  wxGlobal['request'] = (options: {
    url: string;
    method: string;
    header: Record<string, string>;
    data: unknown;
    success(r: { data: unknown }): void;
    fail(e: unknown): void;
  }) => {
    fetch(options.url, { method: options.method, headers: options.header, body: JSON.stringify(options.data) })
      .then(async (res) => options.success({ data: await res.json() }))
      .catch(options.fail);
  };
});
afterAll(() => {
  Object.assign(wxGlobal, original);
});
const build = (envVersion: string) => {
  wxGlobal['getAccountInfoSync'] = () => ({ miniProgram: { appId: 'wx-local-app', envVersion } });
};
type Page = ReturnType<typeof renderPage>;
const as = (page: Page) => page.instance as unknown as Record<string, (...args: unknown[]) => unknown>;

describe('本地调试 (DevTools against npm start)', () => {
  it('a develop build saves the gateway and identity, and calls then go to the local gateway as that member', async () => {
    build('develop');
    const { localStack, gatewayTransport } = require('../../miniprogram/api/local') as typeof import('../../miniprogram/api/local');
    (wxGlobal['removeStorageSync'] as (k: string) => void)('memberloop.localStack');
    const page = renderPage('pages/dev/index');
    as(page)['onLoad']!();
    as(page)['onGateway']!({ detail: { value: emulator.url } });
    as(page)['onIdentity']!({ currentTarget: { dataset: { openid: 'demo-staff' } } });
    as(page)['onUseLocal']!();
    const stack = localStack();
    assert.deepEqual(stack, { gateway: emulator.url, openid: 'demo-staff' });
    const reply = (await gatewayTransport(stack!)('member', { action: 'home' })) as { ok: boolean; data: { role: { role: string } } };
    assert.equal(reply.data.role.role, 'staff');
  });

  it('a release or trial build ignores a stored local setting and the page says it is for develop builds', async () => {
    build('release');
    const { localStack } = require('../../miniprogram/api/local') as typeof import('../../miniprogram/api/local');
    (wxGlobal['setStorageSync'] as (k: string, v: unknown) => void)('memberloop.localStack', { gateway: emulator.url, openid: 'u1' });
    assert.equal(localStack(), null);
    build('trial');
    assert.equal(localStack(), null);
    const page = renderPage('pages/dev/index');
    as(page)['onLoad']!();
    await eventually(() => assert.match(text(page), /仅开发版可用/));
  });

  it('refuses a gateway that is not an http address', () => {
    build('develop');
    const page = renderPage('pages/dev/index');
    as(page)['onLoad']!();
    as(page)['onGateway']!({ detail: { value: 'javascript:alert(1)' } });
    as(page)['onUseLocal']!();
    assert.match(text(page), /请填写网关地址/);
  });
});
