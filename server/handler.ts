import type * as cloud from 'wx-server-sdk';
import { z } from 'zod';
import type { Reply } from '../typings/envelope';
import { platformClock } from './clock';
import { type Caller, type ServerContext, consoleLogger } from './context';
import { type Actions, type RouteOptions, route } from './router';

type Cloud = typeof cloud;

function callerOf(sdk: Cloud): Caller {
  const wx = sdk.getWXContext();
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  return { openid: text(wx.OPENID), appid: text(wx.APPID), unionid: text(wx.UNIONID) };
}

/** The `main` of a cloud function: the platform's context in, one envelope out. */
export function createHandler(sdk: Cloud, actions: Actions, options: RouteOptions = {}): (event: unknown) => Promise<Reply<unknown>> {
  const db = sdk.database();
  return (event) => {
    const ctx: ServerContext = { db, clock: platformClock, caller: callerOf(sdk), log: consoleLogger };
    return route(actions, ctx, event, options);
  };
}

const timerEvent = z
  .object({ Type: z.literal('Timer'), TriggerName: z.string(), Time: z.string(), Message: z.string().optional() })
  .strict();

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
    const ctx: ServerContext = { db, clock: platformClock, caller, log: consoleLogger };
    return { ok: true, data: await run(ctx) };
  };
}
