import * as cloud from 'wx-server-sdk';
import { createTimerHandler } from '../../server/handler';
import { runNightly } from '../../server/jobs/nightly';
import { openapiSender } from '../../server/reminders/run';

// The typings say `env` is a string; the SDK documents DYNAMIC_CURRENT_ENV (a symbol) for it.
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });

/** Timer only: resumable nightly jobs (points expiry, streak board), reminder passes, abandoned redemptions. */
export const main = createTimerHandler(cloud, 'nightly', (ctx) => runNightly(ctx, openapiSender((message) => cloud.openapi.subscribeMessage.send(message as never))));
