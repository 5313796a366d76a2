import * as cloud from 'wx-server-sdk';
import { tick } from '../../server/functions/timer';
import { createTimerHandler } from '../../server/platform/handler';

// The typings say `env` is a string; the SDK documents DYNAMIC_CURRENT_ENV (a symbol) for it.
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });

/** Timer only, every 10 minutes: due work — the night's resumable jobs, reminder passes, abandoned redemptions. */
export const main = createTimerHandler(cloud, 'tick', tick);
