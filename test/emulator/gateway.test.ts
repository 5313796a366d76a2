import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '../../emulator/emulator';
import { FIXTURE_FUNCTIONS, startEmulator } from '../helpers/emulator';

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator({ functionsDir: FIXTURE_FUNCTIONS });
  emulator.store.ensureCollection('probe_firings');
});
after(() => emulator.close());

async function request(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${emulator.url}${path}`, { method, body, headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('gateway', () => {
  it('answers malformed JSON with 400 and a JSON error', async () => {
    const res = await request('POST', '/fn/probe', '{"do": ');
    assert.equal(res.status, 400);
    assert.deepEqual([res.body['ok'], res.body['code']], [false, 'INVALID_INPUT']);
  });

  it('answers an unknown function with 404', async () => {
    const res = await request('POST', '/fn/nope', '{}');
    assert.equal(res.status, 404);
    assert.equal(res.body['code'], 'NOT_FOUND');
  });

  it('answers an unknown route with 404 and keeps serving', async () => {
    assert.equal((await request('GET', '/what')).status, 404);
    assert.equal((await request('POST', '/fn/probe', '{"do":"echo"}', { 'x-wx-openid': 'o1' })).status, 200);
  });

  it('reads, sets and advances the clock', async () => {
    const set = await request('POST', '/_emu/clock', JSON.stringify({ now: '2032-02-02T00:00:00Z' }));
    assert.match(String(set.body['now']), /^2032-02-02T00:00:0/);
    const advanced = await request('POST', '/_emu/clock', JSON.stringify({ advanceMs: 86_400_000 }));
    assert.match(String(advanced.body['now']), /^2032-02-03T00:00:0/);
    assert.deepEqual((advanced.body['fired'] as { at: string }[]).map((f) => f.at), ['2032-02-02T18:30:00.000Z']);
    const read = await request('GET', '/_emu/clock');
    assert.match(String(read.body['now']), /^2032-02-03/);
  });

  it('refuses a clock request that is neither a time nor an advance', async () => {
    assert.equal((await request('POST', '/_emu/clock', JSON.stringify({ advanceMs: -5 }))).status, 400);
    assert.equal((await request('POST', '/_emu/clock', JSON.stringify({ now: 'yesterday' }))).status, 400);
  });

  it('fires a named timer trigger now, and 404s an unknown one', async () => {
    const before = emulator.store.count('probe_firings');
    const fired = await request('POST', '/_emu/trigger/probe/nightly');
    assert.deepEqual(fired.body, { fired: 'nightly' });
    assert.equal(emulator.store.count('probe_firings'), before + 1);
    assert.equal((await request('POST', '/_emu/trigger/probe/hourly')).status, 404);
  });

  it('reset empties member data and restores the seed configuration', async () => {
    emulator.database.apply([
      { collection: 'members', id: 'o-temp', doc: { _id: 'o-temp', openid: 'o-temp' }, mode: 'put' },
      { collection: 'roles', id: 'demo-staff', doc: null, mode: 'put' },
    ]);
    assert.equal((await request('POST', '/_emu/reset')).status, 200);
    assert.equal(emulator.store.get('members', 'o-temp'), undefined);
    assert.equal(emulator.store.get('roles', 'demo-staff')?.['storeId'], 'demo-store-1');
  });

  it('validates subscribe grants', async () => {
    assert.equal((await request('POST', '/_emu/subscribe', JSON.stringify({ openid: 'o1' }))).status, 400);
  });
});
