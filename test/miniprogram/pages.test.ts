import assert from 'node:assert/strict';
import type { Emulator } from 'cloudbase-emulator';
import { callFunction, emulatorForThisFile } from '../helpers/emulator';
import { callThroughGateway, eventually, renderPage, sleep, text, withWx } from '../helpers/miniprogram';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await emulatorForThisFile();
});
beforeEach(() => {
  emulator.reset();
  emulator.setNow(new Date('2026-03-10T02:00:00Z'));
});

type Node = { instance: unknown; dom?: Element; dispatchEvent(name: string): void } | undefined;
const tapButton = (button: Node) => (button!.instance as { handleTap(e: object): void }).handleTap({});
const as = (page: { instance: unknown }) =>
  page.instance as Record<string, (...args: unknown[]) => Promise<unknown>> & { data: Record<string, unknown> };
const api = (openid: string, event: Record<string, unknown>) => callFunction(emulator, 'member', event, openid);

describe('tasks page', () => {
  it('groups the tasks and a claim tap pays the reward and marks the task claimed', async () => {
    for (const productId of ['p1', 'p2', 'p3']) await api('o-page', { action: 'track', event: 'browse_product', productId });
    callThroughGateway(emulator, 'o-page');
    const page = renderPage('pages/tasks/index');
    await as(page).onShow!();
    await sleep(0);
    assert.match(text(page), /新人任务.*每日任务.*邀请好友/);
    tapButton(page.querySelector('#claim-daily-browse-3') as Node);
    await eventually(() => assert.match(text(page), /领取成功：10 积分/));
    await eventually(() => assert.match(text(page.querySelector('#task-daily-browse-3') ?? {}), /已领取$/));
    assert.ok(!page.querySelector('#claim-daily-browse-3'), 'the claim button is gone');
    assert.equal((emulator.store.get('members', 'o-page') as unknown as { points: number }).points, 10);
  });

  it('each task not yet done leads to where it is done: 去完成 to home, the mall or the profile; 去分享 and 去邀请 share', async () => {
    callThroughGateway(emulator, 'o-todo');
    const page = renderPage('pages/tasks/index');
    await as(page).onShow!();
    await eventually(() => assert.ok(page.querySelector('#go-daily-browse-3')));
    assert.match(text(page.querySelector('#task-daily-share') ?? {}), /去分享$/);
    assert.match(text(page.querySelector('#task-invite-3') ?? {}), /去邀请$/);
    const went: [string, unknown][] = [];
    await withWx('switchTab', (tabs) =>
      withWx('navigateTo', async (pages) => {
        for (const id of ['daily-checkin', 'daily-browse-3', 'newbie-profile']) tapButton(page.querySelector(`#go-${id}`) as Node);
        await eventually(() => assert.equal(tabs.length + pages.length, 3));
        went.push(...tabs.map((o): [string, unknown] => ['switchTab', (o as { url: string }).url]));
        went.push(...pages.map((o): [string, unknown] => ['navigateTo', (o as { url: string }).url]));
      }),
    );
    assert.deepEqual(went, [
      ['switchTab', '/pages/home/index'],
      ['switchTab', '/pages/mall/index'],
      ['navigateTo', '/pages/profile/index'],
    ]);
  });

  it('sharing carries the member’s invite code and counts as a share', async () => {
    callThroughGateway(emulator, 'o-sharer');
    const page = renderPage('pages/tasks/index');
    await as(page).onShow!();
    const share = (as(page).onShareAppMessage as unknown as () => { path: string })();
    const code = emulator.store.get('members', 'o-sharer')?.['inviteCode'];
    assert.equal(share.path, `/pages/home/index?inviteCode=${code}`);
    await eventually(() => assert.equal(emulator.store.get('eventCounts', `o-sharer:share:2026-03-10`)?.['count'], 1));
  });
});

describe('check-in calendar page', () => {
  it('marks checked days and makes up a missed day with a card', async () => {
    for (const at of ['2026-03-07T02:00:00Z', '2026-03-09T02:00:00Z']) {
      emulator.setNow(new Date(at));
      await api('o-cal', { action: 'checkin' });
    }
    emulator.setNow(new Date('2026-03-10T02:00:00Z'));
    await callFunction(
      emulator,
      'ops',
      { action: 'grant', openid: 'o-cal', makeupCards: 1, reason: '测试', requestId: 'page-test-1' },
      'demo-operator',
    );
    callThroughGateway(emulator, 'o-cal');
    const page = renderPage('pages/calendar/index');
    await as(page).onShow!();
    await sleep(0);
    assert.equal(page.querySelector('#day-2026-03-07')?.dom?.className.includes('checkin'), true);
    assert.equal(page.querySelector('#day-2026-03-08')?.dom?.className.includes('missable'), true);
    assert.match(text(page), /已连续签到 1 天/);
    await eventually(() => assert.match(text(page), /我的排名 第1名/));
    page.querySelector('#day-2026-03-08')?.dispatchEvent('tap');
    await eventually(() => assert.match(text(page), /补签 3月8日/));
    tapButton(page.querySelector('#makeup') as Node);
    await eventually(() => assert.match(text(page), /补签成功，已连续签到 3 天/));
    await eventually(() => assert.equal(page.querySelector('#day-2026-03-08')?.dom?.className.includes('makeup'), true));
  });

  it('without a card nothing is offered to make up, and the page says where cards come from', async () => {
    for (const at of ['2026-03-07T02:00:00Z', '2026-03-09T02:00:00Z']) {
      emulator.setNow(new Date(at));
      await api('o-nocard', { action: 'checkin' });
    }
    emulator.setNow(new Date('2026-03-10T02:00:00Z'));
    callThroughGateway(emulator, 'o-nocard');
    const page = renderPage('pages/calendar/index');
    await as(page).onShow!();
    await eventually(() => assert.ok(page.querySelector('#day-2026-03-08')));
    assert.equal(page.querySelector('#day-2026-03-08')?.dom?.className.includes('missed'), true);
    assert.doesNotMatch(text(page), /可补/);
    assert.match(text(page), /补签卡可在任务和签到礼包中获得/);
    page.querySelector('#day-2026-03-08')?.dispatchEvent('tap');
    await sleep(0);
    assert.equal(page.querySelector('#makeup'), undefined, 'a missed day without a card opens nothing');
  });
});

describe('points history page', () => {
  it('lists movements newest first with their reasons', async () => {
    for (const at of ['2026-03-08T02:00:00Z', '2026-03-09T02:00:00Z']) {
      emulator.setNow(new Date(at));
      await api('o-points', { action: 'checkin' });
    }
    callThroughGateway(emulator, 'o-points');
    const page = renderPage('pages/points/index');
    await as(page).onLoad!();
    await sleep(0);
    assert.match(text(page), /当前积分\s*30/);
    assert.match(text(page), /每日签到.*\+20.*每日签到.*\+10/);
    assert.match(text(page), /30 积分将于 2027-03-31 过期/);
  });
});
