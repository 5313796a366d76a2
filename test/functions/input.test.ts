import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Reply } from '../../typings/envelope';
import { emulatorPerFile } from '../helpers/emulator';

const { call } = emulatorPerFile();
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
      for (const day of IMPOSSIBLE_DAYS) assert.equal(code(await call(fn, openid, event(day))), 'INVALID_INPUT', day);
    });
  }

  it('a leap day of a leap year is a day', async () => {
    assert.equal(code(await call('staff', 'demo-staff', { action: 'history', day: '2028-02-29' })), 'ok');
  });
});
