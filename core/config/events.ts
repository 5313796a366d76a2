import { z } from 'zod';
import type { ConfigSpec } from './spec';

/**
 * Operator config `config/events`: daily caps on events a client could fake; beyond a
 * cap an event counts for nothing.
 */
export const eventsConfigSchema = z.lazy(() =>
  z
    .object({
      version: z.number().int().positive(),
      browseDailyCap: z.number().int().min(0).max(1000),
      shareDailyCap: z.number().int().min(0).max(100),
    })
    .strict(),
);
export type EventsConfig = z.infer<typeof eventsConfigSchema>;

export const DEFAULT_EVENTS_CONFIG: EventsConfig = { version: 1, browseDailyCap: 20, shareDailyCap: 5 };

export const EVENTS_CONFIG: ConfigSpec<EventsConfig> = { key: 'events', schema: eventsConfigSchema, defaults: DEFAULT_EVENTS_CONFIG };
