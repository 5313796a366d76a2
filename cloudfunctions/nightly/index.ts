import * as cloud from 'wx-server-sdk';
import { platformClock } from '../../server/clock';
import { consoleLogger } from '../../server/context';
import { runNightly } from '../../server/jobs/nightly';
import { openapiSender } from '../../server/reminders/run';

// The typings say `env` is a string; the SDK documents DYNAMIC_CURRENT_ENV (a symbol) for it.
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });

/** Timer: resumable nightly jobs (points expiry, streak board), reminder passes, abandoned redemptions. */
export async function main(): Promise<unknown> {
  const ctx = { db: cloud.database(), clock: platformClock, caller: { openid: null, appid: null, unionid: null }, log: consoleLogger };
  return runNightly(ctx, openapiSender((message) => cloud.openapi.subscribeMessage.send(message as never)));
}
