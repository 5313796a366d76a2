import type { z } from 'zod';
import type { ConfigSpec } from '../../core/config/spec';
import type { OpenCollection } from './collections';
import type { ServerContext } from './context';
import { findDocs, findOne } from './db';

/** An operator-edited document that passes its schema; one that fails is logged and does not exist for members. */
export function validated<T>(
  ctx: ServerContext,
  schema: z.ZodType<T>,
  collection: string,
  doc: Record<string, unknown> | undefined,
): T | undefined {
  if (!doc) return undefined;
  const parsed = schema.safeParse(doc);
  if (parsed.success) return parsed.data;
  ctx.log.error('invalid document ignored', { collection, id: doc['_id'], issues: parsed.error.issues });
  return undefined;
}

/** An operator-edited document by id, if it passes its schema (one that fails is logged and does not exist for members). */
export async function loadEdited<T>(
  ctx: ServerContext,
  schema: z.ZodType<T>,
  collection: OpenCollection,
  id: string,
): Promise<T | undefined> {
  return validated(ctx, schema, collection, await findOne<Record<string, unknown>>(ctx.db, collection, id));
}

/** Every enabled operator-edited document of a collection that passes its schema (invalid ones are logged and left out). */
export async function loadEnabled<T>(ctx: ServerContext, schema: z.ZodType<T>, collection: OpenCollection, limit = 1000): Promise<T[]> {
  const docs = await findDocs<Record<string, unknown>>(ctx.db.collection(collection).where({ enabled: true }).limit(limit));
  return docs.flatMap((doc) => validated(ctx, schema, collection, doc) ?? []);
}

/** What a stored rule-set document makes: its fields over the defaults, as the schema judges the whole (with every issue). */
export function parseConfig<T>(spec: ConfigSpec<T>, doc: Record<string, unknown>): z.ZodSafeParseResult<T> {
  const { _id: _key, ...fields } = doc;
  return spec.schema.safeParse({ ...spec.defaults, ...fields });
}

/**
 * The document's fields over the defaults (operators write only what they change),
 * validated as a whole. A missing document means the defaults; an invalid one is logged
 * and the defaults apply — a bad edit in the console must never break members.
 */
export function fromDocument<T>(ctx: ServerContext, spec: ConfigSpec<T>, doc: Record<string, unknown> | undefined): T {
  if (!doc) return spec.defaults;
  const parsed = parseConfig(spec, doc);
  if (parsed.success) return parsed.data;
  ctx.log.error('invalid config document; defaults apply', { key: spec.key, issues: parsed.error.issues });
  return spec.defaults;
}

/** The stored documents of these rule sets, read now in one query (keys without one are absent). */
export async function readConfigDocs(ctx: ServerContext, keys: string[]): Promise<Map<string, Record<string, unknown>>> {
  const docs = await findDocs<Record<string, unknown>>(
    ctx.db
      .collection('config')
      .where({ _id: ctx.db.command.in(keys) })
      .limit(keys.length),
  );
  return new Map(docs.map((d) => [String(d['_id']), d]));
}

/**
 * How long a warm instance trusts the rule sets it read. Operators edit them rarely; a
 * member action reads them on every call. In the cloud an edit reaches every instance
 * within this time; locally an edit from outside the functions starts them afresh.
 */
export const CONFIG_TTL_MS = 30_000;

/**
 * Documents this instance read on the rule sets' terms — rule sets (`config/<key>`) and
 * cached operator-edited documents — by `<collection>/<id>`, with when (`null`: none stored).
 */
const cache = new Map<string, { doc: Record<string, unknown> | null; readAt: number }>();

/** The cached document, unless it is older than `CONFIG_TTL_MS` (or never read): undefined then. */
function fresh(collection: string, id: string, now: number): { doc: Record<string, unknown> | null } | undefined {
  const entry = cache.get(`${collection}/${id}`);
  return entry && now - entry.readAt < CONFIG_TTL_MS ? entry : undefined;
}

/** Puts a document this instance just read afresh into its cache. */
export function rememberEdited(collection: OpenCollection | 'config', id: string, doc: Record<string, unknown> | undefined): void {
  cache.set(`${collection}/${id}`, { doc: doc ?? null, readAt: performance.now() });
}

export function loadConfig<T>(ctx: ServerContext, spec: ConfigSpec<T>): Promise<T> {
  return loadConfigs(ctx, spec).then(([config]) => config);
}

/** Several rule sets; those not cached (or stale) come in one read. */
export async function loadConfigs<T extends unknown[]>(ctx: ServerContext, ...specs: { [K in keyof T]: ConfigSpec<T[K]> }): Promise<T> {
  const now = performance.now();
  const stale = specs.map((s) => s.key).filter((key) => !fresh('config', key, now));
  if (stale.length > 0) {
    const docs = await readConfigDocs(ctx, stale);
    for (const key of stale) rememberEdited('config', key, docs.get(key));
  }
  return specs.map((spec) => fromDocument(ctx, spec, cache.get(`config/${spec.key}`)?.doc ?? undefined)) as T;
}

/**
 * This instance reads the document afresh next time: an operator here just saved it (a
 * rule set, or a cached operator-edited document). Other warm instances see the save
 * within `CONFIG_TTL_MS`.
 */
export function forgetEdited(collection: string, id: string): void {
  cache.delete(`${collection}/${id}`);
}

/**
 * An operator-edited document as stored, through this instance's cache, on the rule sets'
 * terms: for documents a hot path reads on every call (mall items and coupon templates, on
 * every redemption), where an edit may take `CONFIG_TTL_MS` to reach other warm instances
 * — unless the path checks what it read (a redemption's decrement is conditional on the
 * item's `version`, which every save moves).
 */
export async function cachedEdited(
  ctx: ServerContext,
  collection: OpenCollection,
  id: string,
): Promise<Record<string, unknown> | undefined> {
  const known = fresh(collection, id, performance.now());
  if (known) return known.doc ?? undefined;
  const doc = await findOne<Record<string, unknown>>(ctx.db, collection, id);
  rememberEdited(collection, id, doc);
  return doc;
}
