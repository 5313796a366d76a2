import type * as cloud from 'wx-server-sdk';
import { z } from 'zod';
import type { Reply } from '../../typings/envelope';
import { platformClock } from './clock';
import { type Caller, type CloudPay, type PayReply, type SendMessage, type ServerContext, consoleLogger } from './context';
import { type Actions, type RouteOptions, route } from './router';

type Cloud = typeof cloud;

function callerOf(sdk: Cloud): Caller {
  const wx = sdk.getWXContext();
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  return { openid: text(wx.OPENID), appid: text(wx.APPID), unionid: text(wx.UNIONID) };
}

/** `cloud.cloudPay` (absent from the SDK's typings), in this environment. */
export function cloudPayOf(sdk: Cloud): CloudPay {
  const api = (sdk as unknown as { cloudPay: Record<string, (params: object) => Promise<PayReply>> }).cloudPay;
  const envId = process.env['TCB_ENV'] || process.env['SCF_NAMESPACE'] || '';
  return (name, params) => (api[name] as (params: object) => Promise<PayReply>)({ ...params, envId });
}

/** `subscribeMessage.send` through wx-server-sdk, which throws on a non-zero errcode: the errcode, 0 for sent. */
export function subscribeSenderOf(sdk: Cloud): SendMessage {
  return async (message) => {
    try {
      await sdk.openapi.subscribeMessage.send(message as never);
      return 0;
    } catch (err) {
      const e = err as { errCode?: unknown; errMsg?: unknown; message?: unknown };
      if (typeof e.errCode === 'number' && e.errCode !== 0) return e.errCode;
      const match = /errCode[":\s]+(-?\d+)|fail (\d+)/.exec(`${e.errMsg ?? ''} ${e.message ?? ''}`);
      return Number(match?.[1] ?? match?.[2] ?? -1);
    }
  };
}

function contextOf(sdk: Cloud, db: ServerContext['db'], caller: Caller): ServerContext {
  return { db, clock: platformClock, caller, log: consoleLogger, pay: cloudPayOf(sdk), send: subscribeSenderOf(sdk) };
}

/** A context with no caller, for the project's own scripts (benchmarks, tests) that run server code through the SDK. */
export function scriptContext(sdk: Cloud, overrides: Partial<Pick<ServerContext, 'clock' | 'log'>> = {}): ServerContext {
  return { ...contextOf(sdk, sdk.database(), { openid: null, appid: null, unionid: null }), ...overrides };
}

/** The `main` of a cloud function: the platform's context in, one envelope out. */
export function createHandler(sdk: Cloud, actions: Actions, options: RouteOptions = {}): (event: unknown) => Promise<Reply<unknown>> {
  const db = sdk.database();
  return (event) => {
    return route(actions, contextOf(sdk, db, callerOf(sdk)), event, options);
  };
}

const timerEvent = z.lazy(() =>
  z.object({ Type: z.literal('Timer'), TriggerName: z.string(), Time: z.string(), Message: z.string().optional() }).strict(),
);

/**
 * The `main` of a timer-only function. A mini-program can call every function of its
 * environment and such a call always carries an OPENID; a timer firing carries none. The
 * event's fields prove nothing (a client can send them), so the identity decides: any
 * caller is refused before any work. `run`'s reply is a summary of counts — it never
 * names members or cursors.
 */
export function createTimerHandler<T>(
  sdk: Cloud,
  triggerName: string,
  run: (ctx: ServerContext) => Promise<T>,
): (event: unknown) => Promise<Reply<T>> {
  const db = sdk.database();
  return async (event) => {
    const caller = callerOf(sdk);
    const parsed = timerEvent.safeParse(event);
    if (caller.openid || caller.unionid || !parsed.success || parsed.data.TriggerName !== triggerName) {
      return { ok: false, code: 'FORBIDDEN', message: '仅限定时触发器调用' };
    }
    return { ok: true, data: await run(contextOf(sdk, db, caller)) };
  };
}

/**
 * The `main` of a function only WeChat Pay calls (its result notifications). Like a
 * timer firing, a notification carries no caller; a mini-program's call always does and
 * is refused before any work.
 */
export function createNotificationHandler<T>(
  sdk: Cloud,
  run: (ctx: ServerContext, event: unknown) => Promise<T>,
): (event: unknown) => Promise<T | Reply<never>> {
  const db = sdk.database();
  return async (event) => {
    const caller = callerOf(sdk);
    if (caller.openid || caller.unionid) return { ok: false, code: 'FORBIDDEN', message: '仅限支付平台回调' };
    return run(contextOf(sdk, db, caller), event);
  };
}
