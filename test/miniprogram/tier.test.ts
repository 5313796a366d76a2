import assert from 'node:assert/strict';
import { code128c } from '../../miniprogram/utils/barcode';
import { newMember } from '../../core/member/registration';
import type { MemberCode } from '../../typings/api';
import { callFunction, emulatorPerFile } from '../helpers/emulator';
import { callThroughGateway, eventually, renderPage, text } from '../helpers/miniprogram';

const suite = emulatorPerFile();
const emulator = suite.emulator;

type Node = { instance: unknown; dom?: Element; dispatchEvent(name: string): void } | null | undefined;
const tapButton = (button: Node) => (button!.instance as { handleTap(e: object): void }).handleTap({});
type Page = ReturnType<typeof renderPage>;
const as = (page: Page) => page.instance as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
const textOf = (page: Page, selector: string) => text((page.querySelector(selector) as Node) ?? {});

function seedMember(openid: string) {
  emulator().setNow(new Date('2026-03-10T06:00:00Z'));
  emulator().store.write('members', openid, {
    ...newMember(openid, null, emulator().clock.now(), `I${openid}`),
    nickname: '王小明',
  } as never);
}

async function memberCodeOf(openid: string): Promise<string> {
  const reply = await callFunction<{ ok: true; data: MemberCode }>(emulator(), 'member', { action: 'memberCode' }, openid);
  return reply.body.data.code as string;
}

describe('member code, till purchase and tier pages', () => {
  it('the member shows a rotating 会员码; staff record 1,000元 from it; the member is silver at once', async () => {
    seedMember('o-shopper');
    callThroughGateway(emulator(), 'o-shopper');
    const codePage = renderPage('pages/member-code/index');
    await as(codePage)['onLoad']!();
    await eventually(() => assert.match(textOf(codePage, '#code-text'), /^\d{4} \d{4} \d{4} \d{4}$/));
    assert.match(textOf(codePage, '#tier-label'), /铜卡会员/);
    const shown = textOf(codePage, '#code-text').replace(/ /g, '');
    assert.equal(shown, await memberCodeOf('o-shopper'));
    // The barcode under the QR carries the same code (Code 128 C: 123 modules), beside the points.
    const bars = [...(codePage.querySelector('#barcode')?.querySelector('.barcode')?.dom?.children ?? [])].map(
      (el) => Number(/width: ?(\d+)/.exec(el.getAttribute('style') ?? '')?.[1]) / 4,
    );
    assert.deepEqual(bars, code128c(shown));
    assert.match(textOf(codePage, '#tier-label'), /铜卡会员 · \d+ 积分/);

    callThroughGateway(emulator(), 'demo-staff');
    const till = renderPage('store/purchase/index');
    as(till)['onCodeInput']!({ detail: { value: shown } });
    as(till)['onAmountInput']!({ detail: { value: '1000' } });
    tapButton(till.querySelector('#confirm') as Node);
    await eventually(() => assert.match(textOf(till, '#done'), /消费已记录.*1000 元.*\+1000 积分/));
    assert.match(textOf(till, '#upgrade'), /已升级为银卡/);

    callThroughGateway(emulator(), 'o-shopper');
    await as(codePage)['refreshCode']!();
    await eventually(() => assert.match(textOf(codePage, '#used'), /消费已记录/));
    as(codePage)['onUnload']!();

    const tier = renderPage('pages/tier/index');
    await as(tier)['onLoad']!();
    await eventually(() => assert.equal(textOf(tier, '#tier-name'), '银卡'));
    assert.match(textOf(tier, '#spend'), /近12个月消费 1000 元/);
    assert.match(textOf(tier, '#next'), /再消费 4000 元升级金卡/);
    assert.match(textOf(tier, '#benefits'), /9\.5折.*积分 ×1\.2/);
    assert.match(text(tier), /铜卡 → 银卡（消费 1000 元）/);

    const home = renderPage('pages/home/index');
    await as(home)['onLoad']!({});
    await eventually(() => assert.match(textOf(home, '#tier-next'), /再消费 4000 元升级金卡/));
    assert.equal(home.querySelector('#tier-notice'), undefined);
  });

  it('the till refuses a bad amount before asking the server, and shows what the server refused', async () => {
    seedMember('o-till');
    callThroughGateway(emulator(), 'demo-staff');
    const till = renderPage('store/purchase/index');
    as(till)['onCodeInput']!({ detail: { value: '1234567890123456' } });
    as(till)['onAmountInput']!({ detail: { value: '12.345' } });
    tapButton(till.querySelector('#confirm') as Node);
    await eventually(() => assert.match(textOf(till, '#error'), /请输入正确的消费金额/));
    as(till)['onAmountInput']!({ detail: { value: '88' } });
    tapButton(till.querySelector('#confirm') as Node);
    await eventually(() => assert.match(textOf(till, '#error'), /会员码无效或已过期/));
    assert.equal(emulator().store.all('purchases').length, 0);
  });

  it('a member with no spend sees the way to silver and no tier moves', async () => {
    seedMember('o-new');
    callThroughGateway(emulator(), 'o-new');
    const tier = renderPage('pages/tier/index');
    await as(tier)['onLoad']!();
    await eventually(() => assert.equal(textOf(tier, '#tier-name'), '铜卡'));
    assert.match(textOf(tier, '#next'), /再消费 1000 元升级银卡/);
    assert.match(textOf(tier, '#no-moves'), /还没有等级变化/);
    assert.match(textOf(tier, '#row-silver'), /银卡.*满 1000 元.*9\.5折.*积分×1\.2/);
    assert.match(textOf(tier, '#benefit-head'), /等级\s*门槛\s*折扣\s*积分倍率/, 'the table says what its columns are');
  });

  it('个人资料: nickname and birthday complete the profile and the newbie task; the birthday then shows fixed', async () => {
    seedMember('o-profile');
    callThroughGateway(emulator(), 'o-profile');
    const page = renderPage('pages/profile/index');
    await as(page)['onLoad']!();
    await eventually(() => assert.ok(page.querySelector('#birthday-picker')));
    assert.match(textOf(page, '#birthday-note'), /生日需设置满 30 天后才享受福利/);
    as(page)['onNickname']!({ detail: { value: '林小雨' } });
    as(page)['onBirthday']!({ detail: { value: '1995-07-14' } });
    tapButton(page.querySelector('#save') as Node);
    await eventually(() => assert.match(textOf(page, '#notice'), /资料已完善/));
    assert.match(textOf(page, '#birthday-fixed'), /7月14日（如需更正请联系客服）/);
    assert.equal(page.querySelector('#birthday-picker'), undefined);
    assert.match(
      textOf(page, '#birthday-benefits'),
      /你的生日福利从 2026年7月14日 开始/,
      'given on 03-10: this year’s 07-14 is 30+ days on',
    );
    const tasks = await callFunction<{ ok: true; data: { tasks: { id: string; claimable: boolean }[] } }>(
      emulator(),
      'member',
      { action: 'tasks' },
      'o-profile',
    );
    assert.equal(tasks.body.data.tasks.find((t) => t.id === 'newbie-profile')?.claimable, true);
    tapButton(page.querySelector('#save') as Node);
    await eventually(() => assert.match(textOf(page, '#notice'), /没有需要保存的修改/));
  });

  it('staff see the day’s purchases and refund one with a reason; the points it earned come back off', async () => {
    seedMember('o-return');
    const shown = await memberCodeOf('o-return');
    const recorded = await callFunction<{ ok: true; data: { purchaseId: string } }>(
      emulator(),
      'staff',
      { action: 'recordPurchase', code: shown, amount: 25_000, requestId: 'return-till-1' },
      'demo-staff',
    );
    assert.ok(recorded.body.ok, JSON.stringify(recorded.body));
    callThroughGateway(emulator(), 'demo-staff');
    const page = renderPage('store/history/index');
    await as(page)['onShow']!();
    await eventually(() => assert.match(textOf(page, '#purchase-0'), /¥250 · \+250 积分.*会员 王\*\*/));
    page.querySelector('#refund-0')?.dispatchEvent('tap');
    await eventually(() => assert.ok(page.querySelector('#refund-reason')));
    page.querySelector('#refund-confirm')?.dispatchEvent('tap');
    await eventually(() => assert.match(textOf(page, '#notice'), /请填写退款原因/));
    as(page)['onReason']!({ detail: { value: '商品质量问题' } });
    page.querySelector('#refund-confirm')?.dispatchEvent('tap');
    await eventually(() => assert.match(textOf(page, '#notice'), /已退款 250 元，扣回 250 积分/));
    await eventually(() => assert.match(textOf(page, '#purchase-0'), /已退款/));
    assert.equal(page.querySelector('#refund-0'), undefined);
    assert.equal(emulator().store.get('members', 'o-return')?.['points'], 0);
  });
});
