import assert from 'node:assert/strict';
import { type IncomingMessage, type Server, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { WebSocket } from 'ws';
import { type Preview, startPreview } from '../../scripts/preview/server';

/**
 * What a web page the developer opens must not do through the preview's port (issue 22):
 * drive the open preview through the automator sockets, reach the gateway from another
 * origin or under a foreign Host, or make the preview hold a huge body. A plain HTTP and
 * WebSocket client against the preview server, with a stand-in gateway behind it that
 * records what reaches it.
 */
let preview: Preview;
let upstream: Server;
const reached: { url: string; bytes: number }[] = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (c: Buffer) => {
      bytes += c.length;
    });
    req.on('end', () => {
      reached.push({ url: req.url ?? '', bytes });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  preview = await startPreview({ port: 0, emulatorUrl: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}` });
});
afterAll(async () => {
  await preview.close();
  await new Promise((resolve) => upstream.close(resolve));
});
beforeEach(() => {
  reached.length = 0;
});

const port = () => Number(new URL(preview.url).port);

const parse = (text: string): Record<string, unknown> => {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
};

/** One request with exactly these headers and this body (a Readable is streamed as it is pulled). */
function send(path: string, headers: Record<string, string>, body?: string | Readable, method = 'POST') {
  return new Promise<{ status: number; body: Record<string, unknown>; closed: Promise<void> }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: port(), method, path, headers }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: parse(Buffer.concat(chunks).toString()),
          closed: new Promise((done) => (req.socket?.destroyed ? done() : req.socket?.once('close', () => done()))),
        }),
      );
    });
    // The server may cut the connection while a large body is still on its way.
    req.on('error', (err) => (req.socket?.destroyed ? undefined : reject(err)));
    if (body instanceof Readable) {
      req.flushHeaders();
      body.pipe(req);
    } else req.end(body);
  });
}

const json = { 'content-type': 'application/json' };

describe('the preview’s automator sockets', () => {
  const open = (path: string, origin?: string) =>
    new Promise<'open' | number>((resolve) => {
      const ws = new WebSocket(`${preview.url.replace('http', 'ws')}${path}`, origin ? { origin } : {});
      ws.on('open', () => {
        ws.close();
        resolve('open');
      });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => resolve(0));
    });

  it('refuse a page of any other origin', async () => {
    for (const path of ['/automator', '/automator-bridge']) {
      for (const origin of ['http://evil.example', `http://127.0.0.1:${port() + 1}`, 'null'])
        assert.equal(await open(path, origin), 403, `${path} ${origin}`);
    }
  });

  it('admit the preview’s own page and a script (no Origin)', async () => {
    assert.equal(await open('/automator-bridge', preview.url), 'open');
    assert.equal(await open('/automator-bridge', `http://localhost:${port()}`), 'open');
    assert.equal(await open('/automator'), 'open');
  });
});

describe('the gateway through the preview’s port', () => {
  it('passes a JSON call from the preview’s own page', async () => {
    const res = await send('/fn/member', { ...json, origin: preview.url, 'x-wx-openid': 'u1' }, '{"action":"home"}');
    assert.equal(res.status, 200);
    assert.deepEqual(reached, [{ url: '/fn/member', bytes: 17 }]);
  });

  it('refuses a foreign Origin, a foreign Host and a simple (non-JSON) POST before anything reaches the gateway', async () => {
    const refused = [
      await send('/_emu/reset', { ...json, origin: 'http://evil.example' }),
      await send('/_emu/clock', { ...json, host: `evil.example:${port()}` }, '{"advanceMs":60000}'),
      await send('/_emu/pay', { host: 'evil.example' }, undefined, 'GET'),
      await send('/', { host: 'evil.example' }, undefined, 'GET'),
      await send('/_emu/reset', { 'content-type': 'text/plain' }),
      await send('/fn/member', { 'content-type': 'application/x-www-form-urlencoded', 'x-wx-openid': 'u1' }, 'a=1'),
    ];
    assert.deepEqual(
      refused.map((r) => r.status),
      [403, 403, 403, 403, 415, 415],
    );
    assert.deepEqual(reached, []);
  });

  it('cuts a body over 1 MB with 413 without holding it: the gateway never sees it, the sender is stopped early', async () => {
    const total = 64 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let pulled = 0;
    const body = new Readable({
      read() {
        if (pulled >= total) return void this.push(null);
        pulled += chunk.length;
        this.push(chunk);
      },
    });
    const res = await send('/fn/member', { ...json, 'transfer-encoding': 'chunked' }, body);
    assert.deepEqual([res.status, res.body['code']], [413, 'PAYLOAD_TOO_LARGE']);
    await res.closed;
    body.destroy();
    assert.deepEqual(reached, [], 'nothing was passed on');
    assert.ok(pulled < total / 4, `the sender was cut off early (${pulled} of ${total} bytes sent)`);
  });

  it('refuses a declared length over 1 MB at once', async () => {
    const res = await send('/fn/member', { ...json, 'content-length': String(400 * 1024 * 1024) }, new Readable({ read() {} }));
    assert.equal(res.status, 413);
    assert.deepEqual(reached, []);
  });
});
