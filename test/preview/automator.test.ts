import assert from 'node:assert/strict';
import { type Emulator, callGateway } from 'cloudbase-emulator';
import automator from 'miniprogram-automator';
import type MiniProgram from 'miniprogram-automator/out/MiniProgram';
import type { Browser } from 'playwright-core';
import { emulatorForThisFile } from '../helpers/emulator';
import { launchBrowser } from '../../scripts/preview/browser';
import { type Preview, startPreview } from '../../scripts/preview/server';

/**
 * The journeys as a WeChat developer writes them: `miniprogram-automator` scripts, here
 * connected to the preview (in Debian's chromium) instead of DevTools — the same scripts
 * run against DevTools on a desktop (docs/preview.md). The member checks in, redeems a
 * coupon and shows its code; staff writes it off; a reminder from the outbox opens home.
 */
let emulator: Emulator;
let preview: Preview;
let browser: Browser;
let mp: MiniProgram;

const call = async (fn: string, openid: string, body: Record<string, unknown>) => {
  const reply = (await callGateway<{ ok: boolean; data?: Record<string, unknown> }>(emulator.url, fn, body, openid)).body;
  assert.ok(reply.ok, JSON.stringify(reply));
  return reply.data as Record<string, unknown>;
};
/** The identity the preview calls the gateway as (the panel's switch). */
const actAs = (openid: string) =>
  mp.evaluate((who: string) => {
    (globalThis as unknown as { preview: { identity: { openid: string } } }).preview.identity.openid = who;
  }, openid);
/** Types into a field, as `InputElement.input` does (the element of an `<input>`). */
const typeInto = async (page: Awaited<ReturnType<MiniProgram['currentPage']>>, selector: string, text: string) =>
  ((await page!.$(selector)) as unknown as { input(value: string): Promise<void> }).input(text);
async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Changes route as `mp.reLaunch`/`mp.navigateTo` do, without their fixed three-second wait
 * (miniprogram-automator sleeps 3 s after each): the wx method, then the page stack's own
 * answer once the new page is on top.
 */
async function go(method: 'reLaunch' | 'navigateTo', url: string) {
  await mp.callWxMethod(method, { url });
  const route = url.replace(/^\//, '').split('?')[0];
  const page = await until(
    () => mp.currentPage(),
    (p) => p?.path === route,
  );
  assert.equal(page?.path, route, `${method} ${url}`);
  return page;
}

beforeAll(async () => {
  emulator = await emulatorForThisFile();
  emulator.setNow(new Date('2026-03-10T10:00:00+08:00'));
  preview = await startPreview({ port: 0, emulatorUrl: emulator.url });
  browser = await launchBrowser();
  const tab = await browser.newPage({ viewport: { width: 1000, height: 820 } });
  tab.on('dialog', (d) => void d.accept());
  await tab.goto(`${preview.url}/?automator=1&openid=o-auto`);
  mp = await automator.connect({ wsEndpoint: `${preview.url.replace('http', 'ws')}/automator` });
});
afterAll(async () => {
  mp?.disconnect();
  await browser?.close();
  await preview?.close();
});

describe('miniprogram-automator against the preview', () => {
  it('a member checks in, redeems a coupon and shows its code; staff writes it off', async () => {
    await call('member', 'o-auto', { action: 'home' });
    await call('ops', 'demo-operator', {
      action: 'grant',
      openid: 'o-auto',
      points: 500,
      reason: '自动化',
      requestId: 'automator-grant-1',
    });
    let page = await go('reLaunch', '/pages/home/index');
    assert.equal(page?.path, 'pages/home/index');
    await until(() => page!.data('profile'), Boolean);
    await (await page!.$('#checkin'))!.tap();
    const earned = await until(() => page!.data('earned') as Promise<string>, Boolean);
    assert.match(earned, /\+10 积分/);
    assert.equal(await page!.data('profile.checkedToday'), true);

    page = await go('navigateTo', '/pages/item/index?id=coupon-100-minus-20');
    await until(() => page!.data('item'), Boolean);
    await (await page!.$('#redeem'))!.tap();
    await (await page!.$('#confirm'))!.tap();
    const result = (await until(() => page!.data('result') as Promise<{ couponId?: string } | null>, Boolean)) as { couponId: string };
    await (await page!.$('#view-coupon'))!.tap();
    await until(
      async () => (await mp.currentPage())?.path,
      (path) => path === 'pages/coupon/index',
    );
    page = await mp.currentPage();
    const code = (await until(() => page!.data('code') as Promise<string>, Boolean)) as string;
    assert.equal(code.slice(0, 8), result.couponId);
    assert.match(await (await page!.$('#code-text'))!.text(), /^\d{4} \d{4} \d{3} \d{3}$/);

    await actAs('demo-staff');
    page = await go('reLaunch', '/store/scan/index');
    await typeInto(page, '#code-input', code);
    await until(
      () => page!.data('code'),
      (v) => v === code,
    );
    await (await page!.$('#preview'))!.tap();
    await until(() => page!.data('preview'), Boolean);
    await typeInto(page, '#amount-input', '128');
    await (await page!.$('#confirm'))!.tap();
    const done = (await until(() => page!.data('done') as Promise<{ discount?: number } | null>, Boolean)) as { discount: number };
    assert.equal(done.discount, 2000);
    assert.equal(emulator.store.get('coupons', result.couponId)?.['status'], 'used');
  });

  it('a reminder in the outbox opens home with from=reminder, and the open is counted', async () => {
    for (const day of ['2026-03-11', '2026-03-12', '2026-03-13']) {
      emulator.setNow(new Date(`${day}T09:00:00+08:00`));
      await call('member', 'o-remind', { action: 'checkin' });
    }
    emulator.subscribe.grant('o-remind', 'local-tmpl-streak-reminder');
    await call('member', 'o-remind', { action: 'subscribe', accepted: ['local-tmpl-streak-reminder'], rejected: [] });
    emulator.setNow(new Date('2026-03-14T20:05:00+08:00'));
    assert.ok((await emulator.fireTrigger('timer', 'tick')).ok);
    const [message] = emulator.subscribe.outbox('o-remind');
    assert.match(message?.page ?? '', /^pages\/home\/index\?from=reminder&campaign=streak-evening/);
    await actAs('o-remind');
    const page = await go('reLaunch', `/${message?.page}`);
    assert.deepEqual([page?.path, page?.query['from']], ['pages/home/index', 'reminder']);
    const opened = await until(async () => emulator.store.all('reminders').find((r) => r['openid'] === 'o-remind')?.['openedAt'], Boolean);
    assert.ok(opened, 'the reminder is marked opened');
  });
});
