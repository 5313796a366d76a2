import type { z } from 'zod';

/** An operator-configurable rule set: `config/<key>`, its schema and the defaults (operators write only what they change). */
export interface ConfigSpec<T> {
  key: string;
  schema: z.ZodType<T>;
  defaults: T;
}
