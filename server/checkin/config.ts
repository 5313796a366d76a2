import { type CheckinConfig, DEFAULT_CHECKIN_CONFIG, checkinConfigSchema } from '../../core/config/checkin';
import { loadConfig } from '../config';
import type { ServerContext } from '../context';

export function loadCheckinConfig(ctx: ServerContext): Promise<CheckinConfig> {
  return loadConfig(ctx, 'checkin', checkinConfigSchema, DEFAULT_CHECKIN_CONFIG);
}
