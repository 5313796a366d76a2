import type { z } from 'zod';
import type { ServerContext } from './context';
import { findDocs, findOne } from './db';

/** An operator-configurable rule set: `config/<key>`, its schema and the defaults. */
export interface ConfigSpec<T> {
  key: string;
  schema: z.ZodType<T>;
  defaults: T;
}

/**
 * The document's fields over the defaults (operators write only what they change),
 * validated as a whole. A missing document means the defaults; an invalid one is logged
 * and the defaults apply — a bad edit in the console must never break members.
 */
function fromDocument<T>(ctx: ServerContext, spec: ConfigSpec<T>, doc: Record<string, unknown> | undefined): T {
  if (!doc) return spec.defaults;
  const { _id: _key, ...fields } = doc;
  const parsed = spec.schema.safeParse({ ...spec.defaults, ...fields });
  if (parsed.success) return parsed.data;
  ctx.log.error('invalid config document; defaults apply', { key: spec.key, issues: parsed.error.issues });
  return spec.defaults;
}

export async function loadConfig<T>(ctx: ServerContext, spec: ConfigSpec<T>): Promise<T> {
  return fromDocument(ctx, spec, await findOne<Record<string, unknown>>(ctx.db, 'config', spec.key));
}

/** Several config documents in one read (a hot path saves a round trip per extra document). */
export async function loadConfigs<T extends unknown[]>(ctx: ServerContext, ...specs: { [K in keyof T]: ConfigSpec<T[K]> }): Promise<T> {
  const docs = await findDocs<Record<string, unknown>>(
    ctx.db
      .collection('config')
      .where({ _id: ctx.db.command.in(specs.map((s) => s.key)) })
      .limit(specs.length),
  );
  return specs.map((spec) => fromDocument(ctx, spec, docs.find((d) => d['_id'] === spec.key))) as T;
}
