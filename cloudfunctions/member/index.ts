import * as cloud from 'wx-server-sdk';
import { createHandler } from '../../server/platform/handler';
import { memberActions } from '../../server/functions/member';

// The typings say `env` is a string; the SDK documents DYNAMIC_CURRENT_ENV (a symbol) for it.
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });

/** Member actions from the mini-program; see docs/api.md. */
export const main = createHandler(cloud, memberActions);
