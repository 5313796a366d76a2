import type * as cloud from 'wx-server-sdk';
import { z } from 'zod';
import type { Reply } from '../../typings/envelope';
import { platformClock } from './clock';
import type { Clock } from './clock';
import {
  type Caller,
  type CloudPay,
  type FileUrls,
  type PayReply,
  type ReadFile,
  type SendMessage,
  type ServerContext,
  consoleLogger,
} from './context';
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

/** How long a temporary URL is asked for (seconds); this instance reuses one until half of that is left. */
const URL_MAX_AGE_S = 86_400;
/** Temporary URLs this instance holds, by fileID, with when they stop being handed out (ms, the platform's clock). */
const urls = new Map<string, { url: string; until: number }>();

/** `cloud.getTempFileURL` for the files not held (50 a call, its limit), through this instance's cache. */
export function fileUrlsOf(sdk: Cloud, clock: Clock): FileUrls {
  return async (fileIds) => {
    const now = clock.now().getTime();
    const wanted = [...new Set(fileIds)].filter((id) => (urls.get(id)?.until ?? 0) <= now);
    for (let i = 0; i < wanted.length; i += 50) {
      const reply = (await sdk.getTempFileURL({
        fileList: wanted.slice(i, i + 50).map((fileID) => ({ fileID, maxAge: URL_MAX_AGE_S })),
      })) as {
        fileList: { fileID: string; status: number; tempFileURL: string }[];
      };
      for (const f of reply.fileList)
        if (f.status === 0) urls.set(f.fileID, { url: f.tempFileURL, until: now + (URL_MAX_AGE_S * 1000) / 2 });
    }
    return new Map(fileIds.flatMap((id): [string, string][] => (urls.has(id) ? [[id, (urls.get(id) as { url: string }).url]] : [])));
  };
}

/**
 * A file's bytes through its temporary URL (`cloud.getTempFileURL`, then a GET): null for a
 * file that does not exist. Not `cloud.downloadFile`: it reports a missing file as
 * "downloadFile:fail undefined", the same as any other failure.
 */
export function readFileOf(sdk: Cloud): ReadFile {
  return async (fileID) => {
    const reply = (await sdk.getTempFileURL({ fileList: [{ fileID, maxAge: 60 }] })) as {
      fileList: { status: number; tempFileURL: string }[];
    };
    const file = reply.fileList[0];
    if (file?.status !== 0) return null;
    const res = await fetch(file.tempFileURL);
    if (!res.ok) throw new Error(`reading ${fileID}: HTTP ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  };
}

function contextOf(sdk: Cloud, db: ServerContext['db'], caller: Caller, clock: Clock = platformClock): ServerContext {
  return {
    db,
    clock,
    caller,
    log: consoleLogger,
    pay: cloudPayOf(sdk),
    send: subscribeSenderOf(sdk),
    fileUrls: fileUrlsOf(sdk, clock),
    readFile: readFileOf(sdk),
  };
}

/** A context with no caller, for the project's own scripts (benchmarks, tests) that run server code through the SDK. */
export function scriptContext(sdk: Cloud, overrides: Partial<Pick<ServerContext, 'clock' | 'log'>> = {}): ServerContext {
  return { ...contextOf(sdk, sdk.database(), { openid: null, appid: null, unionid: null }, overrides.clock), ...overrides };
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
