import assert from 'node:assert/strict';
import { newMember } from '../../core/member/registration';
import type { RedeemResult } from '../../typings/api';
import { callFunction, emulatorPerFile } from '../helpers/emulator';
import { callThroughGateway, eventually, payThroughEmulator, renderPage, text, withWx } from '../helpers/miniprogram';

const suite = emulatorPerFile();
const emulator = suite.emulator;

type Node = { instance: unknown; dom?: Element; dispatchEvent(name: string): void } | null | undefined;
const tapButton = (button: Node) => (button!.instance as { handleTap(e: object): void }).handleTap({});
const isDisabled = (button: Node) => (button!.instance as { data: { disabled: boolean } }).data.disabled;
type Page = ReturnType<typeof renderPage>;
const as = (page: Page) => page.instance as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;

function seedMember(openid: string, points: number) {
  emulator().setNow(new Date('2026-03-10T06:00:00Z'));
  emulator().store.write('members', openid, {
    ...newMember(openid, null, emulator().clock.now(), `I${openid}`),
    nickname: '李小龙',
    points,
  } as never);
}

/** 限量帆布袋 (`gone`): cheap, and none left. */
function seedSoldOutBag() {
  emulator().store.write('mallItems', 'gone', {
    _id: 'gone',
    title: '限量帆布袋',
    kind: 'physical',
    price: 10,
    stock: 0,
    enabled: true,
    order: 1,
  } as never);
}

async function redeemed(openid: string, itemId: string): Promise<string> {
  const reply = await callFunction<{ ok: true; data: RedeemResult }>(
    emulator(),
    'member',
    { action: 'redeem', itemId, requestId: `req-${openid}-${itemId}` },
    openid,
  );
  assert.ok(reply.body.ok && reply.body.data.couponId, JSON.stringify(reply.body));
  return reply.body.data.couponId;
}

async function codeOf(openid: string, couponId: string): Promise<string> {
  const reply = await callFunction<{ ok: true; data: { code: string } }>(emulator(), 'member', { action: 'couponCode', couponId }, openid);
  return reply.body.data.code;
}

describe('mall pages', () => {
  it('lists redeemable items first; a sold-out item shows 已兑完 with its button disabled', async () => {
    seedMember('o-list', 250);
    seedSoldOutBag();
    callThroughGateway(emulator(), 'o-list');
    const page = renderPage('pages/mall/index');
    await as(page)['onShow']!();
    await eventually(() => assert.match(text(page), /我的积分\s*250/));
    assert.match(text(page), /满100减20券.*2小时停车券.*限量帆布袋/);
    assert.equal(isDisabled(page.querySelector('#redeem-gone') as Node), true);
    assert.match(text((page.querySelector('#item-gone') as Node) ?? {}), /已兑完/);
    assert.equal(isDisabled(page.querySelector('#redeem-coupon-100-minus-20') as Node), false);
    page.querySelector('#kind-physical')?.dispatchEvent('tap');
    await eventually(() => assert.ok(page.querySelector('#item-gift-mug')));
    assert.ok(!page.querySelector('#item-coupon-100-minus-20'));
  });

  it('redeem tap → confirmation → API call → success state, points debited once', async () => {
    seedMember('o-buy', 500);
    callThroughGateway(emulator(), 'o-buy');
    const page = renderPage('pages/item/index');
    await as(page)['onLoad']!({ id: 'coupon-100-minus-20' });
    await eventually(() => assert.match(text(page), /满100减20券.*200 积分/));
    const stock = Number(emulator().store.get('mallItems', 'coupon-100-minus-20')?.['stock']);
    assert.match(text(page), new RegExp(`剩余 ${stock}`));
    tapButton(page.querySelector('#redeem') as Node);
    await eventually(() => assert.match(text(page), /确认使用 200 积分兑换/));
    tapButton(page.querySelector('#confirm') as Node);
    await eventually(() => assert.match(text(page), /兑换成功.*剩余 300 积分/));
    // The stock as it is after buying.
    await eventually(() => assert.match(text(page), new RegExp(`剩余 ${stock - 1}`)));
    assert.ok(page.querySelector('#view-coupon'));
    assert.equal(emulator().store.get('members', 'o-buy')?.['points'], 300);
    assert.equal(emulator().store.all('coupons').length, 1);
  });

  it('without enough points the item page says so and leads to the tasks that earn them', async () => {
    seedMember('o-short', 50);
    callThroughGateway(emulator(), 'o-short');
    const page = renderPage('pages/item/index');
    await as(page)['onLoad']!({ id: 'coupon-100-minus-20' });
    await eventually(() => assert.ok(page.querySelector('#earn-more')));
    assert.match(text(page), /积分不足/);
    await withWx('switchTab', async (opened) => {
      page.querySelector('#earn-more')?.dispatchEvent('tap');
      await eventually(() => assert.deepEqual(opened, [{ url: '/pages/tasks/index' }]));
    });
  });

  it('a sold-out item cannot be redeemed from its page; a refusal is shown in words', async () => {
    seedMember('o-late', 5000);
    seedSoldOutBag();
    callThroughGateway(emulator(), 'o-late');
    const soldOut = renderPage('pages/item/index');
    await as(soldOut)['onLoad']!({ id: 'gone' });
    await eventually(() => assert.match(text(soldOut), /已兑完/));
    assert.equal(isDisabled(soldOut.querySelector('#redeem') as Node), true);

    const page = renderPage('pages/item/index');
    await as(page)['onLoad']!({ id: 'parking-2h' });
    await eventually(() => assert.ok(page.querySelector('#redeem')));
    tapButton(page.querySelector('#redeem') as Node);
    emulator().store.write('mallItems', 'parking-2h', { ...emulator().store.get('mallItems', 'parking-2h'), stock: 0 } as never);
    await eventually(() => assert.ok(page.querySelector('#confirm')));
    tapButton(page.querySelector('#confirm') as Node);
    await eventually(() => assert.match(text(page), /手慢了，已经兑完啦/));
    assert.equal(emulator().store.get('members', 'o-late')?.['points'], 5000);
  });

  it('my coupons by tab, and a coupon page with a rotating code and countdown', async () => {
    seedMember('o-wallet', 500);
    const couponId = await redeemed('o-wallet', 'coupon-100-minus-20');
    callThroughGateway(emulator(), 'o-wallet');
    const list = renderPage('pages/coupons/index');
    await as(list)['onShow']!();
    await eventually(() =>
      assert.match(
        text((list.querySelector(`#coupon-${couponId}`) as Node) ?? {}),
        /¥\s*20\s*满100可用\s*满100减20券\s*有效期至 2026-04-09\s*全部门店可用\s*去使用/,
      ),
    );
    assert.doesNotMatch(text(list), /即将过期/, 'a month left is not soon');
    list.querySelector('#tab-used')?.dispatchEvent('tap');
    await eventually(() => assert.match(text(list), /暂无优惠券/));

    const page = renderPage('pages/coupon/index');
    await as(page)['onLoad']!({ id: couponId });
    await eventually(() => assert.match(text((page.querySelector('#code-text') as Node) ?? {}), /^\d{4} \d{4} \d{3} \d{3}$/));
    const first = text((page.querySelector('#code-text') as Node) ?? {}).replace(/ /g, '');
    assert.equal(first.slice(0, 8), couponId);
    const seconds = Number(/^(\d+) 秒后自动刷新/.exec(text((page.querySelector('#countdown') as Node) ?? {}))?.[1]);
    assert.ok(seconds >= 1 && seconds <= 60, String(seconds));
    assert.ok(page.querySelector('#till-code')?.dom?.querySelector('t-qrcode, [class*="qrcode"]'), 'a QR of the code is on the page');
    emulator().setNow(new Date(emulator().clock.now().getTime() + 120_000));
    await as(page)['refreshCode']!();
    await eventually(() => assert.notEqual(text((page.querySelector('#code-text') as Node) ?? {}).replace(/ /g, ''), first));
    as(page)['onUnload']!();
  });
});

describe('buying with WeChat Pay', () => {
  it('an item with a cash price shows the member price; paying fulfils the order and the coupon can be shown', async () => {
    seedMember('o-buyer', 300);
    callThroughGateway(emulator(), 'o-buyer');
    const mall = renderPage('pages/mall/index');
    await as(mall)['onShow']!();
    await eventually(() =>
      assert.match(text((mall.querySelector('#item-coupon-100-minus-20-cash') as Node) ?? {}), /¥9\.9 \+ 100 积分.*购买/),
    );
    payThroughEmulator(emulator(), 'cancel');
    const page = renderPage('pages/item/index');
    await as(page)['onLoad']!({ id: 'coupon-100-minus-20-cash' });
    await eventually(() => assert.match(text(page), /¥9\.9 \+ 100 积分.*微信支付 ¥9\.9/));
    tapButton(page.querySelector('#redeem') as Node);
    await eventually(() => assert.match(text((page.querySelector('#notice') as Node) ?? {}), /已取消支付/));
    payThroughEmulator(emulator(), 'success');
    tapButton(page.querySelector('#redeem') as Node);
    await eventually(() => assert.match(text((page.querySelector('#paid') as Node) ?? {}), /支付成功.*已支付 ¥9\.9 ?\+ 100 积分/));
    assert.ok(page.querySelector('#view-coupon'), 'the coupon it bought can be shown at once');
    const orders = emulator()
      .store.all('payOrders')
      .filter((o) => o['openid'] === 'o-buyer');
    assert.deepEqual(
      orders.map((o) => o['state']),
      ['fulfilled'],
      'the cancelled try and the payment were one order',
    );
  });
});

describe('staff pages', () => {
  it('type a code → preview → amount → confirm: written off; the same code again shows already used', async () => {
    seedMember('o-shop', 500);
    const couponId = await redeemed('o-shop', 'coupon-100-minus-20');
    const code = await codeOf('o-shop', couponId);
    callThroughGateway(emulator(), 'demo-staff');
    const page = renderPage('store/scan/index');
    as(page)['onCodeInput']!({ detail: { value: code } });
    tapButton(page.querySelector('#preview') as Node);
    await eventually(() => assert.match(text((page.querySelector('#preview-card') as Node) ?? {}), /满100减20.*会员 李\*\*/));
    as(page)['onAmountInput']!({ detail: { value: '128.5' } });
    tapButton(page.querySelector('#confirm') as Node);
    await eventually(() => assert.match(text((page.querySelector('#done') as Node) ?? {}), /核销成功.*优惠 20 元/));
    assert.equal(emulator().store.get('writeOffs', couponId)?.['orderAmount'], 12_850);

    as(page)['onCodeInput']!({ detail: { value: code } });
    tapButton(page.querySelector('#preview') as Node);
    await eventually(() => assert.match(text((page.querySelector('#problem') as Node) ?? {}), /该券已核销/));
    assert.ok(!page.querySelector('#confirm'));

    const history = renderPage('store/history/index');
    await as(history)['onShow']!();
    await eventually(() => assert.match(text(history), /共 1 笔，优惠 20 元.*满100减20券.*会员 李\*\*/));
  });

  it('staff of another store see the wrong-store error and cannot confirm', async () => {
    seedMember('o-away', 500);
    const couponId = await redeemed('o-away', 'coupon-85-off');
    emulator().store.write('roles', 'staff-2', { _id: 'staff-2', role: 'staff', storeId: 'demo-store-2' } as never);
    const code = await codeOf('o-away', couponId);
    callThroughGateway(emulator(), 'staff-2');
    const page = renderPage('store/scan/index');
    as(page)['onCodeInput']!({ detail: { value: code } });
    tapButton(page.querySelector('#preview') as Node);
    await eventually(() => assert.match(text((page.querySelector('#problem') as Node) ?? {}), /该券不能在本店使用/));
    assert.ok(!page.querySelector('#confirm'));
  });

  it('a member who is not staff gets the permission message', async () => {
    seedMember('o-nosy', 0);
    callThroughGateway(emulator(), 'o-nosy');
    const page = renderPage('store/scan/index');
    as(page)['onCodeInput']!({ detail: { value: '12345678123456' } });
    tapButton(page.querySelector('#preview') as Node);
    await eventually(() => assert.match(text((page.querySelector('#error') as Node) ?? {}), /没有权限/));
  });
});
