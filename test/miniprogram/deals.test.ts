import assert from 'node:assert/strict';
import { defaultNickname } from '../../core/member/registration';
import { emulatorPerFile, ok } from '../helpers/emulator';
import { callThroughGateway, eventually, payThroughEmulator, renderPage, text } from '../helpers/miniprogram';

const suite = emulatorPerFile();
const emulator = suite.emulator;
const { member, pay } = suite;

type Node = { instance: unknown; dom?: Element } | null | undefined;
const tapButton = (button: Node) => (button!.instance as { handleTap(e: object): void }).handleTap({});
type Page = ReturnType<typeof renderPage>;
const as = (page: Page) => page.instance as unknown as Record<string, (...args: unknown[]) => unknown>;
const wxGlobal = (globalThis as unknown as { wx: Record<string, unknown> }).wx;
const navigations: string[] = [];
wxGlobal['navigateTo'] = async ({ url }: { url: string }) => {
  navigations.push(url);
};

/** The group page as `openid` sees it, loaded and shown. */
async function groupPage(openid: string, groupId: string): Promise<Page> {
  callThroughGateway(emulator(), openid);
  const page = renderPage('deals/group/index');
  await as(page)['onLoad']!({ id: groupId });
  as(page)['onShow']!();
  return page;
}

beforeEach(() => {
  emulator().setNow(new Date('2026-05-10T10:00:00+08:00'));
  navigations.length = 0;
});

describe('group buying pages', () => {
  it('deal list → open a group and pay → friends land on the share and join → 拼团成功, and my groups says so', async () => {
    callThroughGateway(emulator(), 'o-lead');
    const deals = renderPage('deals/list/index');
    await as(deals)['onLoad']!();
    await eventually(() => assert.match(text((deals.querySelector('#deal-cup-group') as Node) ?? {}), /保温杯 3人团.*3人团.*¥69\.3.*¥99/));

    const deal = renderPage('deals/detail/index');
    await as(deal)['onLoad']!({ id: 'cup-group' });
    as(deal)['onShow']!();
    await eventually(() => assert.match(text(deal), /暂时没有可参加的团/));
    payThroughEmulator(emulator(), 'success');
    tapButton(deal.querySelector('#open-group') as Node);
    await eventually(() => assert.match(navigations.at(-1) ?? '', /^\/deals\/group\/index\?id=G[0-9a-f]{30}$/));
    as(deal)['onHide']!();
    const groupId = (navigations.at(-1) as string).split('=')[1] as string;

    const leader = await groupPage('o-lead', groupId);
    await eventually(() => assert.match(text((leader.querySelector('#group-state') as Node) ?? {}), /还差 2 人成团/));
    assert.ok(leader.querySelector('#share'), 'the leader shares the group onwards');
    assert.ok(!leader.querySelector('#join'));
    assert.deepEqual(as(leader)['onShareAppMessage']!(), {
      title: '还差2人！¥69.3 拼「保温杯 3人团」',
      path: `/deals/group/index?id=${groupId}`,
    });
    await eventually(() => assert.match(text((leader.querySelector('#countdown') as Node) ?? {}), /^23:59:5\d$/));
    as(leader)['onHide']!();

    for (const [friend, left] of [
      ['o-friend-1', /还差 1 人成团/],
      ['o-friend-2', /拼团成功/],
    ] as const) {
      const page = await groupPage(friend, groupId);
      await eventually(() => assert.match(text(page), /¥69\.3 参团/));
      tapButton(page.querySelector('#join') as Node);
      await eventually(() => assert.match(text((page.querySelector('#group-state') as Node) ?? {}), left));
      as(page)['onHide']!();
    }

    callThroughGateway(emulator(), 'o-friend-1');
    const mine = renderPage('deals/mine/index');
    await as(mine)['onShow']!();
    await eventually(() =>
      assert.match(text((mine.querySelector(`#my-group-${groupId}`) as Node) ?? {}), /保温杯 3人团.*拼团成功.*3\/3 人.*已成团，订单已确认/),
    );
  });

  it('a visitor to a full group cannot join, and one who lost the race reads why', async () => {
    const { groupId } = await (async () => {
      const page = await groupPage('o-x', 'G'.padEnd(31, '0'));
      await eventually(() => assert.match(text(page), /内容不存在或已下架/));
      as(page)['onHide']!();
      // A group with one seat left, seen by two friends at once.
      const opened = ok(await member('o-lead', { action: 'openGroup', dealId: 'cup-group', requestId: 'page-open-1' }));
      await pay(opened.order.orderId);
      await member('o-first', { action: 'joinGroup', groupId: opened.groupId, requestId: 'page-join-1' });
      return opened;
    })();
    const late = await groupPage('o-late', groupId);
    await eventually(() => assert.ok(late.querySelector('#join')));
    await member('o-faster', { action: 'joinGroup', groupId, requestId: 'page-join-2' });
    callThroughGateway(emulator(), 'o-late');
    tapButton(late.querySelector('#join') as Node);
    await eventually(() => assert.match(text((late.querySelector('#notice') as Node) ?? {}), /这个团已满/));
    await eventually(() => assert.ok(!late.querySelector('#join'), 'the page reloads: no seat left to take'));
    as(late)['onHide']!();
  });
});

describe('bargaining pages', () => {
  it('start a bargain → a friend lands on the share and cuts once → the owner buys at the price reached', async () => {
    callThroughGateway(emulator(), 'o-owner');
    const list = renderPage('deals/bargains/index');
    await as(list)['onShow']!();
    await eventually(() =>
      assert.match(text((list.querySelector('#bargain-deal-cup-bargain') as Node) ?? {}), /保温杯 砍到49元.*最低 ?¥49.*¥99.*发起砍价/),
    );
    await as(list)['onStart']!({ currentTarget: { dataset: { id: 'cup-bargain' } } });
    const bargainId = (navigations.at(-1) as string).split('=')[1] as string;
    assert.match(bargainId, /^B[0-9a-f]{30}$/);

    callThroughGateway(emulator(), 'o-friend');
    const landing = renderPage('deals/bargain/index');
    await as(landing)['onLoad']!({ id: bargainId });
    await eventually(() =>
      assert.match(text(landing), new RegExp(`${defaultNickname('o-owner')} 邀你帮忙砍一刀.*当前 ?¥99.*帮 TA 砍一刀`)),
    );
    tapButton(landing.querySelector('#help') as Node);
    await eventually(() =>
      assert.match(text((landing.querySelector('#cut') as Node) ?? {}), /你帮 TA 砍掉了 ¥(5|6|7|8|9|1[0-5])(\.\d+)?$/),
    );
    assert.ok(!landing.querySelector('#help'), 'once per friend');
    const price = Number(emulator().store.get('bargains', bargainId)?.['price']) / 100;
    // The bar: the cut so far against the way from ¥99 to the ¥49 floor (fen).
    const cutFen = 9900 - Number(emulator().store.get('bargains', bargainId)?.['price']);
    await eventually(() =>
      assert.match(
        text((landing.querySelector('#progress') as Node) ?? {}),
        new RegExp(`已砍 ¥${cutFen / 100}\\s*再砍 ¥${(5000 - cutFen) / 100} 到底价`),
      ),
    );
    const bar = landing.querySelector('.progress-bar')?.dom?.getAttribute('style') ?? '';
    assert.match(bar, new RegExp(`width: ${Math.round((cutFen / 5000) * 100)}%`));

    callThroughGateway(emulator(), 'o-owner');
    payThroughEmulator(emulator(), 'success');
    const mine = renderPage('deals/bargain/index');
    await as(mine)['onLoad']!({ id: bargainId });
    await eventually(() => assert.match(text(mine), new RegExp(`我的砍价.*当前 ?¥${price}.*${defaultNickname('o-friend')}.*砍掉`)));
    tapButton(mine.querySelector('#buy') as Node);
    await eventually(() => assert.match(text((mine.querySelector('#bargain-state') as Node) ?? {}), /已购买/));
    assert.equal(
      emulator()
        .store.all('payOrders')
        .filter((o) => o['openid'] === 'o-owner')
        .map((o) => [o['amount'], o['state']])
        .join(),
      [Math.round(price * 100), 'fulfilled'].join(),
    );
  });
});
