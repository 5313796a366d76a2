import { beijingDay } from '../../core/time/beijing';
import type { ServerContext } from '../platform/context';
import { insertOnce } from '../platform/db';

/** Funnel stages, each recorded at most once per member per Beijing day. */
export type FunnelStage = 'checkin_popup_shown' | 'checkin_popup_tapped';

/**
 * Records that a member reached a funnel stage today (`funnel/<openid>:<stage>:<day>`).
 * Reports count stages per day; a check-in is its own `checkins` document, and next-day
 * return is a `visit` the day after one.
 */
export async function recordFunnel(ctx: ServerContext, openid: string, stage: FunnelStage): Promise<boolean> {
  const at = ctx.clock.now();
  const day = beijingDay(at);
  return insertOnce(ctx.db, 'funnel', { _id: `${openid}:${stage}:${day}`, openid, stage, day, at });
}
