import assert from 'node:assert/strict';
import { emulatorPerFile } from '../helpers/emulator';
import { callThroughGateway, eventually, renderPage, text } from '../helpers/miniprogram';

/**
 * WeChat's privacy authorization on the pages that use privacy APIs: the popup WeChat asks
 * for through `wx.onNeedPrivacyAuthorization`, and the answer it gives back.
 */
const suite = emulatorPerFile();
type Resolve = (answer: { event: string; buttonId?: string }) => void;
type Page = ReturnType<typeof renderPage>;
type Node = { querySelector(s: string): Node | undefined; dispatchEvent(n: string): void };
/** Inside the page's popup. */
const inPopup = (page: Page, selector: string) => (page.querySelector('#privacy') as unknown as Node | undefined)?.querySelector(selector);
/** The agree button answers with WeChat's `agreeprivacyauthorization` event, as the platform sends it after the tap. */
const tap = (page: Page, selector: string) =>
  (inPopup(page, selector) as Node).dispatchEvent(selector === '#agree-privacy' ? 'agreeprivacyauthorization' : 'tap');

/** The page's listener, as WeChat holds it. */
function capturedListener(): { get(): (resolve: Resolve) => void } {
  let listener: ((resolve: Resolve) => void) | undefined;
  (globalThis as unknown as { wx: Record<string, unknown> }).wx['onNeedPrivacyAuthorization'] = (l: (resolve: Resolve) => void) => {
    listener = l;
  };
  return {
    get() {
      assert.ok(listener, 'the page listens for WeChat’s privacy question');
      return listener;
    },
  };
}

describe('privacy authorization', () => {
  for (const [path, query] of [
    ['pages/profile/index', {}],
    ['pages/checkout/index', { id: 'thermos-cup' }],
  ] as const) {
    it(`${path}: asked by WeChat, the popup shows what is collected; 同意 answers agree (the API goes on), 拒绝 disagree`, async () => {
      callThroughGateway(suite.emulator(), 'o-privacy');
      const listening = capturedListener();
      const page = renderPage(path);
      await (page.instance as unknown as { onLoad(q: object): Promise<void> }).onLoad(query);
      assert.equal(inPopup(page, '#privacy-popup'), undefined, 'nothing is asked before a privacy API is used');

      const answers: unknown[] = [];
      listening.get()((answer) => answers.push(answer));
      await eventually(() => assert.match(text(page), /用户隐私保护提示.*收货地址只用于配送你的订单/));
      tap(page, '#agree-privacy');
      await eventually(() => assert.deepEqual(answers, [{ event: 'agree', buttonId: 'agree-privacy' }]));
      assert.equal(inPopup(page, '#privacy-popup'), undefined, 'the popup goes once answered');

      listening.get()((answer) => answers.push(answer));
      await eventually(() => assert.ok(inPopup(page, '#privacy-popup')));
      tap(page, '#disagree-privacy');
      await eventually(() => assert.deepEqual(answers.at(-1), { event: 'disagree' }));
    });
  }
});

describe('积分规则 and 会员协议', () => {
  it('the rules page reads the rules in force; 会员协议 opens from its link', async () => {
    callThroughGateway(suite.emulator(), 'o-rules');
    const page = renderPage('pages/rules/index');
    await (page.instance as unknown as { onLoad(q: object): Promise<void> }).onLoad({});
    await eventually(() =>
      assert.match(text(page), /连续签到第 1 天得 \d+ 积分.*每 1 元得 \d+ 积分.*铜卡 ×1.*3 月获得的积分于次年 3 月 31 日到期/),
    );
    const agreement = renderPage('pages/rules/index');
    await (agreement.instance as unknown as { onLoad(q: object): Promise<void> }).onLoad({ tab: 'agreement' });
    assert.match(text(agreement), /会员服务协议.*积分不可兑现/);
  });
});
