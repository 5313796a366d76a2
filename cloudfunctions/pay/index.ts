import * as cloud from 'wx-server-sdk';
import { createNotificationHandler } from '../../server/platform/handler';
import { onPayNotification } from '../../server/pay/notify';

// The typings say `env` is a string; the SDK documents DYNAMIC_CURRENT_ENV (a symbol) for it.
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });

/** WeChat Pay's result notifications (payments and refunds) only; see docs/api.md. */
export const main = createNotificationHandler(cloud, onPayNotification);
