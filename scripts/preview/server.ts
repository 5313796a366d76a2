import { readFileSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { HttpError, MAX_EVENT_BYTES, MAX_FILE_BYTES, readBody, refuseForeign, requireJson, sendError } from 'cloudbase-emulator';
import { build } from 'esbuild';
import { ROOT } from '../local-cloud';
import { serveAutomator } from './automator';
import { miniprogramFiles } from './files';
import { rpxToPx } from './rpx';

/**
 * The preview server: the phone frame and side panel (`index.html`), the browser runtime
 * (`preview.js`, bundled on first use), the mini-program's files (`files.json`, read anew
 * on every load so an edit shows on reload), the tab-bar images, and the emulator's
 * gateway (`/fn`, `/_emu`) passed through, so the page and its calls share one origin;
 * and miniprogram-automator's protocol at `/automator` (see automator.ts).
 */
const HERE = join(ROOT, 'scripts', 'preview');
const WIDTH = 375;
const TYPES: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.svg': 'image/svg+xml' };

/** Class selectors of the app's stylesheet scoped the way j-component scopes a page's (`main--`), `page` as the page root. */
export function appStylesheet(css: string): string {
  return css.replace(/([^{}]+)\{/g, (_, selectors: string) => {
    const scoped = selectors
      .split(',')
      .map((s) =>
        s
          .replace(/(^|[^\w-])page(?![\w-])/g, '$1.page')
          .replace(/\.([A-Za-z_][\w-]*)/g, (m, name: string) => (name === 'page' ? m : `.main--${name}`)),
      )
      .join(',');
    return `${scoped}{`;
  });
}

let bundle: Promise<string> | undefined;
function runtime(): Promise<string> {
  bundle ??= build({
    entryPoints: [join(HERE, 'client.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    alias: { path: 'path-browserify' },
    define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
    logLevel: 'error',
    plugins: [
      {
        // Node-only modules miniprogram-simulate names but never runs in a browser.
        name: 'node-only',
        setup(b) {
          b.onResolve({ filter: /^(fs|url|os|module|miniprogram-compiler)$/ }, (a) => ({ path: a.path, namespace: 'node-only' }));
          b.onLoad({ filter: /.*/, namespace: 'node-only' }, () => ({ contents: 'module.exports = {}' }));
        },
      },
    ],
  }).then((r) => r.outputFiles[0]?.text ?? '');
  return bundle;
}

/**
 * The gateway call passed on as the emulator takes it: JSON only (an upload's bytes
 * excepted), the body read up to the gateway's own limit (413 and the connection cut past
 * it, never held whole).
 */
async function proxy(req: IncomingMessage, res: ServerResponse, target: string): Promise<void> {
  const headers: Record<string, string> = {};
  for (const name of ['x-wx-openid', 'authorization']) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  let body: Buffer | undefined;
  // An upload's bytes go to COS (the emulator's `/_emu/cos/`) as they are; everything else is JSON.
  const upload = req.method === 'PUT' && (req.url ?? '').startsWith('/_emu/cos/');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    if (!upload) requireJson(req);
    if (req.headers['content-type']) headers['content-type'] = req.headers['content-type'];
    body = await readBody(req, upload ? MAX_FILE_BYTES : MAX_EVENT_BYTES);
  }
  const upstream = await fetch(`${target}${req.url}`, { method: req.method, headers, ...(body ? { body } : {}) });
  res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
  res.end(Buffer.from(await upstream.arrayBuffer()));
}

export interface Preview {
  url: string;
  close(): Promise<void>;
}

export async function startPreview(options: { port: number; emulatorUrl: string }): Promise<Preview> {
  let port = 0;
  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!(err instanceof HttpError)) console.error('preview: request failed', err);
      sendError(req, res, err);
    });
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The page, its files and the gateway behind it answer this machine's own pages only (see the emulator's README).
    refuseForeign(req, port);
    const path = new URL(req.url ?? '/', 'http://preview').pathname;
    if (path.startsWith('/fn/') || path.startsWith('/_emu/')) return proxy(req, res, options.emulatorUrl);
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return void res.end(readFileSync(join(HERE, 'index.html')));
    }
    if (path === '/preview.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      return void res.end(await runtime());
    }
    if (path === '/files.json') {
      const { files, app } = miniprogramFiles(WIDTH);
      const appCss = appStylesheet(rpxToPx(files['app.wxss'] ?? '', 1));
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      return void res.end(JSON.stringify({ files, app, appCss }));
    }
    if (path.startsWith('/mp/')) {
      const file = normalize(join(ROOT, 'miniprogram', path.slice(4)));
      if (!file.startsWith(join(ROOT, 'miniprogram')) || !TYPES[extname(file)]) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': TYPES[extname(file)] as string });
      return void res.end(readFileSync(file));
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
  await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  serveAutomator(server, port);
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
