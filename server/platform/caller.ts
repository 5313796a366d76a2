import type { ServerContext } from './context';
import { AppError } from './errors';

/** The caller's OPENID from WXContext (never from the event); UNAUTHENTICATED without one. Says nothing about membership. */
export function callerOpenid(ctx: ServerContext): string {
  if (!ctx.caller.openid) throw new AppError('UNAUTHENTICATED', '请在微信小程序内打开');
  return ctx.caller.openid;
}
