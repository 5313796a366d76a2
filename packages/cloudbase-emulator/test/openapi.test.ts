import assert from 'node:assert/strict';
import type { Emulator } from '../src';
import { checkFieldValue } from '../src/openapi/fields';
import { callFunction, startEmulator } from './helpers';

const TEMPLATE = 'local-tmpl-order-shipped';
const goodData = { thing1: { value: '订单已发货' }, number2: { value: '3' }, thing3: { value: '包裹预计明天送达，请留意查收' } };

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
beforeEach(() => emulator.reset());
afterAll(() => emulator.close());

/** subscribeMessage.send from inside a function, through the real SDK. */
async function send(params: Record<string, unknown>): Promise<{ errCode?: number; errcode?: number; errMsg?: string }> {
  const reply = await callFunction<{ ok?: false; message?: string } & Record<string, unknown>>(
    emulator,
    'probe',
    { do: 'send', params },
    'sender',
  );
  if (reply.status === 200) return reply.body as { errCode: number };
  const code = /errCode[":\s]+(-?\d+)|fail (\d+)|"errCode":(\d+)/.exec(reply.body.message ?? '');
  return { errCode: Number(code?.[1] ?? code?.[2] ?? code?.[3]), errMsg: reply.body.message };
}

async function grant(openid: string, templateId = TEMPLATE) {
  const res = await fetch(`${emulator.url}/_emu/subscribe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ openid, templateId }),
  });
  return { status: res.status, body: (await res.json()) as { credits?: number } };
}

async function outbox(openid?: string) {
  const res = await fetch(`${emulator.url}/_emu/outbox${openid ? `?openid=${openid}` : ''}`);
  return ((await res.json()) as { messages: { openid: string; data: Record<string, string> }[] }).messages;
}

describe('subscribeMessage.send', () => {
  it('without a consent credit is refused with 43101 and sends nothing', async () => {
    assert.equal((await send({ touser: 'm1', templateId: TEMPLATE, data: goodData })).errCode, 43101);
    assert.deepEqual(await outbox(), []);
  });

  it('one accepted subscription allows exactly one message', async () => {
    assert.equal((await grant('m1')).body.credits, 1);
    const first = await send({ touser: 'm1', templateId: TEMPLATE, page: 'pages/home/index', data: goodData });
    assert.equal(first.errCode, 0);
    assert.equal((await send({ touser: 'm1', templateId: TEMPLATE, data: goodData })).errCode, 43101);
    const sent = await outbox('m1');
    assert.equal(sent.length, 1);
    assert.deepEqual(sent[0]?.data, { thing1: '订单已发货', number2: '3', thing3: '包裹预计明天送达，请留意查收' });
  });

  it('rejects an unknown template with 40037', async () => {
    await grant('m1');
    assert.equal((await send({ touser: 'm1', templateId: 'no-such-template', data: goodData })).errCode, 40037);
  });

  it('rejects a value breaking the field rules with 47003 and keeps the credit', async () => {
    await grant('m1');
    const tooLong = { ...goodData, thing1: { value: '这是一条超过二十个字符的提醒内容会被平台拒绝的' } };
    assert.equal((await send({ touser: 'm1', templateId: TEMPLATE, data: tooLong })).errCode, 47003);
    assert.equal((await send({ touser: 'm1', templateId: TEMPLATE, data: goodData })).errCode, 0);
  });

  it('rejects a page the mini-program does not have with 41030', async () => {
    await grant('m1');
    assert.equal((await send({ touser: 'm1', templateId: TEMPLATE, page: 'pages/nowhere/index', data: goodData })).errCode, 41030);
  });

  it('rejects a malformed openid with 40003', async () => {
    assert.equal((await send({ touser: 'not an openid!', templateId: TEMPLATE, data: goodData })).errCode, 40003);
  });

  it('granting a credit for an unknown template is a 404', async () => {
    assert.equal((await grant('m1', 'nope')).status, 404);
  });
});

describe('template field rules', () => {
  const cases: [string, string, boolean][] = [
    ['thing', '二十个字以内的内容', true],
    ['thing', 'x'.repeat(21), false],
    ['thing', '😀'.repeat(20), true],
    ['thing', '换行\n不行', false],
    ['number', '12345', true],
    ['number', '12a', false],
    ['letter', 'abcXYZ', true],
    ['symbol', '%', true],
    ['symbol', 'abc', false],
    ['character_string', 'NO.2026-11', true],
    ['character_string', '中文', false],
    ['time', '15:01', true],
    ['time', '2026年11月23日 15:01', true],
    ['time', 'soon', false],
    ['date', '2026-11-23', true],
    ['date', 'tomorrow', false],
    ['amount', '¥100.00', true],
    ['amount', '100.001', false],
    ['phone_number', '+86 138-0000-0000', true],
    ['car_number', '沪A12345', true],
    ['car_number', '沪A1234567', false],
    ['name', '张三', true],
    ['name', '张'.repeat(11), false],
    ['phrase', '已完成', true],
    ['phrase', 'done', false],
  ];
  for (const [type, value, accepted] of cases) {
    it(`${type} ${accepted ? 'accepts' : 'refuses'} ${JSON.stringify(value)}`, () => {
      assert.equal(checkFieldValue(type, value) === undefined, accepted);
    });
  }
});
