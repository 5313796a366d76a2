import assert from 'node:assert/strict';
import { callThroughGateway, eventually, throughGateway, renderPage, setTransport, sleep, text } from '../helpers/miniprogram';
import type { Emulator } from 'cloudbase-emulator';
import { callFunction, emulatorForThisFile } from '../helpers/emulator';
import { defaultNickname } from '../../core/member/registration';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await emulatorForThisFile();
});

type PageInstance = { onLoad(): Promise<void>; onShow(): Promise<void>; load(): Promise<void>; data: Record<string, unknown> };

describe('home page', () => {
  it('registers a first-time visitor through the member function and shows their card', async () => {
    callThroughGateway(emulator, 'o-page-visitor');
    const page = renderPage('pages/home/index');
    assert.match(text(page), /加载中/);
    await (page.instance as unknown as PageInstance).onLoad();
    await sleep(0);
    const shown = text(page);
    assert.match(shown, new RegExp(defaultNickname('o-page-visitor')), 'a friendly default name, no part of the openid');
    assert.doesNotMatch(shown, /visitor/);
    assert.match(shown, /铜卡会员/);
    assert.equal(page.querySelector('.points-value')?.dom?.textContent, '0');
    assert.match(shown, /欢迎加入/);
    assert.equal(emulator.store.get('members', 'o-page-visitor')?.['openid'], 'o-page-visitor');
  });

  it('a returning member is not welcomed again', async () => {
    callThroughGateway(emulator, 'o-page-visitor');
    const page = renderPage('pages/home/index');
    await (page.instance as unknown as PageInstance).onLoad();
    await sleep(0);
    assert.doesNotMatch(text(page), /欢迎加入/);
  });

  it('shows a friendly message and a retry button when the call fails, and retry recovers', async () => {
    let fail = true;
    setTransport(async (name, data) => {
      if (fail) throw { errMsg: 'cloud.callFunction:fail timeout' };
      return throughGateway(emulator, 'o-retry')(name, data);
    });
    const page = renderPage('pages/home/index');
    await (page.instance as unknown as PageInstance).onLoad();
    await sleep(0);
    assert.match(text(page), /网络不给力/);
    fail = false;
    const retry = page.querySelector('#load-state')?.querySelector('#retry');
    assert.ok(retry, 'a retry button is rendered');
    // A tap on the native button reaches tdesign's handleTap, which emits the button's tap.
    (retry.instance as unknown as { handleTap(e: object): void }).handleTap({});
    await eventually(() => assert.match(text(page), new RegExp(defaultNickname('o-retry'))));
  });
});

describe('home page check-in', () => {
  type Tappable = { instance: unknown } | undefined;
  const tap = (button: Tappable) => (button!.instance as { handleTap(e: object): void }).handleTap({});

  it('tapping check-in calls the API and shows the new streak, points and what was earned; the task’s reward is claimed on home', async () => {
    emulator.reset();
    emulator.setNow(new Date('2026-03-02T02:00:00Z'));
    callThroughGateway(emulator, 'o-tapper');
    const page = renderPage('pages/home/index');
    await (page.instance as unknown as PageInstance).onLoad();
    await sleep(0);
    assert.equal(page.querySelector('.streak-value')?.dom?.textContent, '0');
    tap(page.querySelector('#checkin'));
    await eventually(() => assert.equal(page.querySelector('.streak-value')?.dom?.textContent, '1'));
    assert.equal(page.querySelector('.points-value')?.dom?.textContent, '10');
    assert.match(text(page), /\+10 积分 · 新人双倍/);
    assert.match(text(page), /今日已签到/);
    assert.equal(emulator.store.count('checkins'), 1);
    await eventually(() => assert.match(text(page.querySelector('#today-daily-checkin') ?? {}), /每日签到\s*\+5 积分\s*1\/1\s*领取/));
    // The task's reward is taken right here: 领取.
    (page.querySelector('#claim-daily-checkin') as unknown as { dispatchEvent(n: string): void }).dispatchEvent('tap');
    await eventually(() => assert.match(text(page), /领取成功：5 积分/));
    assert.equal(page.querySelector('.points-value')?.dom?.textContent, '15');
    await eventually(() => assert.match(text(page.querySelector('#today-daily-checkin') ?? {}), /已领取/));
  });

  it('an error code from check-in renders the friendly message', async () => {
    emulator.setNow(new Date('2026-03-02T03:00:00Z'));
    callThroughGateway(emulator, 'o-tapper');
    const page = renderPage('pages/home/index');
    const instance = page.instance as unknown as PageInstance & { setData(d: object): void };
    await instance.onLoad();
    await sleep(0);
    // The page thinks today is still open (e.g. checked in on another phone a moment ago).
    instance.setData({ 'profile.checkedToday': false });
    tap(page.querySelector('#checkin'));
    await eventually(() => assert.match(text(page), /今天已经签到过啦，明天再来/));
    assert.equal(emulator.store.count('checkins'), 1);
  });

  it('the check-in moment: the points and why, the streak, tomorrow and the next milestone; the strip marks today done', async () => {
    emulator.reset();
    emulator.setNow(new Date('2026-03-02T02:00:00Z'));
    callThroughGateway(emulator, 'o-moment');
    const page = renderPage('pages/home/index');
    await (page.instance as unknown as PageInstance).onLoad();
    await eventually(() => assert.ok(page.querySelector('#week')));
    assert.match(text(page.querySelector('#week') ?? {}), /\+10\s*今天\s*\+20\s*第2天\s*\+30\s*礼\s*第3天/);
    assert.equal(page.querySelector('#moment'), undefined, 'no moment before checking in');
    tap(page.querySelector('#checkin'));
    await eventually(() => assert.ok(page.querySelector('#moment')));
    assert.match(
      text(page.querySelector('#moment') ?? {}),
      /签到成功\s*\+10\s*积分\s*新人双倍\s*已连续签到 1 天\s*明天签到可得\s*\+20\s*积分\s*再签 2 天：连签3天专属券/,
    );
    assert.match(text(page.querySelector('#week') ?? {}), /^✓\s*第1天/, 'today’s slot is done');
    tap(page.querySelector('#moment-close'));
    await eventually(() => assert.equal(page.querySelector('#moment'), undefined));
  });

  it('after midnight, coming back to home clears yesterday’s “+10 积分” and offers today’s check-in', async () => {
    emulator.reset();
    emulator.setNow(new Date('2026-03-02T15:50:00Z')); // 23:50 Beijing
    callThroughGateway(emulator, 'o-midnight');
    const page = renderPage('pages/home/index');
    const instance = page.instance as unknown as PageInstance & { onShow(): Promise<void> };
    await instance.onLoad();
    await eventually(() => assert.ok(page.querySelector('#checkin')));
    tap(page.querySelector('#checkin'));
    await eventually(() => assert.match(text(page), /\+10 积分 · 新人双倍/));
    emulator.setNow(new Date('2026-03-02T16:10:00Z')); // 00:10 the next day
    await instance.onShow();
    await eventually(() => assert.match(text(page), /立即签到/));
    assert.doesNotMatch(text(page), /\+10 积分 · 新人双倍/);
  });
});

describe('home page reminders', () => {
  type Tappable = { instance: unknown } | undefined;
  const tap = (button: Tappable) => (button!.instance as { handleTap(e: object): void }).handleTap({});
  const wxGlobal = globalThis as unknown as { wx: Record<string, unknown> };

  it('the check-in tap asks for reminder subscriptions and reports what the member chose', async () => {
    emulator.reset();
    emulator.setNow(new Date('2026-03-02T02:00:00Z'));
    callThroughGateway(emulator, 'o-consent');
    const page = renderPage('pages/home/index');
    await (page.instance as unknown as PageInstance).onLoad();
    await sleep(0);
    const asked: string[][] = [];
    // What WeChat's dialog answers: the member accepts the streak reminder, rejects the other.
    wxGlobal.wx['requestSubscribeMessage'] = (options: { tmplIds: string[]; success(res: Record<string, string>): void }) => {
      asked.push(options.tmplIds);
      options.success({ errMsg: 'requestSubscribeMessage:ok', [options.tmplIds[0]!]: 'accept', [options.tmplIds[1]!]: 'reject' });
    };
    try {
      tap(page.querySelector('#checkin'));
      await eventually(() => assert.match(text(page), /今日已签到/));
      assert.deepEqual(asked, [['local-tmpl-streak-reminder', 'local-tmpl-return-reminder']]);
      await eventually(() =>
        assert.deepEqual((emulator.store.get('subscriptions', 'o-consent') as { credits?: object } | undefined)?.credits, {
          'local-tmpl-streak-reminder': 1,
        }),
      );
    } finally {
      delete wxGlobal.wx['requestSubscribeMessage'];
    }
  });

  it('opened from a reminder, the page reports it and the reminder is marked opened', async () => {
    emulator.setNow(new Date('2026-03-02T12:10:00Z'));
    callThroughGateway(emulator, 'o-consent');
    const id = 'o-consent:streak-evening:2026-03-02';
    emulator.store.write('reminders', id, {
      _id: id,
      openid: 'o-consent',
      campaign: 'streak-evening',
      occasion: '2026-03-02',
      day: '2026-03-02',
      at: new Date('2026-03-02T12:00:00Z'),
      status: 'sent',
      reason: null,
      experiment: null,
      arm: null,
      openedAt: null,
    });
    const page = renderPage('pages/home/index');
    await (page.instance as unknown as { onLoad(o: object): Promise<void> }).onLoad({ from: 'reminder', campaign: 'streak-evening' });
    await eventually(() => assert.ok((emulator.store.get('reminders', id) as { openedAt?: unknown }).openedAt));
  });
});

describe('home page welcome back', () => {
  const wxGlobal = globalThis as unknown as { wx: Record<string, unknown> };
  const beijing = (time: string) => emulator.setNow(new Date(`${time}+08:00`));

  it('a member back after a long absence sees the return gift pack and a product they browsed', async () => {
    emulator.reset();
    beijing('2026-03-01T09:00:00');
    callThroughGateway(emulator, 'o-returner');
    const first = renderPage('pages/home/index');
    await (first.instance as unknown as PageInstance).onLoad();
    await sleep(0);
    assert.doesNotMatch(text(first), /回归礼包/);
    await callFunction(emulator, 'member', { action: 'track', event: 'browse_product', productId: 'gift-mug' }, 'o-returner');
    for (const time of ['2026-03-17T02:00:00', '2026-03-17T10:00:00']) {
      beijing(time);
      await emulator.fireTrigger('timer', 'tick');
    }

    beijing('2026-03-18T19:00:00');
    const page = renderPage('pages/home/index');
    await (page.instance as unknown as PageInstance).onLoad();
    await eventually(() => assert.match(text(page), /欢迎回来！回归礼包已到账/));
    assert.match(text(page), /100 积分 · 补签卡 ×1 · 回归礼包满100减20券/);
    assert.equal(page.querySelector('.points-value')?.dom?.textContent, '100', 'the balance includes the pack');
    const opened: string[] = [];
    wxGlobal.wx['navigateTo'] = (options: { url: string }) => opened.push(options.url);
    try {
      const pick = page.querySelector('.gift-pick');
      assert.match(text(pick ?? {}), /你看过的「品牌马克杯」还在/);
      pick?.dispatchEvent('tap');
      await eventually(() => assert.deepEqual(opened, ['/pages/item/index?id=gift-mug']));
    } finally {
      delete wxGlobal.wx['navigateTo'];
    }
  });
});

describe('me page', () => {
  it('shows the staff role operators granted to demo-staff', async () => {
    callThroughGateway(emulator, 'demo-staff');
    const page = renderPage('pages/me/index');
    await (page.instance as unknown as PageInstance).onShow();
    await sleep(0);
    assert.match(text(page), /门店店员 · MemberLoop 旗舰店/, 'the store by its name, not its id');
  });

  it('the member’s card leads to 会员码 and each order shortcut to its tab of 我的订单', async () => {
    callThroughGateway(emulator, 'o-me-card');
    const page = renderPage('pages/me/index');
    await (page.instance as unknown as PageInstance).onShow();
    await eventually(() => assert.match(text(page), /待付款.*待发货.*已发货.*已完成.*退款/));
    assert.match(text(page), /完善头像、昵称和生日/, 'a new member is asked for a name and a face');
    const opened: unknown[] = [];
    const wx = (globalThis as unknown as { wx: Record<string, unknown> }).wx;
    const before = wx['navigateTo'];
    wx['navigateTo'] = (o: unknown) => {
      opened.push(o);
      return Promise.resolve({});
    };
    try {
      for (const id of ['#orders-unpaid', '#orders-refund', '#link-member-code'])
        (page.querySelector(id) as unknown as { dispatchEvent(name: string): void }).dispatchEvent('tap');
      await eventually(() =>
        assert.deepEqual(opened, [
          { url: '/pages/orders/index?tab=unpaid' },
          { url: '/pages/orders/index?tab=refund' },
          { url: '/pages/member-code/index' },
        ]),
      );
    } finally {
      wx['navigateTo'] = before;
    }
  });
});
