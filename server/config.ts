import type { z } from 'zod';
import type { ServerContext } from './context';
import { findOne } from './db';

/**
 * An operator-configurable rule set from `config/<key>`: the document's fields over the
 * defaults (operators write only what they change), validated as a whole. A missing
 * document means the defaults; an invalid one is logged and the defaults apply — a bad
 * edit in the console must never break members.
 */
export async function loadConfig<T>(ctx: ServerContext, key: string, schema: z.ZodType<T>, defaults: T): Promise<T> {
  const doc = await findOne<Record<string, unknown>>(ctx.db, 'config', key);
  if (!doc) return defaults;
  const { _id: _key, ...fields } = doc;
  const parsed = schema.safeParse({ ...defaults, ...fields });
  if (parsed.success) return parsed.data;
  ctx.log.error('invalid config document; defaults apply', { key, issues: parsed.error.issues });
  return defaults;
}
