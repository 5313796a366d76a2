import * as cloud from 'wx-server-sdk';
import { createHandler } from '../../server/platform/handler';
import { onlyRole } from '../../server/platform/roles';
import { staffActions } from '../../server/functions/staff';

// The typings say `env` is a string; the SDK documents DYNAMIC_CURRENT_ENV (a symbol) for it.
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });

/** Store staff: preview and write off members' coupons, today's write-offs; see docs/api.md. */
export const main = createHandler(cloud, staffActions, { authorize: onlyRole('staff') });
