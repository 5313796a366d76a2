import * as cloud from 'wx-server-sdk';
import { createHandler } from '../../server/platform/handler';
import { onlyRole } from '../../server/platform/roles';
import { opsActions } from '../../server/functions/ops';

// The typings say `env` is a string; the SDK documents DYNAMIC_CURRENT_ENV (a symbol) for it.
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });

/** Operator actions (configuration, grants, reports); see docs/api.md. */
export const main = createHandler(cloud, opsActions, { authorize: onlyRole('operator') });
