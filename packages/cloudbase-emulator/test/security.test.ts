import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { sign } from '@cloudbase/signature-nodejs';
import type { Emulator } from '../src';
import { startEmulator } from './helpers';

/**
 * What a web page the developer opens must not be able to do to the emulator (issue 22):
 * write through /admin without the SDK's signature, call any route with a simple
 * (text/plain, form) POST, or reach it at all under a foreign Host (DNS rebinding) or
 * from a foreign Origin.
 */
let emulator: Emulator;
let port: number;
beforeAll(async () => {
  emulator = await startEmulator();
  port = Number(new URL(emulator.url).port);
});
afterAll(() => emulator.close());

interface Raw {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** One request with exactly these headers (fetch would not send a foreign Host). */
function raw({ method = 'POST', path, headers = {}, body }: Raw): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The review's attack: a role row inserted as wx-server-sdk sends it. */
const insertEvilRole = {
  collectionName: 'roles',
  data: [JSON.stringify({ _id: 'evil-openid', role: 'admin' })],
  action: 'database.insertDocument',
  envName: 'local-env',
};

/** A POST /admin signed by the SDKs' own signer (@cloudbase/signature-nodejs) with these keys. */
function signedAdmin(params: Record<string, unknown>, keys = emulator.credentials, options: { body?: string; ageSeconds?: number } = {}) {
  const path = '/admin?env=local-env&seqId=test_1';
  const headers = { 'content-type': 'application/json', host: `127.0.0.1:${port}`, 'user-agent': 'security-test' };
  const { authorization, timestamp } = sign({
    secretId: keys.secretId,
    secretKey: keys.secretKey,
    method: 'post',
    url: `http://127.0.0.1:${port}${path}`,
    params,
    headers,
    withSignedParams: true,
    timestamp: Math.floor(Date.now() / 1000) - 1 - (options.ageSeconds ?? 0),
  });
  return raw({
    path,
    headers: { ...headers, authorization, 'x-timestamp': String(timestamp) },
    body: options.body ?? JSON.stringify(params),
  });
}

const evilRole = () => emulator.store.get('roles', 'evil-openid');

describe('/admin requires the SDK signature', () => {
  afterEach(() => emulator.reset());

  it('refuses the cross-site text/plain insert from the review, and writes nothing', async () => {
    const fromPage = await raw({
      path: '/admin',
      headers: { 'content-type': 'text/plain', origin: 'http://evil.example' },
      body: JSON.stringify(insertEvilRole),
    });
    assert.deepEqual([fromPage.status, fromPage.body['code']], [403, 'INVALID_REQUEST_SOURCE']);
    const withoutOrigin = await raw({ path: '/admin', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(insertEvilRole) });
    assert.deepEqual([withoutOrigin.status, withoutOrigin.body['code']], [401, 'SIGN_PARAM_INVALID']);
    assert.equal(evilRole(), undefined);
  });

  it('refuses an unsigned JSON request with 401 SIGN_PARAM_INVALID, and writes nothing', async () => {
    const res = await raw({ path: '/admin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(insertEvilRole) });
    assert.equal(res.status, 401);
    assert.equal(res.body['code'], 'SIGN_PARAM_INVALID');
    assert.equal(evilRole(), undefined);
  });

  it('refuses a request signed with another secret, or whose body changed after signing', async () => {
    const other = { secretId: emulator.credentials.secretId, secretKey: 'not-the-emulators-key' };
    assert.equal((await signedAdmin(insertEvilRole, other)).status, 401);
    const harmless = { ...insertEvilRole, data: [JSON.stringify({ _id: 'evil-openid', role: 'viewer' })] };
    assert.equal((await signedAdmin(harmless, emulator.credentials, { body: JSON.stringify(insertEvilRole) })).status, 401);
    assert.equal(evilRole(), undefined);
  });

  it('refuses a signature older than the ten minutes it is valid for', async () => {
    assert.equal((await signedAdmin(insertEvilRole, emulator.credentials, { ageSeconds: 601 })).status, 401);
    assert.equal(evilRole(), undefined);
  });

  it('answers a signed request with JSON nested too deep with 400, and keeps serving', async () => {
    const deep = '['.repeat(6000) + ']'.repeat(6000);
    const res = await signedAdmin(insertEvilRole, emulator.credentials, { body: `{"data":${deep}}` });
    assert.deepEqual([res.status, res.body['code']], [400, 'INVALID_INPUT']);
    assert.equal((await signedAdmin(insertEvilRole)).status, 200);
  });

  it('accepts a request signed with the emulator’s secret', async () => {
    const res = await signedAdmin(insertEvilRole);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(evilRole()?.['role'], 'admin');
  });
});

describe('every gateway route requires application/json', () => {
  const firings = () => emulator.store.count('probe_firings');
  beforeEach(() => emulator.store.ensureCollection('probe_counts'));

  it('refuses text/plain, a form and no content type with 415, and changes nothing', async () => {
    emulator.database.apply([{ collection: 'probe_firings', id: 'marker', doc: { _id: 'marker' }, mode: 'put' }]);
    const offset = emulator.clock.offset;
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', undefined]) {
      const headers: Record<string, string> = type ? { 'content-type': type } : {};
      const refused = [
        await raw({ path: '/_emu/reset', headers }),
        await raw({ path: '/_emu/clock', headers, body: JSON.stringify({ advanceMs: 86_400_000 }) }),
        await raw({ path: '/_emu/trigger/probe/nightly', headers }),
        await raw({ path: '/fn/probe', headers: { ...headers, 'x-wx-openid': 'o1' }, body: JSON.stringify({ do: 'count' }) }),
      ];
      assert.deepEqual(
        refused.map((r) => [r.status, r.body['code']]),
        refused.map(() => [415, 'UNSUPPORTED_MEDIA_TYPE']),
        String(type),
      );
    }
    assert.equal(firings(), 1, 'no reset, no firing');
    assert.equal(emulator.store.count('probe_counts'), 0, 'the function never ran');
    assert.equal(emulator.clock.offset, offset);
  });

  it('serves the same calls sent as application/json', async () => {
    const json = { 'content-type': 'application/json; charset=utf-8', 'x-wx-openid': 'o1' };
    assert.equal((await raw({ path: '/fn/probe', headers: json, body: JSON.stringify({ do: 'count' }) })).status, 200);
    assert.equal((await raw({ path: '/_emu/trigger/probe/nightly', headers: json })).status, 200);
  });
});

describe('only this machine’s own pages reach the emulator', () => {
  it('refuses a foreign Host on every route, GETs included (DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, `localhost.evil.example:${port}`]) {
      for (const path of ['/', '/_emu/pay', '/_emu/outbox', '/_emu/clock']) {
        const res = await raw({ method: 'GET', path, headers: { host } });
        assert.deepEqual([res.status, res.body['code']], [403, 'INVALID_HOST'], `${host} ${path}`);
      }
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`])
      assert.equal((await raw({ method: 'GET', path: '/_emu/clock', headers: { host } })).status, 200, host);
  });

  it('refuses a foreign Origin, and changes nothing; accepts its own', async () => {
    const offset = emulator.clock.offset;
    const advance = (origin: string) =>
      raw({ path: '/_emu/clock', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify({ advanceMs: 60_000 }) });
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${port + 1}`]) {
      const res = await advance(origin);
      assert.deepEqual([res.status, res.body['code']], [403, 'INVALID_REQUEST_SOURCE'], origin);
    }
    assert.equal(emulator.clock.offset, offset);
    assert.equal((await advance(`http://localhost:${port}`)).status, 200);
  });
});
