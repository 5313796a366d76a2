import 'global-jsdom/register';
import { buildSync } from 'esbuild';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import simulate from 'miniprogram-simulate';
import type { Transport } from '../../miniprogram/api/client';
import { type Emulator, callGateway } from 'cloudbase-emulator';
import { ROOT } from '../../scripts/local-cloud';

/**
 * Renders mini-program pages (written with Component()) in jsdom with
 * miniprogram-simulate, using the real tdesign-miniprogram components as DevTools' npm
 * packing would resolve them. The platform globals a page may touch are the simulator's.
 */
const SOURCE = join(ROOT, 'miniprogram');
const TDESIGN = join(ROOT, 'node_modules', 'tdesign-miniprogram', 'miniprogram_dist');

/**
 * Prepares the mini-program as DevTools runs it: each .ts compiled to .js beside its
 * .wxml/.json (the simulator loads `<page>.js`), and npm packages under miniprogram_npm/
 * where `tdesign-miniprogram/...` component paths resolve.
 */
function compileMiniprogram(): string {
  const out = mkdtempSync(join(tmpdir(), 'memberloop-mp-'));
  // Removed when the test process exits (test/helpers/test-process.ts).
  process.once('exit', () => rmSync(out, { recursive: true, force: true }));
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
      d.isDirectory() ? (d.name === 'miniprogram_npm' ? [] : files(join(dir, d.name))) : [join(dir, d.name)],
    );
  const all = files(SOURCE);
  buildSync({
    entryPoints: all.filter((f) => f.endsWith('.ts')),
    outdir: out,
    outbase: SOURCE,
    format: 'cjs',
    platform: 'neutral',
    target: 'es2020',
    logLevel: 'warning',
  });
  for (const file of all.filter((f) => !f.endsWith('.ts'))) {
    const target = join(out, relative(SOURCE, file));
    if (!file.endsWith('.json')) {
      cpSync(file, target);
      continue;
    }
    const json = readFileSync(file, 'utf8').replace(/"tdesign-miniprogram\//g, '"/miniprogram_npm/tdesign-miniprogram/');
    writeFileSync(target, json);
  }
  mkdirSync(join(out, 'miniprogram_npm'));
  symlinkSync(TDESIGN, join(out, 'miniprogram_npm', 'tdesign-miniprogram'), 'dir');
  return out;
}

const MINIPROGRAM = compileMiniprogram();
// The compiled client module is the one pages use; its transport is what tests swap.
const { setTransport } = require(join(MINIPROGRAM, 'api', 'client.js')) as { setTransport(t: Transport): void };
export { setTransport };

// Node 20 has its own Event/CustomEvent, which global-jsdom leaves in place; jsdom's
// elements only accept jsdom's events, so taps need these to be the window's.
Object.assign(globalThis, { getApp: () => ({}), getCurrentPages: () => [], Event: window.Event, CustomEvent: window.CustomEvent });

/**
 * A page loaded once per test process (its WXML compiled, its components' WXSS processed,
 * its script run), as the app loads a page's code once; each render is a new instance.
 * Its styles are put in the document by the first render only — every later one would
 * parse the same stylesheets again (most of a render's time) for elements that are never
 * laid out.
 */
const loadedPages = new Map<string, string>();
const fromRoot = createRequire(join(ROOT, 'package.json'));
const jComponent = createRequire(fromRoot.resolve('miniprogram-simulate'))('j-component') as { create: typeof simulate.render };

export function renderPage(page: string) {
  const loaded = loadedPages.get(page);
  const id = loaded ?? simulate.load(join(MINIPROGRAM, page), { compiler: 'simulate', rootPath: MINIPROGRAM });
  loadedPages.set(page, id);
  const component = loaded ? jComponent.create(id) : simulate.render(id);
  component.attach(document.createElement('parent-wrapper'));
  return component;
}

/** A transport that sends the page's API calls to the emulator gateway as the given WeChat user. */
export const throughGateway =
  (emulator: Emulator, openid: string): Transport =>
  async (name, data) =>
    (await callGateway(emulator.url, name, data, openid)).body as Awaited<ReturnType<Transport>>;

/** Sends the page's API calls to the emulator gateway as the given WeChat user. */
export function callThroughGateway(emulator: Emulator, openid: string): void {
  setTransport(throughGateway(emulator, openid));
}

export function text(component: { dom?: Element }): string {
  return (component.dom?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

export const sleep = simulate.sleep;

/** Retries `check` until it stops throwing (the page's async work has landed) or time runs out. */
export async function eventually(check: () => void, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(10);
    }
  }
}

/**
 * `wx.requestPayment` as the preview provides it: the member pays (or fails, or cancels)
 * through the emulator's WeChat Pay stand-in, which then notifies the `pay` function.
 */
export function payThroughEmulator(emulator: Emulator, outcome: 'success' | 'fail' | 'cancel' = 'success'): void {
  const wxGlobal = (globalThis as unknown as { wx: Record<string, unknown> }).wx;
  wxGlobal['requestPayment'] = async (params: { package: string }) => {
    const prepayId = params.package.replace('prepay_id=', '');
    const { payments } = (await (await fetch(`${emulator.url}/_emu/pay`)).json()) as { payments: { _id: string; prepayId: string }[] };
    const payment = payments.find((p) => p.prepayId === prepayId);
    const res = await fetch(`${emulator.url}/_emu/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outTradeNo: payment?._id, outcome }),
    });
    const reply = (await res.json()) as { errMsg: string };
    if (reply.errMsg !== 'requestPayment:ok') throw reply;
    return reply;
  };
}

/**
 * The pages' intervals and `Date.now`, moved by the test instead of waited for: intervals
 * set while installed run only when `advance` passes their time. `Date.now` keeps moving
 * with real time too, so deadlines (`eventually`) still end.
 */
export function manualTimers(): { advance(ms: number): void; restore(): void } {
  const real = { setInterval: globalThis.setInterval, clearInterval: globalThis.clearInterval, now: Date.now };
  type Interval = { run: () => void; every: number; due: number };
  const intervals = new Map<number, Interval>();
  let offset = 0;
  let lastId = 0;
  Date.now = () => real.now() + offset;
  globalThis.setInterval = ((run: () => void, every = 0) => {
    intervals.set(++lastId, { run, every: Math.max(1, every), due: Date.now() + every });
    return lastId;
  }) as unknown as typeof setInterval;
  globalThis.clearInterval = ((id: number) => void intervals.delete(id)) as typeof clearInterval;
  return {
    advance(ms) {
      const end = Date.now() + ms;
      for (;;) {
        const next = [...intervals.values()].reduce<Interval | undefined>((a, b) => (a && a.due <= b.due ? a : b), undefined);
        if (!next || next.due > end) break;
        offset += next.due - Date.now();
        next.due += next.every;
        next.run();
      }
      offset += end - Date.now();
    },
    restore() {
      Object.assign(globalThis, { setInterval: real.setInterval, clearInterval: real.clearInterval });
      Date.now = real.now;
    },
  };
}

/** Replaces a wx API (`switchTab`, `navigateTo`…) for one test body and records its calls. */
export async function withWx<T>(name: string, body: (calls: unknown[]) => Promise<T>): Promise<T> {
  const wx = (globalThis as unknown as { wx: Record<string, unknown> }).wx;
  const calls: unknown[] = [];
  const before = wx[name];
  wx[name] = (options: unknown) => {
    calls.push(options);
    return Promise.resolve({});
  };
  try {
    return await body(calls);
  } finally {
    wx[name] = before;
  }
}
