import { CHECKIN_CONFIG } from './checkin';
import { CODE_GUARD_CONFIG } from './codeGuard';
import { DISTRIBUTION_CONFIG } from './distribution';
import { EVENTS_CONFIG } from './events';
import { LIFECYCLE_CONFIG } from './lifecycle';
import { PAY_CONFIG } from './pay';
import { REMINDERS_CONFIG } from './reminders';
import type { ConfigSpec } from './spec';
import { TIERS_CONFIG } from './tiers';

/** Every operator rule set in `config/`: what operators may read, edit, roll back and have checked. */
export const CONFIG_SPECS: ConfigSpec<unknown>[] = [
  CHECKIN_CONFIG,
  EVENTS_CONFIG,
  REMINDERS_CONFIG,
  LIFECYCLE_CONFIG,
  CODE_GUARD_CONFIG,
  TIERS_CONFIG,
  PAY_CONFIG,
  DISTRIBUTION_CONFIG,
];
