import assert from 'node:assert/strict';
import { newMember } from '../../core/member/registration';
import { emulatorPerFile } from '../helpers/emulator';
import { callThroughGateway, eventually, payThroughEmulator, renderPage, text, withWx } from '../helpers/miniprogram';

/**
 * Goods as a member buys and follows them on the pages: 确认订单 with WeChat's address
 * book, 提交订单 → pay (or not), the order page (count-down, 去支付, 取消订单, the parcel and
 * timeline), and 我的订单 by tab.
 */
const suite = emulatorPerFile();
const emulator = suite.emulator;

type Node = { instance: unknown; dom?: Element } | null | undefined;
const tapButton = (button: Node) => (button!.instance as { handleTap(e: object): void }).handleTap({});
type Page = ReturnType<typeof renderPage>;
const as = (page: Page) => page.instance as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
const tapView = (page: Page, selector: string) => (page.querySelector(selector) as { dispatchEvent(n: string): void }).dispatchEvent('tap');
/** What a part of the page reads, its pieces run together as textContent joins them (spaces left out). */
const textOf = (page: Page, selector?: string) =>
  text((selector ? (page.querySelector(selector) as Node) : page) ?? {}).replace(/\s+/g, '');

const ADDRESS = {
  userName: '王小明',
  telNumber: '13912345678',
  provinceName: '浙江省',
  cityName: '杭州市',
  countyName: '西湖区',
  detailInfo: '文三路 90 号',
  postalCode: '310012',
  nationalCode: '330106',
  errMsg: 'chooseAddress:ok',
};

function seedMember(openid: string) {
  emulator().setNow(new Date('2026-03-10T06:00:00Z'));
  emulator().store.write('members', openid, {
    ...newMember(openid, null, emulator().clock.now(), `I${openid}`),
    nickname: '王小明',
    points: 300,
  } as never);
}

/** Runs `body` with `wx[name]` answering `reply` (WeChat's own dialogs and pickers). */
async function answering<T>(name: string, reply: (options: unknown) => Promise<unknown>, body: () => Promise<T>): Promise<T> {
  const wx = (globalThis as unknown as { wx: Record<string, unknown> }).wx;
  const before = wx[name];
  wx[name] = reply;
  try {
    return await body();
  } finally {
    wx[name] = before;
  }
}

/** 确认订单 for the thermos cup, sent to the address book's address; submitted with the payment `outcome`. The order page's url. */
async function checkout(outcome: 'success' | 'cancel'): Promise<string> {
  const page = renderPage('pages/checkout/index');
  await as(page)['onLoad']!({ id: 'thermos-cup' });
  await eventually(() => assert.match(textOf(page), /品牌保温杯.*商品金额¥99.*合计：¥99/));
  assert.match(textOf(page, '#address'), /请选择收货地址/);
  tapButton(page.querySelector('#submit') as Node);
  await eventually(() => assert.match(textOf(page, '#notice'), /请选择收货地址/), 2000);
  await answering(
    'chooseAddress',
    async () => ADDRESS,
    async () => {
      tapView(page, '#address');
      await eventually(() => assert.match(textOf(page, '#address'), /王小明139\*\*\*\*5678浙江省杭州市西湖区文三路90号/));
    },
  );
  payThroughEmulator(emulator(), outcome);
  return withWx('redirectTo', async (calls) => {
    tapButton(page.querySelector('#submit') as Node);
    await eventually(() => assert.equal(calls.length, 1));
    return (calls[0] as { url: string }).url;
  });
}

const openOrder = async (url: string) => {
  const page = renderPage('pages/order/index');
  const query = Object.fromEntries(new URLSearchParams(url.split('?')[1]));
  await as(page)['onLoad']!(query);
  as(page)['onShow']!();
  return page;
};

describe('buying goods on the pages', () => {
  it('the item page leads goods to 确认订单', async () => {
    seedMember('o-goods');
    callThroughGateway(emulator(), 'o-goods');
    const item = renderPage('pages/item/index');
    await as(item)['onLoad']!({ id: 'thermos-cup' });
    await eventually(() => assert.match(textOf(item), /立即购买¥99/));
    await withWx('navigateTo', async (calls) => {
      tapButton(item.querySelector('#redeem') as Node);
      assert.deepEqual(calls, [{ url: '/pages/checkout/index?id=thermos-cup' }]);
    });
  });

  it('submitted but not paid: the order waits 待付款 with a count-down, and is paid from its page — then 待发货 to the address', async () => {
    seedMember('o-later');
    callThroughGateway(emulator(), 'o-later');
    const url = await checkout('cancel');
    assert.match(url, /^\/pages\/order\/index\?id=P[0-9a-f]{30}$/);
    const page = await openOrder(url);
    await eventually(() => assert.match(textOf(page, '#banner'), /待付款请在1[45]分\d\d秒内完成支付/));
    assert.match(textOf(page, '#address'), /王小明139\*\*\*\*5678/);
    assert.match(textOf(page), /去支付¥99/);
    payThroughEmulator(emulator(), 'success');
    tapButton(page.querySelector('#pay') as Node);
    await eventually(() => assert.match(textOf(page, '#banner'), /待发货商家正在备货/));
    assert.equal(page.querySelector('#pay'), undefined, 'nothing left to pay');
    assert.match(textOf(page, '#timeline'), /等待发货.*支付成功.*提交订单/);
    as(page)['onHide']!();
  });

  it('paid at once; the operator ships it: the parcel and its tracking number show on the order, and the member confirms receipt', async () => {
    seedMember('o-now');
    callThroughGateway(emulator(), 'o-now');
    const url = await checkout('success');
    assert.match(url, /&done=paid$/);
    const id = new URLSearchParams(url.split('?')[1]).get('id') as string;
    const goods = emulator().store.get('payOrders', id)?.['orderId'] as string;
    const shipped = await suite.call('ops', 'demo-operator', {
      action: 'updateOrder',
      orderId: goods,
      status: 'shipped',
      shipping: { carrier: '圆通速递', trackingNo: 'YT9876543210' },
    });
    assert.ok(shipped.ok);
    const page = await openOrder(url);
    await eventually(() => assert.match(textOf(page, '#banner'), /已发货/));
    assert.match(textOf(page, '#parcel'), /圆通速递运单号YT9876543210/);
    await withWx('setClipboardData', async (calls) => {
      tapView(page, '#copy-tracking');
      await eventually(() => assert.deepEqual(calls, [{ data: 'YT9876543210' }]), 2000);
    });
    // The parcel arrived: 确认收货, after a confirmation, and the order is done.
    await answering(
      'showModal',
      async () => ({ confirm: true, cancel: false }),
      async () => {
        tapButton(page.querySelector('#confirm-receipt') as Node);
        await eventually(() => assert.match(textOf(page, '#banner'), /已完成/));
      },
    );
    assert.equal(emulator().store.get('orders', goods)?.['status'], 'done');
    as(page)['onHide']!();
  });

  it('cancelled from its page after a confirmation; 我的订单 shows it closed under 全部 and nothing under 待付款', async () => {
    seedMember('o-undo');
    callThroughGateway(emulator(), 'o-undo');
    const page = await openOrder(await checkout('cancel'));
    await eventually(() => assert.ok(page.querySelector('#cancel-order')));
    await answering(
      'showModal',
      async () => ({ confirm: false, cancel: true }),
      async () => {
        tapButton(page.querySelector('#cancel-order') as Node);
        await new Promise((resolve) => setImmediate(resolve));
      },
    );
    assert.match(textOf(page, '#banner'), /待付款/, 'a second thought keeps the order');
    await answering(
      'showModal',
      async () => ({ confirm: true, cancel: false }),
      async () => {
        tapButton(page.querySelector('#cancel-order') as Node);
        await eventually(() => assert.match(textOf(page, '#banner'), /已关闭订单已关闭/));
      },
    );
    as(page)['onHide']!();

    const orders = renderPage('pages/orders/index');
    await as(orders)['onLoad']!({ tab: 'unpaid' });
    await as(orders)['onShow']!();
    await eventually(() => assert.match(textOf(orders), /这里还没有订单/));
    tapView(orders, '#tab-all');
    await eventually(() => assert.match(textOf(orders), /快递配送·2026-03-10已关闭.*品牌保温杯¥99/));
  });
});
