/**
 * The preview's runtime, in the browser: the project's real pages rendered by
 * miniprogram-simulate (j-component, the runtime the page tests use) from the files the
 * server sends, a page stack and tab bar as the mini-program's, and the `wx` APIs the
 * pages use answered against the local emulator. Bundled by scripts/preview/server.ts.
 */
import exparser from 'miniprogram-exparser';
import simulate from 'miniprogram-simulate';
import { speakAutomatorProtocol } from './protocol';

type Query = Record<string, string>;
interface TabItem {
  pagePath: string;
  text: string;
  iconPath?: string;
  selectedIconPath?: string;
}
interface AppJson {
  pages: string[];
  tabBar?: { list: TabItem[] };
}
interface PageInstance {
  onLoad?(query: Query): unknown;
  onShow?(): unknown;
  onHide?(): unknown;
  onUnload?(): unknown;
  onPullDownRefresh?(): unknown;
  data: Record<string, unknown>;
  setData(data: Record<string, unknown>): void;
}
interface Rendered {
  instance: PageInstance;
  dom: Element;
  attach(parent: Element): void;
  detach(): void;
}
interface Page {
  route: string;
  query: Query;
  rendered: Rendered;
  holder: HTMLElement;
}

const screen = document.getElementById('screen') as HTMLElement;
const tabBar = document.getElementById('tabbar') as HTMLElement;
const toast = document.getElementById('toast') as HTMLElement;
const stack: Page[] = [];
let app: AppJson = { pages: [] };

/**
 * Who the gateway is told is calling (the WeChat identity the platform would inject): the
 * panel's choice, kept per browser tab; `?openid=` sets it when the tab opens.
 */
const firstOpenid = new URLSearchParams(location.search).get('openid');
if (firstOpenid) sessionStorage.setItem('preview.openid', firstOpenid);
export const identity = {
  get openid(): string {
    return sessionStorage.getItem('preview.openid') ?? 'u1';
  },
  set openid(value: string) {
    sessionStorage.setItem('preview.openid', value);
  },
};

function parseUrl(url: string): { route: string; query: Query } {
  const [path = '', search = ''] = url.replace(/^\//, '').split('?');
  return { route: path, query: Object.fromEntries(new URLSearchParams(search)) };
}

const loaded = new Map<string, string>();

function render(route: string): Rendered {
  let id = loaded.get(route);
  if (!id) {
    id = simulate.load(route, 'main', { compiler: 'simulate', rootPath: '' }) as string;
    loaded.set(route, id);
  }
  return simulate.render(id) as unknown as Rendered;
}

async function open(url: string): Promise<void> {
  const { route, query } = parseUrl(url);
  const holder = document.createElement('div');
  holder.className = 'page';
  screen.appendChild(holder);
  const rendered = render(route);
  rendered.attach(holder);
  const page: Page = { route, query, rendered, holder };
  stack.push(page);
  drawTabBar();
  // As on the platform: onShow follows onLoad at once, without waiting for what onLoad started.
  const loading = rendered.instance.onLoad?.(query);
  const showing = rendered.instance.onShow?.();
  await Promise.all([loading, showing]);
}

function hideTop(): void {
  const top = stack.at(-1);
  if (!top) return;
  top.holder.style.display = 'none';
  void top.rendered.instance.onHide?.();
}

function closeTop(): void {
  const top = stack.pop();
  if (!top) return;
  void top.rendered.instance.onUnload?.();
  top.rendered.detach();
  top.holder.remove();
}

function showTop(): void {
  const top = stack.at(-1);
  if (!top) return;
  top.holder.style.display = '';
  drawTabBar();
  void top.rendered.instance.onShow?.();
}

export const navigation = {
  async navigateTo(url: string) {
    hideTop();
    await open(url);
  },
  async redirectTo(url: string) {
    closeTop();
    await open(url);
  },
  async reLaunch(url: string) {
    while (stack.length) closeTop();
    await open(url);
  },
  navigateBack(delta = 1) {
    for (let i = 0; i < delta && stack.length > 1; i++) closeTop();
    showTop();
  },
  current: () => stack.at(-1),
  /** The pull-down gesture: the page's onPullDownRefresh. */
  pullDownRefresh: () => stack.at(-1)?.rendered.instance.onPullDownRefresh?.(),
  /** The share menu: what the page's onShareAppMessage shares, if it shares. */
  share: (): { title: string; path: string } | null => {
    const page = stack.at(-1);
    const share = (page?.rendered.instance as { onShareAppMessage?: () => { title?: string; path?: string } } | undefined)
      ?.onShareAppMessage;
    if (!page || !share) return null;
    const shared = share.call(page.rendered.instance);
    return { title: shared.title ?? '', path: shared.path ?? `/${page.route}` };
  },
  stack: () => stack,
};

/**
 * Each page's stylesheet applies to that page only, as in the mini-program: j-component
 * scopes every page's classes alike (`main--`), so the sheets of the pages below the top
 * one are switched off.
 */
function scopeStyles(): void {
  const top = stack.at(-1)?.route;
  for (const [route, id] of loaded) {
    const sheet = document.getElementById(id);
    if (sheet) sheet.setAttribute('media', route === top ? 'all' : 'not all');
  }
}

function drawTabBar(): void {
  scopeStyles();
  const list = app.tabBar?.list ?? [];
  const route = stack.at(-1)?.route ?? '';
  const onTab = list.some((t) => t.pagePath === route);
  tabBar.style.display = onTab ? 'flex' : 'none';
  tabBar.innerHTML = '';
  for (const tab of list) {
    const item = document.createElement('div');
    item.className = `tab${tab.pagePath === route ? ' active' : ''}`;
    item.id = `tab-${tab.pagePath.split('/')[1]}`;
    const icon = tab.pagePath === route ? tab.selectedIconPath : tab.iconPath;
    item.innerHTML = `${icon ? `<img src="/mp/${icon}" alt="">` : ''}<span>${tab.text}</span>`;
    item.onclick = () => void navigation.reLaunch(`/${tab.pagePath}`);
    tabBar.appendChild(item);
  }
}

function showToast(title: string, ms = 1500): void {
  toast.textContent = title;
  toast.style.display = 'block';
  setTimeout(() => {
    toast.style.display = 'none';
  }, ms);
}

/** `?delay=<ms>` on the preview's address holds every call that long (to see a page's loading state). */
const delayMs = Number(new URLSearchParams(location.search).get('delay') ?? 0);

async function gateway(path: string, body: unknown, openid = identity.openid): Promise<unknown> {
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  const res = await fetch(path, { method: 'POST', headers: { 'x-wx-openid': openid }, body: JSON.stringify(body) });
  const reply = (await res.json()) as { ok?: boolean; data?: { code?: unknown } };
  // The till code a phone shows (coupon or 会员码), offered to the "scanner" of any preview tab.
  if (reply.ok && typeof reply.data?.code === 'string' && /^\d{14,16}$/.test(reply.data.code))
    localStorage.setItem('preview.lastCode', reply.data.code);
  return reply;
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

/** The member's choice in a dialog the preview shows (the real one is WeChat's). */
const ask = (text: string) => Promise.resolve(window.confirm(text));

const wxGlobal = (window as unknown as { wx: Record<string, unknown> }).wx ?? {};
Object.assign(wxGlobal, {
  cloud: {
    init: () => undefined,
    callFunction: api(async ({ name, data }: { name: string; data?: unknown }) => ({ result: await gateway(`/fn/${name}`, data ?? {}) })),
    uploadFile: api(async () => {
      throw { errMsg: 'cloud.uploadFile:fail 预览不支持上传文件' };
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
      if (accepted) await fetch('/_emu/subscribe', { method: 'POST', body: JSON.stringify({ openid: identity.openid, templateId: id }) });
    }
    return reply;
  }),
  requestPayment: api(async (params: { package: string }) => {
    const prepayId = params.package.replace('prepay_id=', '');
    const { payments } = (await (await fetch('/_emu/pay')).json()) as { payments: { _id: string; prepayId: string; totalFee: number }[] };
    const payment = payments.find((p) => p.prepayId === prepayId);
    const pay = await ask(`微信支付 ¥${((payment?.totalFee ?? 0) / 100).toFixed(2)}\n确定：支付成功 · 取消：取消支付`);
    const reply = (await (
      await fetch('/_emu/pay', { method: 'POST', body: JSON.stringify({ outTradeNo: payment?._id, outcome: pay ? 'success' : 'cancel' }) })
    ).json()) as { errMsg: string };
    if (reply.errMsg !== 'requestPayment:ok') throw reply;
    return reply;
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
  getAccountInfoSync: () => ({ miniProgram: { envVersion: 'develop', appId: 'wx-local-app' } }),
  canIUse: () => true,
  vibrateShort: api(async () => undefined),
  showShareMenu: api(async () => undefined),
});
Object.assign(window, {
  // WXS's built-ins, for the templates' inline modules.
  getRegExp: (pattern: string, flags?: string) => new RegExp(pattern, flags),
  getDate: (...args: ConstructorParameters<typeof Date>) => new Date(...args),
  wx: wxGlobal,
  getApp: () => ({ globalData: {} }),
  getCurrentPages: () => stack.map((p) => Object.assign(p.rendered.instance, { route: p.route, options: p.query })),
});

/** A touch at a point of `target` (the mini-program's tap is touchstart → touchend there). */
function touch(target: Element, type: 'touchstart' | 'touchend', x: number, y: number): void {
  const t = new Touch({ identifier: 1, target, pageX: x, pageY: y, clientX: x, clientY: y });
  const init = type === 'touchstart' ? { touches: [t], changedTouches: [t] } : { touches: [], changedTouches: [t] };
  target.dispatchEvent(new TouchEvent(type, { ...init, bubbles: true, cancelable: true, composed: true }));
}

/** A tap on an element, at its centre, on what a finger there would touch. */
export function tap(element: Element): void {
  const box = element.getBoundingClientRect();
  const [x, y] = [box.left + box.width / 2, box.top + box.height / 2];
  const target = document.elementFromPoint(x, y);
  const on = target && element.contains(target) ? target : element;
  touch(on, 'touchstart', x, y);
  touch(on, 'touchend', x, y);
}

/**
 * A desktop browser has a mouse; the mini-program's tap comes from touch events (j-component
 * makes `tap` from touchstart → touchend). A click inside the screen is replayed as a touch.
 */
function touchesFromMouse(): void {
  screen.addEventListener('mousedown', (e) => touch(e.target as Element, 'touchstart', e.clientX, e.clientY));
  screen.addEventListener('mouseup', (e) => touch(e.target as Element, 'touchend', e.clientX, e.clientY));
}
touchesFromMouse();

/** The page's handler for a field's event, as the platform calls it (`bindinput`, `bindchange`). */
function fieldEvent(field: Element, name: string, detail: Record<string, unknown>): void {
  const element = (field as Element & { __wxElement?: unknown }).__wxElement;
  if (element) exparser.triggerEvent(element, name, detail);
}

/**
 * Real fields inside the bare `wx-input` / `wx-textarea` / `wx-picker` elements, kept in
 * step with the attributes the template mirrored (`data-pv-*`): typing fires the page's
 * `input` handler, leaving the field `change` and `blur`; a date picker is a date field
 * that fires `change` with `YYYY-MM-DD`.
 */
function nativeFields(): void {
  const sync = (host: Element) => {
    const isPicker = host.tagName === 'WX-PICKER';
    let field = host.querySelector(':scope > input.pv-field, :scope > textarea.pv-field') as HTMLInputElement | null;
    if (!field) {
      field = document.createElement(host.tagName === 'WX-TEXTAREA' ? 'textarea' : 'input') as HTMLInputElement;
      field.className = 'pv-field';
      if (isPicker) {
        field.type = 'date';
        field.addEventListener('change', () => fieldEvent(host, 'change', { value: field?.value ?? '' }));
        host.appendChild(field);
      } else {
        field.addEventListener('input', () => fieldEvent(host, 'input', { value: field?.value ?? '', cursor: field?.selectionStart ?? 0 }));
        field.addEventListener('change', () => fieldEvent(host, 'change', { value: field?.value ?? '' }));
        field.addEventListener('blur', () => fieldEvent(host, 'blur', { value: field?.value ?? '' }));
        host.appendChild(field);
      }
    }
    const attr = (name: string) => host.getAttribute(`data-pv-${name}`);
    if (isPicker) {
      if (attr('start')) field.min = attr('start') as string;
      if (attr('end')) field.max = attr('end') as string;
      return;
    }
    field.placeholder = attr('placeholder') ?? '';
    const type = attr('type');
    field.type = type === 'number' || type === 'digit' ? 'text' : type === 'password' ? 'password' : 'text';
    if (type === 'number' || type === 'digit') field.inputMode = type === 'digit' ? 'decimal' : 'numeric';
    if (attr('maxlength')) field.maxLength = Number(attr('maxlength'));
    const value = attr('value');
    if (value !== null && document.activeElement !== field && field.value !== value) field.value = value;
  };
  const upgrade = () => {
    for (const host of screen.querySelectorAll('wx-input, wx-textarea, wx-picker')) sync(host);
  };
  new MutationObserver(upgrade).observe(screen, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['data-pv-value', 'data-pv-placeholder'],
  });
}
nativeFields();

/** Reloads the app's files from the server and opens `url` afresh (an edit shows at once). */
export async function boot(url = new URLSearchParams(location.search).get('page') ?? undefined): Promise<void> {
  const {
    files,
    app: appJson,
    appCss,
  } = (await (await fetch('/files.json')).json()) as { files: Record<string, string>; app: AppJson; appCss: string };
  (window as unknown as { __FILE_MAP__: Record<string, string> }).__FILE_MAP__ = files;
  app = appJson;
  (document.getElementById('app-css') as HTMLStyleElement).textContent = appCss;
  await navigation.reLaunch(url ?? `/${app.pages[0] ?? ''}`);
}

Object.assign(window, { preview: { boot, navigation, identity, gateway } });

// `?automator=1`: scripts written for miniprogram-automator drive this page (protocol.ts).
if (new URLSearchParams(location.search).get('automator')) {
  speakAutomatorProtocol({ stack: () => stack as never, wx: wxGlobal, tap }, `${location.origin.replace(/^http/, 'ws')}/automator-bridge`);
}
