/**
 * The `wx` APIs the preview's pages call, against the local emulator: cloud functions
 * through the gateway as the panel's identity, navigation on the preview's page stack,
 * storage, dialogs, the scanner, subscribe consent and payment. See docs/preview.md.
 */
import { privacy } from './privacy';

export interface WxDeps {
  gateway(path: string, body: unknown): Promise<unknown>;
  identity: { openid: string };
  navigation: {
    navigateTo(url: string): Promise<void>;
    redirectTo(url: string): Promise<void>;
    reLaunch(url: string): Promise<void>;
    navigateBack(delta?: number): void;
  };
  showToast(title: string, ms?: number): void;
}

type Callbacks = { success?: (r: unknown) => void; fail?: (e: unknown) => void; complete?: () => void };
/** A `wx` API with the platform's two styles: a promise, and success/fail/complete callbacks. */
function api<T extends object>(run: (options: T) => Promise<unknown>) {
  return (options: T & Callbacks = {} as T & Callbacks) =>
    run(options).then(
      (result) => {
        options.success?.(result);
        options.complete?.();
        return result;
      },
      (error: unknown) => {
        options.fail?.(error);
        options.complete?.();
        if (!options.fail) throw error;
        return error;
      },
    );
}

const storage = {
  get: (key: string) => {
    const raw = localStorage.getItem(`mp.${key}`);
    return raw === null ? '' : (JSON.parse(raw) as unknown);
  },
  set: (key: string, value: unknown) => localStorage.setItem(`mp.${key}`, JSON.stringify(value)),
};

/** The address the preview's WeChat has saved (wx.chooseAddress's reply fields). */
const PREVIEW_ADDRESS = {
  userName: '张三',
  telNumber: '13800138000',
  provinceName: '广东省',
  cityName: '广州市',
  countyName: '海珠区',
  detailInfo: '新港中路397号',
  postalCode: '510000',
  nationalCode: '440105',
};

const PRIVACY_GUIDE = '《MemberLoop 会员中心隐私保护指引》';

/** The member's choice in a dialog the preview shows (the real one is WeChat's). */
const ask = (text: string) => Promise.resolve(window.confirm(text));

/** The `wx` APIs the pages use, answered against the local stack. */
export function wxApis(deps: WxDeps): Record<string, unknown> {
  const { gateway, identity, navigation, showToast } = deps;
  privacy.use(identity);
  /** A storage request as the member (the emulator holds it to the storage rules): its `data`, or the platform's failure. */
  async function clientStorage(api: string, body: Record<string, unknown>): Promise<unknown> {
    const reply = (await gateway('/_emu/client/storage', body)) as { data?: unknown; code?: string; message?: string };
    if (!reply.data) throw { errMsg: `cloud.${api}:fail ${reply.code ?? ''} ${reply.message ?? ''}`.trim() };
    return reply.data;
  }
  return {
    cloud: {
      init: () => undefined,
      callFunction: api(async ({ name, data }: { name: string; data?: unknown }) => ({ result: await gateway(`/fn/${name}`, data ?? {}) })),
      uploadFile: api(async ({ cloudPath, filePath }: { cloudPath: string; filePath: string }) => {
        const bytes = await (await fetch(filePath)).blob();
        const { url, authorization, fileId } = (await clientStorage('uploadFile', {
          action: 'storage.getUploadMetadata',
          path: cloudPath,
        })) as {
          url: string;
          authorization: string;
          fileId: string;
        };
        // COS's address is the emulator's; the preview's server passes it on (one origin for the page).
        const put = await fetch(new URL(url).pathname, {
          method: 'PUT',
          body: bytes,
          headers: { authorization, 'content-type': bytes.type },
        });
        if (!put.ok) throw { errMsg: `cloud.uploadFile:fail ${put.status}` };
        return { fileID: fileId, statusCode: 204, errMsg: 'cloud.uploadFile:ok' };
      }),
      getTempFileURL: api(async ({ fileList }: { fileList: (string | { fileID: string; maxAge?: number })[] }) => {
        const { download_list } = (await clientStorage('getTempFileURL', {
          action: 'storage.batchGetDownloadUrl',
          file_list: fileList.map((f) => (typeof f === 'string' ? { fileid: f } : { fileid: f.fileID, max_age: f.maxAge })),
        })) as { download_list: { fileID: string; tempFileURL: string; code: string; maxAge: number }[] };
        return {
          fileList: download_list.map((f) => ({
            fileID: f.fileID,
            tempFileURL: f.tempFileURL,
            maxAge: f.maxAge,
            status: f.code === 'SUCCESS' ? 0 : -1,
            errMsg: f.code === 'SUCCESS' ? 'ok' : f.code,
          })),
          errMsg: 'cloud.getTempFileURL:ok',
        };
      }),
    },
    getStorageSync: storage.get,
    setStorageSync: storage.set,
    getStorage: api(async ({ key }: { key: string }) => ({ data: storage.get(key) })),
    setStorage: api(async ({ key, data }: { key: string; data: unknown }) => storage.set(key, data)),
    showToast: api(async ({ title }: { title: string }) => showToast(title)),
    showLoading: api(async ({ title }: { title: string }) => showToast(title, 800)),
    hideLoading: api(async () => undefined),
    showModal: api(async ({ title, content }: { title?: string; content?: string }) => {
      const confirm = await ask([title, content].filter(Boolean).join('\n'));
      return { confirm, cancel: !confirm };
    }),
    navigateTo: api(({ url }: { url: string }) => navigation.navigateTo(url)),
    redirectTo: api(({ url }: { url: string }) => navigation.redirectTo(url)),
    reLaunch: api(({ url }: { url: string }) => navigation.reLaunch(url)),
    switchTab: api(({ url }: { url: string }) => navigation.reLaunch(url)),
    navigateBack: api(async ({ delta }: { delta?: number }) => navigation.navigateBack(delta)),
    stopPullDownRefresh: api(async () => undefined),
    setKeepScreenOn: api(async () => undefined),
    setNavigationBarTitle: api(async ({ title }: { title: string }) => {
      (document.getElementById('title') as HTMLElement).textContent = title;
    }),
    scanCode: api(async () => {
      const result = window.prompt(
        '扫码：输入或粘贴顾客出示的码（已填入最近一部手机上显示的码）',
        localStorage.getItem('preview.lastCode') ?? '',
      );
      if (!result) throw { errMsg: 'scanCode:fail cancel' };
      return { result: result.replace(/\s+/g, ''), scanType: 'QR_CODE' };
    }),
    requestSubscribeMessage: api(async ({ tmplIds }: { tmplIds: string[] }) => {
      const accepted = await ask('是否允许「MemberLoop」给你发送订阅消息？\n（预览：在模拟器上记录一次授权）');
      const reply: Record<string, string> = { errMsg: 'requestSubscribeMessage:ok' };
      for (const id of tmplIds) {
        reply[id] = accepted ? 'accept' : 'reject';
        if (accepted)
          await fetch('/_emu/subscribe', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ openid: identity.openid, templateId: id }),
          });
      }
      return reply;
    }),
    requestPayment: api(async (params: { package: string }) => {
      const prepayId = params.package.replace('prepay_id=', '');
      const { payments } = (await (await fetch('/_emu/pay')).json()) as { payments: { _id: string; prepayId: string; totalFee: number }[] };
      const payment = payments.find((p) => p.prepayId === prepayId);
      const pay = await ask(`微信支付 ¥${((payment?.totalFee ?? 0) / 100).toFixed(2)}\n确定：支付成功 · 取消：取消支付`);
      const reply = (await (
        await fetch('/_emu/pay', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ outTradeNo: payment?._id, outcome: pay ? 'success' : 'cancel' }),
        })
      ).json()) as { errMsg: string };
      if (reply.errMsg !== 'requestPayment:ok') throw reply;
      return reply;
    }),
    /** WeChat's address book, as the preview keeps it: one saved address, offered to use or not. */
    chooseAddress: api(async () => {
      await privacy.require('chooseAddress');
      const use = await ask(
        `使用微信收货地址？\n${PREVIEW_ADDRESS.userName} ${PREVIEW_ADDRESS.telNumber}\n${PREVIEW_ADDRESS.provinceName}${PREVIEW_ADDRESS.cityName}${PREVIEW_ADDRESS.countyName}${PREVIEW_ADDRESS.detailInfo}`,
      );
      if (!use) throw { errMsg: 'chooseAddress:fail cancel' };
      return { ...PREVIEW_ADDRESS, errMsg: 'chooseAddress:ok' };
    }),
    onNeedPrivacyAuthorization: (listener: Parameters<typeof privacy.listen>[0]) => privacy.listen(listener),
    getPrivacySetting: api(async () => ({ needAuthorization: !privacy.agreed(), privacyContractName: PRIVACY_GUIDE })),
    /** The guide as configured in the WeChat console: the app's own copy of it (pages/privacy). */
    openPrivacyContract: api(() => navigation.navigateTo('/pages/privacy/index')),
    setClipboardData: api(async ({ data }: { data: string }) => {
      await navigator.clipboard?.writeText(data).catch(() => undefined);
      showToast('内容已复制');
    }),
    getSystemInfoSync: () => ({
      windowWidth: 375,
      windowHeight: 667,
      screenWidth: 375,
      pixelRatio: 2,
      platform: 'devtools',
      SDKVersion: '3.0.0',
    }),
    getWindowInfo: () => ({ windowWidth: 375, windowHeight: 667, screenWidth: 375, pixelRatio: 2 }),
    getSystemSetting: () => ({}),
    getAppBaseInfo: () => ({ SDKVersion: '3.0.0', theme: 'light' }),
    getDeviceInfo: () => ({ platform: 'devtools' }),
    // The phone plays a member's released app: 本地调试 is for DevTools' develop build.
    getAccountInfoSync: () => ({ miniProgram: { envVersion: 'release', appId: 'wx-local-app' } }),
    canIUse: () => true,
    vibrateShort: api(async () => undefined),
    showShareMenu: api(async () => undefined),
  };
}
