import type { StaffApi } from '../../typings/api';
import type { ActionsOf } from '../platform/router';
import { recordPurchase } from '../staff/purchase';
import { refundPurchase } from '../staff/refund';
import { history, preview, writeOff } from '../staff/writeoff';

/** Actions of the `staff` function (store staff only; role and store from `roles`). */
export const staffActions = { preview, writeOff, history, recordPurchase, refundPurchase } satisfies ActionsOf<StaffApi>;
