/**
 * The preview's runtime, in the browser: the project's real pages rendered by
 * miniprogram-simulate (j-component, the runtime the page tests use) from the files the
 * server sends, a page stack and tab bar as the mini-program's, and the `wx` APIs the
 * pages use answered against the local emulator. Bundled by scripts/preview/server.ts.
 */
import simulate from 'miniprogram-simulate';
import { canvasNodes, inlineRpx, nativeFields, tap, touchesFromMouse } from './gestures';
import { speakAutomatorProtocol } from './protocol';
import { wxApis } from './wx';

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
  window?: { navigationBarTitleText?: string };
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
  topChanged();
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
  topChanged();
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

/** A new page on top: its stylesheet alone, its title, the tab bar if it is a tab page, a back button if there is a page below. */
function topChanged(): void {
  scopeStyles();
  drawTabBar();
  (document.getElementById('title') as HTMLElement).textContent = titleOf(stack.at(-1)?.route ?? '');
  (document.getElementById('back') as HTMLElement).style.display = stack.length > 1 ? '' : 'none';
}

/** The navigation bar's title: the page's own `navigationBarTitleText`, else the app's. */
function titleOf(route: string): string {
  const files = (window as unknown as { __FILE_MAP__?: Record<string, string> }).__FILE_MAP__ ?? {};
  const json = files[`${route}.json`];
  const own = json ? (JSON.parse(json) as { navigationBarTitleText?: string }).navigationBarTitleText : undefined;
  return own ?? app.window?.navigationBarTitleText ?? '';
}

function drawTabBar(): void {
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
let delayMs = Number(new URLSearchParams(location.search).get('delay') ?? 0);
let inFlight = 0;
const whenIdle: (() => void)[] = [];

async function gateway(path: string, body: unknown, openid = identity.openid): Promise<unknown> {
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  inFlight++;
  try {
    const res = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-wx-openid': openid },
      body: JSON.stringify(body),
    });
    const reply = (await res.json()) as { ok?: boolean; data?: { code?: unknown } };
    // The till code a phone shows (coupon or 会员码), offered to the "scanner" of any preview tab.
    if (reply.ok && typeof reply.data?.code === 'string' && /^\d{14,16}$/.test(reply.data.code))
      localStorage.setItem('preview.lastCode', reply.data.code);
    return reply;
  } finally {
    // The caller's own handling of the reply runs first (a microtask), then the waiters look.
    setTimeout(() => {
      if (--inFlight > 0) return;
      for (const wake of whenIdle.splice(0)) wake();
    });
  }
}

const painted = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

/**
 * The screen as the member would see it once the page is done: no call in flight, what
 * the replies set painted, every picture loaded. Scripts wait on this instead of a guess.
 * Calls still held back (holdReplies) are not in flight yet.
 */
async function settled(): Promise<void> {
  for (;;) {
    if (inFlight > 0) await new Promise<void>((resolve) => whenIdle.push(resolve));
    await Promise.all(
      [...document.querySelectorAll<HTMLImageElement>('#phone img')].map((img) =>
        img.complete ? undefined : img.decode().catch(() => undefined),
      ),
    );
    await painted();
    if (inFlight === 0) return;
  }
}

/** Holds every later call `ms` before it goes out (0: none), as `?delay=` does from the start. */
function holdReplies(ms: number): void {
  delayMs = ms;
}

const wxGlobal = (window as unknown as { wx: Record<string, unknown> }).wx ?? {};
Object.assign(wxGlobal, wxApis({ gateway, identity, navigation, showToast }));
Object.assign(window, {
  // WXS's built-ins, for the templates' inline modules.
  getRegExp: (pattern: string, flags?: string) => new RegExp(pattern, flags),
  getDate: (...args: ConstructorParameters<typeof Date>) => new Date(...args),
  wx: wxGlobal,
  getApp: () => ({ globalData: {} }),
  getCurrentPages: () => stack.map((p) => Object.assign(p.rendered.instance, { route: p.route, options: p.query })),
});

/** Reloads the app's files from the server and opens `url` afresh (an edit shows at once). */
export async function boot(url = new URLSearchParams(location.search).get('page') ?? undefined): Promise<void> {
  const {
    files,
    app: booted,
    appCss,
  } = (await (await fetch('/files.json')).json()) as { files: Record<string, string>; app: AppJson; appCss: string };
  (window as unknown as { __FILE_MAP__: Record<string, string> }).__FILE_MAP__ = files;
  app = booted;
  (document.getElementById('app-css') as HTMLStyleElement).textContent = appCss;
  await navigation.reLaunch(url ?? `/${app.pages[0] ?? ''}`);
}

touchesFromMouse(screen);
nativeFields(screen);
inlineRpx(screen);
canvasNodes();

/** The app.json of the files last booted (no pages until the first boot has read them). */
const appJson = (): AppJson => app;

Object.assign(window, { preview: { boot, navigation, identity, gateway, settled, painted, holdReplies, appJson } });

// `?automator=1`: scripts written for miniprogram-automator drive this page (protocol.ts).
if (new URLSearchParams(location.search).get('automator')) {
  speakAutomatorProtocol({ stack: () => stack as never, wx: wxGlobal, tap }, `${location.origin.replace(/^http/, 'ws')}/automator-bridge`);
}
