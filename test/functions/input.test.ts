import assert from 'node:assert/strict';
import type { Reply } from '../../typings/envelope';
import { emulatorPerFile } from '../helpers/emulator';

const suite = emulatorPerFile();
const { raw } = suite;
const code = (reply: Reply<unknown>) => (reply.ok ? 'ok' : reply.code);

/** Days that match YYYY-MM-DD but are not days: month 13 and 00, day 32 and 00, 30 February. */
const IMPOSSIBLE_DAYS = ['2026-13-01', '2026-00-10', '2026-01-32', '2026-01-00', '2026-02-30', '2025-02-29'];

describe('impossible days', () => {
  const actions: [fn: string, openid: string, event: (day: string) => Record<string, unknown>][] = [
    ['member', 'o-days', (day) => ({ action: 'makeup', day })],
    ['staff', 'demo-staff', (day) => ({ action: 'history', day })],
    ['ops', 'demo-operator', (day) => ({ action: 'writeOffs', day })],
    ['ops', 'demo-operator', (day) => ({ action: 'funnels', from: day, to: '2026-04-30' })],
    ['ops', 'demo-operator', (day) => ({ action: 'alerts', from: '2026-04-01', to: day })],
  ];
  for (const [fn, openid, event] of actions) {
    it(`${fn}.${String(event('x')['action'])} refuses them as INVALID_INPUT`, async () => {
      for (const day of IMPOSSIBLE_DAYS) assert.equal(code(await raw(fn, openid, event(day))), 'INVALID_INPUT', day);
    });
  }

  it('a leap day of a leap year is a day', async () => {
    assert.equal(code(await raw('staff', 'demo-staff', { action: 'history', day: '2028-02-29' })), 'ok');
  });
});

describe('what a refused input says', () => {
  it('in Chinese, naming the fields at fault — a wrong value, an unknown key, an unknown action', async () => {
    const message = (reply: Reply<unknown>) => (reply.ok ? '' : reply.message);
    const wrong = await raw('member', 'o-says', { action: 'mall', kind: 'jewellery', page: -1 });
    assert.equal(code(wrong), 'INVALID_INPUT');
    assert.equal(message(wrong), '参数有误：kind、page');
    assert.equal(message(await raw('member', 'o-says', { action: 'checkin', points: 999 })), '参数有误：points');
    const unknown = await raw('member', 'o-says', { action: 'teleport' });
    assert.deepEqual([code(unknown), message(unknown)], ['UNKNOWN_ACTION', '不支持的操作：teleport']);
    assert.equal(message(await raw('member', 'o-says', { nothing: 1 })), '请求格式有误');
  });
});

describe('hostile events', () => {
  const rawBody = async (fn: string, body: string, openid = 'o-hostile') => {
    const res = await fetch(`${suite.emulator().url}/fn/${fn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-wx-openid': openid },
      body,
    });
    return (await res.json()) as Reply<unknown>;
  };

  it('refuses __proto__, constructor and prototype keys like any unknown key, changing nothing', async () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const reply = await rawBody('member', `{"action":"checkin","${key}":{"points":999}}`);
      assert.equal(code(reply), 'INVALID_INPUT', key);
    }
    assert.equal(suite.emulator().store.all('checkins').length, 0);
  });

  it('refuses an event with thousands of unknown keys at once, with a short message', async () => {
    const fields = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
    const reply = await rawBody('member', JSON.stringify({ action: 'checkin', ...fields }));
    assert.equal(code(reply), 'INVALID_INPUT');
    assert.ok(!reply.ok && reply.message.length < 400);
  });

  it('non-operators calling ops get FORBIDDEN and learn nothing about the inputs, whatever they send', async () => {
    for (const event of [{ action: 'grant' }, { action: 'grant', openid: 'o-x', points: -5 }, { action: 'nope' }, {}]) {
      for (const openid of ['o-hostile', 'demo-staff']) {
        const reply = await raw('ops', openid, event);
        assert.equal(code(reply), 'FORBIDDEN', JSON.stringify(event));
        assert.ok(!reply.ok && !/openid|points|requestId|reason|action/.test(reply.message), reply.ok ? '' : reply.message);
      }
    }
  });

  it('non-staff calling staff get FORBIDDEN before their input is read', async () => {
    const reply = await raw('staff', 'o-hostile', { action: 'writeOff', code: 12 });
    assert.equal(code(reply), 'FORBIDDEN');
  });
});
