import { history, preview, writeOff } from './writeoff';

/** Actions of the `staff` function (store staff only; role and store from `roles`). */
export const staffActions = { preview, writeOff, history };
