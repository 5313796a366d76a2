import { scriptContext } from '../../server/platform/handler';
import { type Emulator, type GatewayReply, callGateway } from 'cloudbase-emulator';
import type { ActionName, FunctionName, ResponseOf } from '../../typings/api';
import type { Reply } from '../../typings/envelope';
import type { ServerContext } from '../../server/platform/context';
import { rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type LocalCloudOptions, ROOT, startLocalCloud } from '../../scripts/local-cloud';

/**
 * The emulator of this test process. The runner runs many test files one after another in
 * each of its processes; an emulator started afresh for each file would start each
 * function's worker processes again (about half a second of CPU apiece: Node,
 * wx-server-sdk, the bundle), which was the largest single cost of the run. So it stays
 * between files, and a file asking for the same options gets it back as a fresh one would
 * be: database emptied and reseeded, clock at real time, warm functions loaded afresh
 * before their next call, WeChat Pay's notifications settled, its own function log.
 * Other options get a new one. It ends with the process.
 */
let kept: { options: string; emulator: Emulator } | undefined;

/** This project on the emulator for the calling test file, on a free port with an in-memory database (see `kept`). */
export async function emulatorForThisFile(options: LocalCloudOptions = {}): Promise<Emulator> {
  const key = JSON.stringify(options);
  const logs = logFileOfThisTest();
  if (kept?.options === key) {
    const { emulator } = kept;
    await emulator.pay.settle();
    emulator.reset();
    emulator.setNow(new Date());
    emulator.databaseTrace = null;
    emulator.setFunctionLogs(logs);
    return emulator;
  }
  await kept?.emulator.close();
  if (!kept) process.once('disconnect', () => void kept?.emulator.close().finally(() => process.exit(0)));
  kept = { options: key, emulator: await startLocalCloud({ port: 0, dbFile: ':memory:', functionLogs: logs, ...options }) };
  return kept.emulator;
}

const startedLogs = new Set<string>();
/** test-artifacts/logs/<test file>.log, begun afresh by the file's first emulator of this run. */
function logFileOfThisTest(): string | null {
  const testPath = (expect.getState() as { testPath?: string }).testPath;
  if (!testPath) return null;
  const file = join(ROOT, 'test-artifacts', 'logs', `${relative(ROOT, testPath).replace(/[/\\]/g, '_')}.log`);
  if (!startedLogs.has(file)) rmSync(file, { force: true });
  startedLogs.add(file);
  return file;
}

/** POST /fn/<name> as the mini-program would reach it, with the caller's OPENID header. */
export function callFunction<T = unknown>(emulator: Emulator, name: string, event: unknown, openid?: string): Promise<GatewayReply<T>> {
  return callGateway<T>(emulator.url, name, event, openid);
}

/** Points wx-server-sdk / @cloudbase/node-sdk in this process at the emulator, as its function workers are. */
export function useSdkAgainst(emulator: Emulator): void {
  Object.assign(process.env, emulator.sdkEnvironment());
}

/**
 * The emulator for a test file (emulatorForThisFile), emptied and reseeded before each
 * of its tests. `member` calls the member function as a WeChat user.
 */
export function emulatorPerFile(options: LocalCloudOptions = {}) {
  let running: Emulator | undefined;
  beforeAll(async () => {
    running = await emulatorForThisFile(options);
  });
  beforeEach(() => running?.reset());
  const emulator = (): Emulator => {
    if (!running) throw new Error('the emulator starts in beforeAll()');
    return running;
  };
  // Replies are typed by the contract (typings/api.ts) from the action named; requests
  // stay open so tests can send what a client must not (bad input is half the suite).
  const call = <F extends FunctionName, A extends ActionName<F>>(fn: F, openid: string, event: { action: A } & Record<string, unknown>) =>
    callFunction<Reply<ResponseOf<F, A>>>(emulator(), fn, event, openid).then((r) => r.body);
  return {
    emulator,
    member: <A extends ActionName<'member'>>(openid: string, event: { action: A } & Record<string, unknown>) =>
      call('member', openid, event),
    /** Any function, as the WeChat user `openid`. */
    call,
    /** Any event at all (hostile or malformed input), its reply untyped. */
    raw: (fn: string, openid: string | undefined, event: unknown) =>
      callFunction<Reply<unknown>>(emulator(), fn, event, openid).then((r) => r.body),
    /** Sets the simulated clock to a Beijing time, e.g. `2026-05-10T10:00:00`. */
    at: (beijing: string) => emulator().setNow(new Date(`${beijing}+08:00`)),
    /** One firing of the timer function, which must succeed. */
    fireTimer: async () => {
      const outcome = await emulator().fireTrigger('timer', 'tick');
      if (!outcome.ok) throw new Error(`timer firing failed: ${JSON.stringify(outcome)}`);
    },
    /** The member's side of wx.requestPayment through the emulator's WeChat Pay: its errMsg. */
    pay: async (orderId: string, outcome: 'success' | 'fail' | 'cancel' = 'success', delivery: 'now' | 'twice' | 'held' = 'now') => {
      const res = await fetch(`${emulator().url}/_emu/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ outTradeNo: orderId, outcome, delivery }),
      });
      return ((await res.json()) as { errMsg: string }).errMsg;
    },
    /** WeChat Pay delivers every notification not yet acknowledged (held ones too). */
    deliverPay: () => fetch(`${emulator().url}/_emu/pay/deliver`, { method: 'POST', headers: { 'content-type': 'application/json' } }),
  };
}

/** A server context in this process, its SDK pointed at the emulator: for calling server code directly. */
export function serverContextAgainst(emulator: Emulator): ServerContext {
  useSdkAgainst(emulator);
  const cloud = require('wx-server-sdk') as typeof import('wx-server-sdk');
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
  return scriptContext(cloud, { clock: { now: () => emulator.clock.now() }, log: { info: () => undefined, error: () => undefined } });
}

/** The reply's data, or the test fails naming what came instead. */
export const ok = <T>(reply: Reply<T>): T => {
  if (!reply.ok) throw new Error(`expected ok, got ${JSON.stringify(reply)}`);
  return reply.data;
};

/** `ok`, or the error code a reply carries. */
export const code = (reply: Reply<unknown>): string => (reply.ok ? 'ok' : reply.code);
