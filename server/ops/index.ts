import { reconcile } from '../points/reconcile';
import { configIssues, putTask } from './config';
import { grant } from './grant';

/** Actions of the `ops` function (operators only; role checked per action). */
export const opsActions = { grant, reconcile, putTask, configIssues };
