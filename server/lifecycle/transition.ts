import type { Transition } from '../../core/lifecycle/stage';
import type { TransitionDoc } from '../../typings/documents';
import type { Tx } from '../platform/db';

/**
 * Records a stage change in the caller's transaction, beside the member update that makes
 * it: `lifecycle/<openid>:<at ms>` with from, to, at and reason. The caller's transaction
 * re-reads the member, so a transition is stored once.
 */
export async function storeTransition(
  tx: Tx,
  openid: string,
  transition: Transition,
  day: string,
  at: Date,
): Promise<Record<string, unknown>> {
  const doc: TransitionDoc = { _id: `${openid}:${at.getTime()}`, openid, ...transition, day, at };
  await tx.collection('lifecycle').add({ data: doc });
  return { stage: transition.to, stageSince: day };
}
