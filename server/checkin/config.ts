import { type CheckinConfig, DEFAULT_CHECKIN_CONFIG, checkinConfigSchema } from '../../core/config/checkin';
import { type ConfigSpec, loadConfig } from '../config';
import type { ServerContext } from '../context';

export const CHECKIN_CONFIG: ConfigSpec<CheckinConfig> = { key: 'checkin', schema: checkinConfigSchema, defaults: DEFAULT_CHECKIN_CONFIG };

export function loadCheckinConfig(ctx: ServerContext): Promise<CheckinConfig> {
  return loadConfig(ctx, CHECKIN_CONFIG);
}
