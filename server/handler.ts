import type * as cloud from 'wx-server-sdk';
import type { Reply } from '../typings/envelope';
import { platformClock } from './clock';
import { type ServerContext, consoleLogger } from './context';
import { type Actions, route } from './router';

type Cloud = typeof cloud;

/** The `main` of a cloud function: the platform's context in, one envelope out. */
export function createHandler(sdk: Cloud, actions: Actions): (event: unknown) => Promise<Reply<unknown>> {
  const db = sdk.database();
  return (event) => {
    const wx = sdk.getWXContext();
    const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
    const ctx: ServerContext = {
      db,
      clock: platformClock,
      caller: { openid: text(wx.OPENID), appid: text(wx.APPID), unionid: text(wx.UNIONID) },
      log: consoleLogger,
    };
    return route(actions, ctx, event);
  };
}
