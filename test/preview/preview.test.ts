import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Emulator, callGateway } from 'cloudbase-emulator';
import type { Browser, Page } from 'playwright-core';
import { ROOT, allPages } from '../../scripts/local-cloud';
import { emulatorForThisFile } from '../helpers/emulator';
import type { MiniprogramFiles } from '../../scripts/preview/files';
import { launchBrowser } from '../../scripts/preview/browser';
import { type Preview, startPreview } from '../../scripts/preview/server';

/**
 * The preview in Debian's chromium (scripts/setup-browser.sh installs it): the project's
 * real pages, live against the local emulator. Every page is photographed loading, empty
 * (a brand-new member) and filled, into test-artifacts/preview/ (not committed); and the
 * journey of the issue is walked by clicking: check in, redeem, show the code, and as
 * staff write it off.
 */
const ARTIFACTS = join(ROOT, 'test-artifacts', 'preview');
const GALLERY = process.env['SCREENS_DIR'] ? join(ROOT, process.env['SCREENS_DIR']) : null;
let emulator: Emulator;
let preview: Preview;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  if (GALLERY) mkdirSync(GALLERY, { recursive: true });
  emulator = await emulatorForThisFile();
  emulator.setNow(new Date('2026-03-10T10:00:00+08:00'));
  preview = await startPreview({ port: 0, emulatorUrl: emulator.url });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await preview?.close();
});

const call = async (fn: string, openid: string, body: Record<string, unknown>) => {
  const reply = (await callGateway<{ ok: boolean; data?: Record<string, unknown> }>(emulator.url, fn, body, openid)).body;
  assert.ok(reply.ok, JSON.stringify(reply));
  return reply.data as Record<string, unknown>;
};

/** What the tests reach of the preview's runtime (scripts/preview/client.ts) in the page. */
type PreviewWindow = {
  preview: {
    appJson(): MiniprogramFiles['app'];
    identity: { openid: string };
    navigation: { reLaunch(url: string): Promise<void> };
    holdReplies(ms: number): void;
    settled(): Promise<void>;
    painted(): Promise<void>;
  };
};

let opened: { tab: Page; errors: string[] } | undefined;
/**
 * The phone: one tab with the preview open, which every test picks up in turn, now as
 * `openid` on `page` (reLaunch, as the app opens a page afresh); page errors fail the
 * test. Loading the preview in a new tab costs seconds; a link opened as someone else
 * (a shared page) gets its own tab.
 */
async function phone(openid: string, page = 'pages/home/index'): Promise<{ tab: Page; errors: string[] }> {
  if (opened) {
    opened.errors.length = 0;
    await opened.tab.evaluate(
      async ({ openid, url }) => {
        const { preview } = globalThis as unknown as PreviewWindow;
        preview.identity.openid = openid;
        await preview.navigation.reLaunch(url);
      },
      { openid, url: `/${page}` },
    );
    return opened;
  }
  const tab = await browser.newPage({ viewport: { width: 1000, height: 820 } });
  const errors: string[] = [];
  tab.on('pageerror', (e) => errors.push(e.message));
  tab.on('dialog', (d) => void d.accept());
  await tab.goto(`${preview.url}/?openid=${openid}&page=/${page}`);
  opened = { tab, errors };
  return opened;
}
/** The browser's document, as much of it as these scripts read (the tests compile without the DOM's types). */
type Screen = { document: { getElementById(id: 'screen'): { innerText: string } } };
/** What the phone's screen reads, laid out as shown (hidden pages and line breaks as rendered). */
// biome-ignore lint/performance/useDomNodeTextContent: the text as laid out (hidden pages left out) is what a member reads
const screenText = (tab: Page) => tab.evaluate(() => (globalThis as unknown as Screen).document.getElementById('screen').innerText);
/** Waits, frame by frame, until the screen reads `pattern`; on timeout says what it read instead. */
async function waitForText(tab: Page, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  const shown = await tab
    .waitForFunction(
      ({ source, flags }) => {
        // biome-ignore lint/performance/useDomNodeTextContent: as screenText
        const text = (globalThis as unknown as Screen).document.getElementById('screen').innerText;
        return new RegExp(source, flags).test(text) && text;
      },
      { source: pattern.source, flags: pattern.flags },
      { timeout: timeoutMs },
    )
    .catch(async () => {
      throw new Error(`screen never showed ${pattern}; it shows: ${(await screenText(tab)).slice(0, 300)}`);
    });
  return (await shown.jsonValue()) as string;
}

/**
 * What a member should never see on a screen: content wider than the phone, ids where names
 * belong (openids, demo ids, raw hashes — a WeChat Pay order number excepted), English
 * words outside brand and format names, and pictures that did not load.
 */
async function screenProblems(tab: Page): Promise<string[]> {
  return tab.evaluate(() => {
    type Img = { naturalWidth: number; complete: boolean; getAttribute(n: string): string | null };
    type El = { scrollWidth: number; clientWidth: number; innerText: string; querySelectorAll(s: string): ArrayLike<Img> };
    const screen = (globalThis as unknown as { document: { getElementById(id: string): El } }).document.getElementById('screen');
    const found: string[] = [];
    if (screen.scrollWidth > screen.clientWidth + 1) found.push(`wider than the phone (${screen.scrollWidth} > ${screen.clientWidth})`);
    // biome-ignore lint/performance/useDomNodeTextContent: the text as laid out is what a member reads
    const text = screen.innerText.replace(/P[0-9a-f]{30}/g, '');
    for (const id of text.match(/(^|[^\w-])(o-[a-z][a-z-]*|u\d|demo-(staff|operator|store-\d)|[0-9a-f]{16,})(?![\w-])/g) ?? [])
      found.push(`an id on screen: ${id.trim()}`);
    const allowed = /^(MemberLoop|WebP|PNG|JPEG)$/;
    for (const word of text.match(/[A-Za-z]{4,}/g) ?? []) if (!allowed.test(word)) found.push(`English on screen: ${word}`);
    for (const img of Array.from(screen.querySelectorAll('img')))
      if (img.getAttribute('src') && img.complete && img.naturalWidth === 0)
        found.push(`a picture that did not load: ${img.getAttribute('src')?.slice(0, 60)}`);
    return [...new Set(found)];
  });
}

describe('the preview in a browser', () => {
  it('renders every page loading, empty and filled, without a page error', async () => {
    // A filled member: check-ins, points, a coupon, an order.
    await call('member', 'o-filled', { action: 'home' });
    await call('member', 'o-filled', { action: 'checkin' });
    await call('ops', 'demo-operator', { action: 'grant', openid: 'o-filled', points: 800, reason: '预览', requestId: 'preview-grant-1' });
    const coupon = await call('member', 'o-filled', { action: 'redeem', itemId: 'coupon-100-minus-20', requestId: 'preview-redeem-1' });
    await call('member', 'o-filled', { action: 'redeem', itemId: 'parking-2h', requestId: 'preview-redeem-2' });
    // A group the member leads (paid, open to friends) and a bargain a friend has cut.
    const opened = await call('member', 'o-filled', { action: 'openGroup', dealId: 'cup-group', requestId: 'preview-group-1' });
    const leaderOrder = (opened['order'] as { orderId: string }).orderId;
    await emulator.pay.pay(leaderOrder, 'success', 'now');
    const bargain = await call('member', 'o-filled', { action: 'startBargain', dealId: 'cup-bargain' });
    await call('member', 'o-friend', { action: 'helpBargain', bargainId: bargain['bargainId'] });
    // A cup sent to an address, paid and shipped: its order page shows the parcel.
    const address = {
      userName: '张三',
      telNumber: '13800138000',
      provinceName: '广东省',
      cityName: '广州市',
      countyName: '海珠区',
      detailInfo: '新港中路397号',
    };
    const cup = await call('member', 'o-filled', { action: 'createPayOrder', itemId: 'thermos-cup', requestId: 'preview-cup-1', address });
    await emulator.pay.pay(cup['orderId'] as string, 'success', 'now');
    const parcel = emulator.store.get('payOrders', cup['orderId'] as string)?.['orderId'] as string;
    await call('ops', 'demo-operator', {
      action: 'updateOrder',
      orderId: parcel,
      status: 'shipped',
      shipping: { carrier: '顺丰速运', trackingNo: 'SF1234567890' },
    });
    await emulator.fireTrigger('timer', 'tick'); // the operations center's figures
    const query: Record<string, string> = {
      'pages/checkout/index': '?id=thermos-cup',
      'pages/order/index': `?id=${parcel}`,
      'pages/item/index': '?id=coupon-100-minus-20',
      'pages/coupon/index': `?id=${coupon['couponId']}`,
      'deals/detail/index': '?id=cup-group',
      'deals/group/index': `?id=${opened['groupId']}`,
      'deals/bargain/index': `?id=${bargain['bargainId']}`,
      'ops/editor/index': '?collection=tasks&id=daily-checkin',
    };
    const staffPages = new Set(['store/scan/index', 'store/history/index', 'store/purchase/index']);
    // One phone; each page is opened in it as the app would (reLaunch), as whoever it is for.
    const { tab, errors } = await phone('o-filled');
    const phoneBox = await tab.locator('#phone').boundingBox();
    assert.ok(phoneBox);
    const booted = await tab.waitForFunction(() => {
      const app = (globalThis as unknown as PreviewWindow).preview.appJson();
      return app.pages.length > 0 && app;
    });
    const pages = allPages((await booted.jsonValue()) as MiniprogramFiles['app']);
    // What a member must never see, page by page (the operator's pages are #26's).
    const problems: string[] = [];
    const states = [
      ['loading', 'o-filled'],
      ['empty', 'o-new'],
      ['filled', 'o-filled'],
    ] as const;
    for (const [state, member] of states) {
      for (const page of pages) {
        const openid = page.startsWith('ops/') ? 'demo-operator' : staffPages.has(page) ? 'demo-staff' : member;
        await tab.evaluate(
          async ({ url, openid, loading }) => {
            const { preview } = globalThis as unknown as PreviewWindow;
            preview.identity.openid = openid;
            // A loading page is photographed at its first paint, its replies held back.
            preview.holdReplies(loading ? 5000 : 0);
            const opened = preview.navigation.reLaunch(url);
            if (loading) return preview.painted();
            await opened;
            await preview.settled();
          },
          { url: `/${page}${query[page] ?? ''}`, openid, loading: state === 'loading' },
        );
        await tab.screenshot({ path: join(ARTIFACTS, `${page.split('/')[1]}-${state}.png`), clip: phoneBox });
        // `npm run screens` keeps the empty and filled screens for docs/screens.md, small.
        if (GALLERY && state !== 'loading')
          await tab.screenshot({
            path: join(GALLERY, `${page.replace('/index', '').replace('/', '-')}-${state}.jpg`),
            clip: phoneBox,
            type: 'jpeg',
            quality: 55,
          });
        assert.deepEqual(errors, [], `${page} ${state}`);
        if (state !== 'loading') assert.ok((await screenText(tab)).trim().length > 0, `${page} ${state} shows something`);
        if (state !== 'loading' && !page.startsWith('ops/'))
          problems.push(...(await screenProblems(tab)).map((p) => `${page} ${state}: ${p}`));
      }
    }
    assert.deepEqual(problems, []);
  });

  it('a member checks in, redeems a coupon and shows its code; staff writes it off — by clicking the real pages', async () => {
    await call('member', 'o-journey', { action: 'home' });
    await call('ops', 'demo-operator', { action: 'grant', openid: 'o-journey', points: 500, reason: '预览', requestId: 'preview-grant-2' });
    const { tab, errors } = await phone('o-journey');
    await waitForText(tab, /立即签到/);
    await tab.locator('#screen >> text=立即签到').click();
    await waitForText(tab, /今日已签到[\s\S]*\+10 积分[\s\S]*签到成功[\s\S]*明天签到可得/);
    const phoneBox = await tab.locator('#phone').boundingBox();
    // The moment as it settles (its entrance animation run to the end).
    await tab.screenshot({ path: join(ARTIFACTS, 'home-checkin-moment.png'), clip: phoneBox ?? undefined, animations: 'disabled' });
    await tab.locator('#screen >> text=开心收下').click();
    await tab.locator('#tab-mall').click();
    await waitForText(tab, /满100减20券/);
    await tab.locator('#screen >> text=满100减20券').first().click();
    await waitForText(tab, /立即兑换/);
    await tab.locator('#screen >> text=立即兑换').click();
    await tab.locator('#screen >> text=确认兑换').click();
    await waitForText(tab, /兑换成功/);
    await tab.locator('#screen >> text=去使用').click();
    const shown = await waitForText(tab, /\d{4} \d{4} \d{3} \d{3}/);
    const code = (/(\d{4} \d{4} \d{3} \d{3})/.exec(shown)?.[1] ?? '').replace(/ /g, '');
    assert.deepEqual(errors, []);

    const staff = await phone('demo-staff', 'store/scan/index');
    await waitForText(staff.tab, /查询/);
    // The query button is enabled once the page has the code (its input handler ran). Typed
    // before the page bound its handler (a loaded machine), the input is lost: type it again.
    for (let tries = 1; ; tries++) {
      await staff.tab.locator('#screen input').first().fill(code);
      const taken = await staff.tab
        .waitForFunction(
          (typed) =>
            (
              globalThis as unknown as { preview: { navigation: { current(): { rendered: { instance: { data: { code?: string } } } } } } }
            ).preview.navigation.current().rendered.instance.data.code === typed,
          code,
          { timeout: 5_000 },
        )
        .then(() => true)
        .catch(() => false);
      if (taken) break;
      assert.ok(tries < 6, 'the scan page never took the typed code');
    }
    await staff.tab.locator('#screen >> text=查询').click();
    await waitForText(staff.tab, /确认核销/);
    await staff.tab.locator('#screen input').nth(1).fill('128');
    await staff.tab.waitForFunction(
      () =>
        (
          globalThis as unknown as { preview: { navigation: { current(): { rendered: { instance: { data: { amountText?: string } } } } } } }
        ).preview.navigation.current().rendered.instance.data.amountText === '128',
    );
    await staff.tab.locator('#screen >> text=确认核销').click();
    await waitForText(staff.tab, /核销成功[\s\S]*优惠 20 元/);
    assert.deepEqual(staff.errors, []);
    assert.equal(emulator.store.get('coupons', code.slice(0, 8))?.['status'], 'used');
  });

  it('a member picks an avatar from the computer’s files: it is uploaded under the storage rules, saved and shown', async () => {
    const { tab, errors } = await phone('o-avatar', 'pages/profile/index');
    await waitForText(tab, /点击更换头像/);
    // WeChat asks for the privacy agreement first; the chooser opens once it is given.
    await tab.locator('#screen wx-button[data-pv-open-type=chooseAvatar]').click();
    await waitForText(tab, /用户隐私保护提示/);
    const [chooser] = await Promise.all([tab.waitForEvent('filechooser'), tab.locator('#screen >> text=同意并继续').click()]);
    await chooser.setFiles(join(ROOT, 'db', 'seed-files', 'items', 'thermos-cup-1.png'));
    await waitForText(tab, /已保存/);
    const avatar = emulator.store.get('members', 'o-avatar')?.['avatar'] as string;
    assert.match(avatar, /^cloud:\/\/[^/]+\/avatars\/\d+-\w+\.png$/);
    // The page shows the fileID itself, as `<image src="cloud://…">` does on a phone.
    await tab.waitForFunction(() => {
      const img = (
        globalThis as unknown as { document: { querySelector(s: string): { naturalWidth: number } | null } }
      ).document.querySelector('#screen wx-button[data-pv-open-type=chooseAvatar] img');
      return (img?.naturalWidth ?? 0) > 0;
    });
    assert.deepEqual(errors, []);
  });

  it('goods to an address: privacy agreed once, the address book, 提交订单 and pay — the order page follows it', async () => {
    await call('member', 'o-checkout', { action: 'home' });
    const { tab, errors } = await phone('o-checkout', 'pages/checkout/index?id=thermos-cup');
    await waitForText(tab, /请选择收货地址/);
    await tab.locator('#screen >> text=请选择收货地址').click();
    await waitForText(tab, /用户隐私保护提示/);
    await tab.locator('#screen >> text=同意并继续').click();
    // The preview's address book (a dialog the test accepts) gives its saved address.
    await waitForText(tab, /张三\s*138\*\*\*\*8000/);
    await tab.locator('#screen >> text=提交订单').click();
    await waitForText(tab, /待发货[\s\S]*张三[\s\S]*品牌保温杯/);
    assert.deepEqual(errors, []);
    const order = emulator.store.all('payOrders').find((o) => o['openid'] === 'o-checkout');
    assert.equal(order?.['state'], 'fulfilled');
    assert.equal((order?.['delivery'] as { address?: { userName: string } } | undefined)?.address?.userName, '张三');
  });

  it('sharing gives a link that opens the page as a new friend, and the invite counts for the sharer', async () => {
    const { tab, errors } = await phone('o-sharer', 'pages/tasks/index');
    await waitForText(tab, /邀请/);
    await tab.locator('#share').click();
    const href = await tab.locator('#shared a').getAttribute('href');
    assert.match(href ?? '', /page=%2Fpages%2Fhome%2Findex%3FinviteCode%3D[A-Z2-9]{8}/);
    const friend = await browser.newPage({ viewport: { width: 1000, height: 820 } });
    friend.on('dialog', (d) => void d.accept());
    await friend.goto(`${preview.url}${href}`);
    await waitForText(friend, /欢迎加入/);
    const tasks = await call('member', 'o-sharer', { action: 'tasks' });
    assert.equal((tasks['tasks'] as { id: string; progress: number }[]).find((t) => t.id === 'invite-3')?.progress, 1);
    await tab.locator('#refresh').click(); // the pull-down gesture reloads the list
    await waitForText(tab, /1\/3/);
    assert.deepEqual(errors, []);
    await friend.close();
  });
});
