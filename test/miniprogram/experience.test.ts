import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/local-cloud';
import { newMember } from '../../core/member/registration';
import { currentCode } from '../../core/mall/code';
import { callFunction, emulatorPerFile } from '../helpers/emulator';
import {
  callThroughGateway,
  eventually,
  manualTimers,
  renderPage,
  setTransport,
  sleep,
  text,
  throughGateway,
  withWx,
} from '../helpers/miniprogram';

const suite = emulatorPerFile();
const emulator = suite.emulator;

type Page = ReturnType<typeof renderPage>;
type Node = { instance: unknown; dom?: Element; dispatchEvent(name: string): void; querySelector(s: string): Node } | null | undefined;
const as = (page: Page) =>
  page.instance as unknown as Record<string, (...args: unknown[]) => Promise<unknown>> & {
    data: Record<string, unknown>;
    setData(d: object): void;
  };
const tapButton = (button: Node) => (button!.instance as { handleTap(e: object): void }).handleTap({});
// biome-ignore lint/suspicious/noExplicitAny: documents as stored, read field by field
const doc = (c: string, id: string) => emulator().store.get(c, id) as Record<string, any> | undefined;

function seedMember(openid: string, points: number) {
  emulator().store.write('members', openid, {
    ...newMember(openid, null, emulator().clock.now(), `I${openid}`),
    nickname: '王小明',
    points,
  } as never);
}

/** A transport that holds every call until `release()`, counting calls by action. */
function heldTransport(openid: string) {
  const waiting: (() => void)[] = [];
  const calls: string[] = [];
  setTransport(async (name, data) => {
    calls.push(String(data['action']));
    await new Promise<void>((resolve) => waiting.push(resolve));
    return throughGateway(emulator(), openid)(name, data);
  });
  return {
    calls,
    release: () => {
      for (const go of waiting.splice(0)) go();
    },
  };
}

describe('points history in Beijing time (item 11)', () => {
  it('a check-in at 00:30 Beijing on 03-10 shows 03-10, not the UTC day', async () => {
    emulator().setNow(new Date('2026-03-09T16:30:00Z'));
    await callFunction(emulator(), 'member', { action: 'checkin' }, 'o-night-owl');
    callThroughGateway(emulator(), 'o-night-owl');
    const page = renderPage('pages/points/index');
    await as(page)['onLoad']!();
    await eventually(() => assert.match(text(page), /每日签到\s*2026-03-10 00:30/));
  });
});

describe('read-only screens and real visits (items 12, 13)', () => {
  const opens = (openid: string) => Number(doc('activity', `${openid}:2026-03`)?.['days']?.['10']?.['open'] ?? 0);

  it('home refreshes its balance on show without counting another visit; 我的 counts none', async () => {
    emulator().setNow(new Date('2026-03-10T02:00:00Z'));
    callThroughGateway(emulator(), 'o-shown');
    const home = renderPage('pages/home/index');
    await as(home)['onLoad']!({});
    await as(home)['onShow']!();
    await eventually(() => assert.equal(home.querySelector('.points-value')?.dom?.textContent, '0'));
    assert.equal(opens('o-shown'), 1);
    await callFunction(
      emulator(),
      'ops',
      { action: 'grant', openid: 'o-shown', points: 300, reason: '测试', requestId: 'refresh-on-show' },
      'demo-operator',
    );
    await as(home)['onShow']!();
    await eventually(() => assert.equal(home.querySelector('.points-value')?.dom?.textContent, '300'));
    const me = renderPage('pages/me/index');
    for (let i = 0; i < 3; i++) await as(me)['onShow']!();
    assert.match(text(me), /300\s*积分\s*\d+\s*补签卡/);
    assert.equal(opens('o-shown'), 1, 'only the home visit counts');
  });

  it('a waiting gift pack stays for the home page, which hands it over and shows it', async () => {
    emulator().setNow(new Date('2026-03-10T02:00:00Z'));
    await callFunction(emulator(), 'member', { action: 'home' }, 'o-gifted');
    const gift = {
      _id: 'o-gifted:return-gift:since-2026-02-20',
      openid: 'o-gifted',
      campaign: 'return-gift',
      pack: { points: 100, makeupCards: 1, couponKey: null },
      recommendation: null,
      status: 'waiting',
      day: '2026-03-09',
      expiresDay: '2026-04-07',
      grantedAt: null,
    };
    emulator().store.write('gifts', gift._id, gift as never);
    emulator().store.write('members', 'o-gifted', { ...doc('members', 'o-gifted'), waitingGift: gift._id } as never);
    callThroughGateway(emulator(), 'o-gifted');
    const me = renderPage('pages/me/index');
    await as(me)['onShow']!();
    await eventually(() => assert.match(text(me), /\b0\s*积分\s*0\s*补签卡/));
    assert.equal(doc('gifts', gift._id)?.['status'], 'waiting');
    const home = renderPage('pages/home/index');
    await as(home)['onLoad']!({});
    await eventually(() => assert.match(text(home), /欢迎回来！回归礼包已到账/));
    assert.equal(doc('gifts', gift._id)?.['status'], 'granted');
  });
});

describe('loading, error with retry, pull-down refresh (item 14)', () => {
  it('no empty state before the first reply; then the rows', async () => {
    emulator().setNow(new Date('2026-03-10T02:00:00Z'));
    await callFunction(emulator(), 'member', { action: 'checkin' }, 'o-slow');
    const held = heldTransport('o-slow');
    for (const [path, empty] of [
      ['pages/points/index', /还没有积分记录/],
      ['pages/coupons/index', /暂无优惠券/],
      ['pages/orders/index', /还没有订单/],
      ['pages/mall/index', /暂无商品/],
    ] as const) {
      const page = renderPage(path);
      const loading = path.includes('points') ? as(page)['onLoad']!() : as(page)['onShow']!();
      await sleep(0);
      assert.match(text(page), /加载中/, path);
      assert.doesNotMatch(text(page), empty, path);
      held.release();
      await loading;
      assert.doesNotMatch(text(page), /加载中/, path);
    }
  });

  it('an empty list offers a way on: 我的订单 and 我的优惠券 to the mall, 积分明细 to check-in', async () => {
    for (const [path, button, url] of [
      ['pages/orders/index', '去积分商城逛逛', '/pages/mall/index'],
      ['pages/coupons/index', '去积分商城兑换', '/pages/mall/index'],
      ['pages/points/index', '去签到赚积分', '/pages/home/index'],
    ] as const) {
      callThroughGateway(emulator(), 'o-empty-lists');
      const page = renderPage(path);
      await (path.includes('points') ? as(page)['onLoad']!() : as(page)['onShow']!());
      const action = () => page.querySelector('#load-state')?.querySelector('#empty-action');
      await eventually(() => assert.match(text(page), new RegExp(button)));
      assert.ok(action(), 'the way on is a button');
      await withWx('switchTab', async (opened) => {
        tapButton(action() as Node);
        await eventually(() => assert.deepEqual(opened, [{ url }]));
      });
    }
  });

  it('a failed list shows the error with a retry that recovers, and pull-down refresh reloads and stops the spinner', async () => {
    let fail = true;
    setTransport(async (name, data) => {
      if (fail) throw { errMsg: 'cloud.callFunction:fail timeout' };
      return throughGateway(emulator(), 'o-flaky')(name, data);
    });
    const page = renderPage('pages/orders/index');
    await as(page)['onShow']!();
    assert.match(text(page), /网络不给力/);
    fail = false;
    tapButton(page.querySelector('#load-state')?.querySelector('#retry') as Node);
    await eventually(() => assert.match(text(page), /还没有订单/));
    await withWx('stopPullDownRefresh', async (stops) => {
      await as(page)['onPullDownRefresh']!();
      assert.equal(stops.length, 1);
    });
  });
});

describe('the till code page (item 15)', () => {
  async function couponFor(openid: string): Promise<string> {
    emulator().setNow(new Date('2026-03-10T06:00:00Z'));
    seedMember(openid, 500);
    const reply = await callFunction<{ ok: boolean; data: { couponId: string } }>(
      emulator(),
      'member',
      { action: 'redeem', itemId: 'coupon-100-minus-20', requestId: `req-${openid}-1` },
      openid,
    );
    return reply.body.data.couponId;
  }

  it('one code request at a time, the screen kept on while shown, the countdown stopped when hidden', async () => {
    const couponId = await couponFor('o-till');
    const timers = manualTimers();
    await withWx('setKeepScreenOn', async (screen) => {
      callThroughGateway(emulator(), 'o-till');
      const page = renderPage('pages/coupon/index');
      await as(page)['onLoad']!({ id: couponId });
      await eventually(() => assert.match(text((page.querySelector('#code-text') as Node) ?? {}), /^\d{4} /));
      assert.deepEqual(screen, [{ keepScreenOn: true }]);
      const held = heldTransport('o-till');
      const refreshes = [as(page)['refreshCode']!(), as(page)['refreshCode']!(), as(page)['refreshCode']!()];
      await sleep(0);
      held.release();
      await Promise.all(refreshes);
      assert.deepEqual(held.calls, ['couponCode'], 'a refresh in flight is not doubled');
      as(page)['onHide']!();
      assert.deepEqual(screen, [{ keepScreenOn: true }, { keepScreenOn: false }]);
      const seconds = as(page).data['secondsLeft'] as number;
      timers.advance(5000);
      assert.equal(as(page).data['secondsLeft'], seconds, 'a hidden page does not tick');
      as(page)['onShow']!();
      assert.equal(screen.length, 3);
      timers.advance(2000);
      assert.ok((as(page).data['secondsLeft'] as number) < seconds, 'shown again, it ticks');
      as(page)['onUnload']!();
      assert.deepEqual(screen.at(-1), { keepScreenOn: false });
    }).finally(() => timers.restore());
  });

  it('written off at the till, the member sees it worked, not an error', async () => {
    const couponId = await couponFor('o-paid');
    callThroughGateway(emulator(), 'o-paid');
    const page = renderPage('pages/coupon/index');
    await as(page)['onLoad']!({ id: couponId });
    await eventually(() => assert.ok(page.querySelector('#till-code')));
    const code = currentCode(couponId, doc('coupons', couponId)?.['secret'], emulator().clock.now()).code;
    await callFunction(emulator(), 'staff', { action: 'writeOff', code, orderAmount: 20_000 }, 'demo-staff');
    await as(page)['refreshCode']!();
    await eventually(() => assert.match(text((page.querySelector('#used-success') as Node) ?? {}), /核销成功/));
    assert.doesNotMatch(text(page), /不能重复使用/);
    as(page)['onUnload']!();
  });
});

describe('lists send only what they show (item 16)', () => {
  it('the mall pages 120 items: no setData over 16 KB, later pages appended by path', async () => {
    emulator().setNow(new Date('2026-03-10T06:00:00Z'));
    seedMember('o-browser', 100_000);
    for (let i = 0; i < 120; i++) {
      const id = `bulk-${String(i).padStart(3, '0')}`;
      emulator().store.write('mallItems', id, {
        _id: id,
        title: `批量商品 ${i} 号，一件很长的标题来占位`,
        description: '这是一个很长的描述'.repeat(20),
        kind: 'physical',
        price: 100 + i,
        stock: 50,
        limit: { lifetime: 2 },
        enabled: true,
        order: 100 + i,
      } as never);
    }
    callThroughGateway(emulator(), 'o-browser');
    const page = renderPage('pages/mall/index');
    const sizes: { keys: string[]; bytes: number }[] = [];
    const instance = as(page);
    const setData = instance.setData.bind(instance);
    instance.setData = (data: object) => {
      sizes.push({ keys: Object.keys(data), bytes: Buffer.byteLength(JSON.stringify(data)) });
      setData(data);
    };
    await instance['onShow']!();
    while (instance.data['hasMore']) await instance['onReachBottom']!();
    assert.equal((instance.data['rows'] as unknown[]).length, 127, '120 items and the 7 seeded');
    const largest = Math.max(...sizes.map((s) => s.bytes));
    assert.ok(largest < 16 * 1024, `largest setData ${largest} bytes`);
    const appended = sizes.find((s) => s.keys.includes('rows[20]'));
    assert.ok(appended && !appended.keys.includes('rows'), 'page 2 is sent as new rows only');
    assert.ok(!JSON.stringify(instance.data['rows']).includes('这是一个很长的描述'), 'the list never carries fields it does not show');
  });
});

describe('calendar (items 17, 20)', () => {
  /** The calendar page of a member who checked in on `days` (10:00 Beijing) and holds a make-up card, opened on `today`. */
  async function calendarOf(openid: string, days: string[], today: string) {
    for (const day of days) {
      emulator().setNow(new Date(`${day}T10:00:00+08:00`));
      await callFunction(emulator(), 'member', { action: 'checkin' }, openid);
    }
    emulator().setNow(new Date(`${today}T10:00:00+08:00`));
    await callFunction(
      emulator(),
      'ops',
      { action: 'grant', openid, makeupCards: 1, reason: '测试', requestId: `card-${openid}` },
      'demo-operator',
    );
    callThroughGateway(emulator(), openid);
    const page = renderPage('pages/calendar/index');
    await as(page)['onShow']!();
    await eventually(() => assert.ok(page.querySelector(`#day-${today}`)));
    return page;
  }

  it('goes back a month and forward again, never past this month; each kind of day is marked without colour', async () => {
    const page = await calendarOf('o-months', ['2026-02-20', '2026-03-02', '2026-03-04'], '2026-03-06');
    const cell = (day: string) => page.querySelector(`#day-${day}`);
    // The simulator prefixes a page's classes with its scope (`main--cell`).
    const classes = (day: string) =>
      (cell(day)?.dom?.className ?? '')
        .split(/\s+/)
        .map((c) => c.replace(/^.*--/, ''))
        .filter((c) => c && c !== 'cell');
    assert.deepEqual(classes('2026-03-02'), ['checkin']);
    assert.match(text(cell('2026-03-02') ?? {}), /2\s*✓/);
    assert.deepEqual(classes('2026-03-03'), ['missable']);
    assert.match(text(cell('2026-03-03') ?? {}), /可补/);
    assert.deepEqual(classes('2026-03-06'), ['today']);
    assert.deepEqual(classes('2026-03-07'), ['future']);
    const label = (day: string) => (as(page).data['cells'] as { day: string; label: string }[]).find((c) => c.day === day)?.label;
    assert.equal(label('2026-03-03'), '3月3日 未签到，可补签', 'read out to screen readers');
    assert.equal(as(page).data['canGoNext'], false);

    await as(page)['onPrevMonth']!();
    await eventually(() => assert.ok(cell('2026-02-20')));
    assert.deepEqual(classes('2026-02-20'), ['checkin']);
    assert.deepEqual(classes('2026-02-27'), ['missable'], 'inside the 7-day window');
    assert.deepEqual(classes('2026-02-26'), ['missed'], 'outside it');
    assert.match(text(cell('2026-02-26') ?? {}), /漏/);
    assert.deepEqual(classes('2026-02-19'), ['before'], 'the day before joining was not missed');
    assert.doesNotMatch(text(cell('2026-02-19') ?? {}), /漏|可补/);
    assert.equal(as(page).data['canGoNext'], true);
    await as(page)['onNextMonth']!();
    await eventually(() => assert.ok(cell('2026-03-02')));
    await as(page)['onNextMonth']!();
    assert.equal((as(page).data['calendar'] as { month: string }).month, '2026-03', 'never past this month');
  });

  it('blank cells before the 1st are never selected; only the picked missable day is', async () => {
    // March 2026 starts on a Sunday: six blank cells lead the grid.
    const page = await calendarOf('o-blank', ['2026-03-03'], '2026-03-05');
    const blanks = () => [...(page.dom?.querySelectorAll('[class~="main--blank"]') ?? [])];
    assert.equal(blanks().length, 6);
    assert.ok(
      blanks().every((c) => !c.className.includes('selected')),
      'no blank cell is selected',
    );
    page.querySelector('#day-2026-03-04')?.dispatchEvent('tap');
    const selected = () => [...(page.dom?.querySelectorAll('[class~="main--selected"]') ?? [])];
    await eventually(() => assert.equal(selected().length, 1));
    assert.equal(selected()[0]?.getAttribute('data-day'), '2026-03-04');
    assert.ok(blanks().every((c) => !c.className.includes('selected')));
  });
});

describe('staff (item 18)', () => {
  it('staff see their store by name, reach the till in one tap from home, get a clear success screen, and pick a day of history', async () => {
    emulator().setNow(new Date('2026-03-10T06:00:00Z'));
    seedMember('o-shopper', 500);
    const redeemed = await callFunction<{ ok: boolean; data: { couponId: string } }>(
      emulator(),
      'member',
      { action: 'redeem', itemId: 'coupon-100-minus-20', requestId: 'req-shopper-1' },
      'o-shopper',
    );
    const couponId = redeemed.body.data.couponId;
    callThroughGateway(emulator(), 'demo-staff');
    const home = renderPage('pages/home/index');
    await as(home)['onLoad']!({});
    await eventually(() => assert.match(text(home), /门店核销 · MemberLoop 旗舰店/));
    await withWx('navigateTo', async (opened) => {
      tapButton(home.querySelector('#staff-entry') as Node);
      await eventually(() => assert.deepEqual(opened, [{ url: '/store/scan/index' }]));
    });

    const page = renderPage('store/scan/index');
    await as(page)['onLoad']!();
    await eventually(() => assert.match(text((page.querySelector('#store-name') as Node) ?? {}), /MemberLoop 旗舰店/));
    as(page)['onCodeInput']!({
      detail: { value: currentCode(couponId, doc('coupons', couponId)?.['secret'], emulator().clock.now()).code },
    });
    tapButton(page.querySelector('#preview') as Node);
    await eventually(() => assert.ok(page.querySelector('#confirm')));
    as(page)['onAmountInput']!({ detail: { value: '150' } });
    tapButton(page.querySelector('#confirm') as Node);
    await eventually(() => assert.match(text((page.querySelector('#done') as Node) ?? {}), /✓\s*核销成功.*优惠 20 元.*会员 王\*\*/));
    assert.ok(!page.querySelector('#code-input'), 'the success screen replaces the form');
    tapButton(page.querySelector('#next') as Node);
    await eventually(() => assert.ok(page.querySelector('#code-input')));

    emulator().setNow(new Date('2026-03-12T06:00:00Z'));
    const history = renderPage('store/history/index');
    await as(history)['onShow']!();
    await eventually(() => assert.match(text(history), /MemberLoop 旗舰店.*这一天没有核销/));
    await as(history)['onDay']!({ detail: { value: '2026-03-10' } });
    await eventually(() => assert.match(text(history), /2026-03-10.*共 1 笔，优惠 20 元/));
    assert.match(text(history), /会员 王\*\* · 店员 演示店员/, 'staff by name');
    assert.doesNotMatch(text(history), /demo-staff/);
  });
});

describe('tab bar, links and sharing (item 19)', () => {
  it('every tab has an icon and a selected icon that exist', () => {
    const app = JSON.parse(readFileSync(join(ROOT, 'miniprogram', 'app.json'), 'utf8')) as {
      tabBar: { list: { iconPath?: string; selectedIconPath?: string }[] };
    };
    for (const tab of app.tabBar.list) {
      for (const icon of [tab.iconPath, tab.selectedIconPath]) {
        assert.ok(icon && existsSync(join(ROOT, 'miniprogram', icon)), String(icon));
        assert.ok(readFileSync(join(ROOT, 'miniprogram', icon)).length < 40 * 1024, 'the platform limit is 40 KB');
      }
    }
  });

  it('every tappable view or text says what it is to screen readers (aria-role)', () => {
    // The simulator does not render aria attributes, so the templates themselves are read.
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
        d.isDirectory() ? files(join(dir, d.name)) : d.name.endsWith('.wxml') ? [join(dir, d.name)] : [],
      );
    const tappable = files(join(ROOT, 'miniprogram')).flatMap(
      (f) => readFileSync(f, 'utf8').match(/<(view|text)\b[^>]*\bbindtap=[^>]*>/g) ?? [],
    );
    assert.ok(tappable.length >= 8, 'the scan finds the tappable elements');
    assert.deepEqual(
      tappable.filter((tag) => !/\baria-role="/.test(tag)),
      [],
    );
  });

  it('home, mall and item pages can be shared to Moments', () => {
    for (const path of ['pages/home/index', 'pages/mall/index', 'pages/item/index']) {
      const share = (as(renderPage(path)) as unknown as { onShareTimeline(): { title: string } }).onShareTimeline();
      assert.ok(share.title, path);
    }
  });
});
