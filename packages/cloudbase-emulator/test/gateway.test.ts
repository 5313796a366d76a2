import assert from 'node:assert/strict';
import type { Emulator } from '../src';
import { startEmulator } from './helpers';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
  emulator.store.ensureCollection('probe_firings');
});
afterAll(() => emulator.close());

async function request(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${emulator.url}${path}`, { method, body, headers: { 'content-type': 'application/json', ...headers } });
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
    assert.deepEqual([advanced.body['fired'], advanced.body['failed']], [1, 0]);
    const read = await request('GET', '/_emu/clock');
    assert.match(String(read.body['now']), /^2032-02-03/);
  });

  it('answers an advance with counts; each firing only when asked for in detail', async () => {
    await request('POST', '/_emu/clock', JSON.stringify({ now: '2033-03-03T00:00:00Z' }));
    const tenDays = await request('POST', '/_emu/clock', JSON.stringify({ advanceMs: 10 * 86_400_000 }));
    assert.deepEqual(Object.keys(tenDays.body).sort(), ['failed', 'fired', 'now', 'offsetMs']);
    assert.deepEqual([tenDays.body['fired'], tenDays.body['failed']], [10, 0]);
    const detailed = await request('POST', '/_emu/clock', JSON.stringify({ advanceMs: 2 * 86_400_000, detail: true }));
    assert.equal(detailed.body['fired'], 2);
    assert.deepEqual(
      (detailed.body['firings'] as { at: string; ok: boolean }[]).map((f) => [f.at, f.ok]),
      [
        ['2033-03-13T18:30:00.000Z', true],
        ['2033-03-14T18:30:00.000Z', true],
      ],
    );
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

  it('reset empties the data and restores the seed; a collection made since is gone, a declared one numbers anew', async () => {
    emulator.store.ensureCollection('made_since');
    emulator.database.apply([
      { collection: 'probe_firings', id: 'o-temp', doc: { _id: 'o-temp' }, mode: 'put' },
      { collection: 'roles', id: 'editor-1', doc: null, mode: 'put' },
      { collection: 'made_since', id: 'x', doc: { _id: 'x' }, mode: 'put' },
    ]);
    assert.equal((await request('POST', '/_emu/reset')).status, 200);
    assert.equal(emulator.store.get('probe_firings', 'o-temp'), undefined);
    assert.equal(emulator.store.get('roles', 'editor-1')?.['team'], 'team-1');
    assert.equal(emulator.store.hasCollection('made_since'), false);
    emulator.database.apply([
      { collection: 'probe_firings', id: 'b', doc: { _id: 'b' }, mode: 'put' },
      { collection: 'probe_firings', id: 'a', doc: { _id: 'a' }, mode: 'put' },
    ]);
    assert.deepEqual(
      emulator.store.all('probe_firings').map((d) => d._id),
      ['b', 'a'],
      'in the order added, as in a new database',
    );
  });

  it('validates subscribe grants', async () => {
    assert.equal((await request('POST', '/_emu/subscribe', JSON.stringify({ openid: 'o1' }))).status, 400);
  });
});

describe('gateway under hostile input', () => {
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
  const alive = async () => assert.equal((await request('POST', '/fn/probe', '{"do":"echo"}', { 'x-wx-openid': 'o1' })).status, 200);

  it('refuses deeply nested JSON with 400 on /fn and /_emu (and /admin: security.test.ts), and keeps serving', async () => {
    for (const path of ['/fn/probe', '/_emu/clock', '/_emu/subscribe']) {
      const res = await request('POST', path, deep(6000), { 'x-wx-openid': 'o1' });
      assert.equal(res.status, 400, path);
      assert.equal(res.body['code'], 'INVALID_INPUT', path);
    }
    await alive();
  });

  it('an event too deep to deliver to a worker is an outcome, not a crash', async () => {
    let event: unknown = [];
    for (let i = 0; i < 20_000; i++) event = [event];
    const outcome = await emulator.invoke('probe', event, { openid: 'o1' });
    assert.equal(outcome.ok, false);
    await alive();
  });

  it('refuses a body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await request('POST', '/fn/probe', JSON.stringify({ pad: 'x'.repeat(1_100_000) }), { 'x-wx-openid': 'o1' });
    assert.equal(res.status, 413);
    assert.equal(res.body['code'], 'PAYLOAD_TOO_LARGE');
    await alive();
  });

  it('answers bad percent-encoding in a path with 400', async () => {
    for (const path of ['/fn/%E0%A4%A', '/fn/%', '/_emu/trigger/%zz/x'])
      assert.equal((await request('POST', path, '{}')).status, 400, path);
    await alive();
  });

  it('refuses an advance that is not a finite, non-negative, bounded number', async () => {
    const before = await request('GET', '/_emu/clock');
    for (const advanceMs of ['1e400', '-1', '"86400000"', 'null', '1e15']) {
      const res = await request('POST', '/_emu/clock', `{"advanceMs": ${advanceMs}}`);
      assert.equal(res.status, 400, advanceMs);
    }
    const after = await request('GET', '/_emu/clock');
    assert.ok(Math.abs(Number(after.body['offsetMs']) - Number(before.body['offsetMs'])) < 1000);
  });

  it('a JSON body of null or an array is refused, not a crash', async () => {
    for (const body of ['null', '[]', '"x"']) assert.equal((await request('POST', '/_emu/subscribe', body)).status, 400, body);
    await alive();
  });
});
