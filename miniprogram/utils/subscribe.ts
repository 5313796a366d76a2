import { api } from '../api/client';

/**
 * Asks for one-time subscriptions (reminders, a group's result) and reports the member's choice. WeChat
 * shows the dialog only when called synchronously inside a tap, so this runs first in the
 * handler and is not awaited. Rejected, banned or filtered templates earn no credit.
 */
export function askForSubscriptions(templates: string[]): void {
  if (!templates.length || typeof wx.requestSubscribeMessage !== 'function') return;
  wx.requestSubscribeMessage({
    tmplIds: templates,
    success(res: Record<string, string>) {
      const accepted = templates.filter((id) => res[id] === 'accept');
      void api.member.subscribe(
        accepted,
        templates.filter((id) => !accepted.includes(id)),
      );
    },
    fail() {
      // The member closed the dialog or the base library refused: nothing to report.
    },
  } as WechatMiniprogram.RequestSubscribeMessageOption);
}
