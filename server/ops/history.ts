import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ConfigHistoryView } from '../../typings/api';
import type { ConfigVersionDoc } from '../../typings/documents';
import { forgetEdited, fromDocument } from '../platform/config';
import { CONFIG_SPECS } from '../../core/config/specs';
import type { ServerContext } from '../platform/context';
import { findDocs, findOne, inTransaction, txGet } from '../platform/db';
import { AppError } from '../platform/errors';
import { requireRole } from '../platform/roles';
import { action } from '../platform/router';
import { EDITED_COLLECTIONS, describeIssues } from './edited';

/** A stored document's content, as history compares it (key order and `_id` do not count). */
function contentHash(doc: Record<string, unknown>): string {
  const { _id: _ignored, ...fields } = doc;
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object' && !(v instanceof Date)
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
          )
        : v;
  return createHash('sha256')
    .update(JSON.stringify(canonical(fields)))
    .digest('hex');
}

const historyId = (collection: string, id: string, seq: number) => `${collection}:${id}:${seq}`;

/**
 * The newest saved versions, newest first. A save racing others may still see a document
 * a few versions old, so a console edit is one that matches none of the last ten.
 */
function latestVersions(ctx: ServerContext, collection: string, id: string, limit: number): Promise<ConfigVersionDoc[]> {
  return findDocs<ConfigVersionDoc>(
    ctx.db.collection('configHistory').where({ collection, docId: id }).orderBy('seq', 'desc').limit(limit),
  );
}

/**
 * Saves an operator's edit of an operator-edited document (validated by the caller) and keeps
 * every version: `configHistory/<collection>:<id>:<seq>` with who saved it, when and why. A
 * document with a `version` field gets its entry's number there. An edit made in the console since the
 * last save is recorded first, so it can be seen and rolled back to like any other. The
 * versions and the document are written in one transaction. Two operators saving the same
 * document at once: the history entry's id is taken once, the other gets CONFLICT and reloads.
 */
export async function saveVersioned(
  ctx: ServerContext,
  collection: string,
  doc: { _id: string } & Record<string, unknown>,
  by: string,
  note: string,
): Promise<number> {
  const { _id: id, ...fields } = doc;
  const [current, recent] = await Promise.all([
    findOne<Record<string, unknown>>(ctx.db, collection as 'config', id),
    latestVersions(ctx, collection, id, 10),
  ]);
  const latest = recent[0];
  const now = ctx.clock.now();
  const entries: ConfigVersionDoc[] = [];
  let seq = (latest?.seq ?? 0) + 1;
  if (current && !recent.some((v) => v.hash === contentHash(current))) {
    const { _id: _ignored, ...found } = current;
    entries.push({
      _id: historyId(collection, id, seq),
      collection,
      docId: id,
      seq,
      doc: found,
      hash: contentHash(current),
      by: latest ? 'console' : 'seed',
      at: now,
      note: latest ? '在云开发控制台中修改' : '初始版本',
    });
    seq++;
  }
  // Documents whose schema has a `version` carry their entry's number; the others (rule sets, items) only in the history.
  const stored = 'version' in fields ? { ...fields, version: seq } : fields;
  entries.push({
    _id: historyId(collection, id, seq),
    collection,
    docId: id,
    seq,
    doc: stored,
    hash: contentHash(stored),
    by,
    at: now,
    note,
  });
  // The versions and the document are written together: a save that does not apply leaves no version behind.
  await inTransaction(ctx.db, async (tx) => {
    for (const entry of entries) {
      if (await txGet(tx, 'configHistory', entry._id).catch(() => undefined))
        throw new AppError('CONFLICT', '有人刚刚修改了它，请刷新后再保存');
      await tx.collection('configHistory').add({ data: entry });
    }
    await tx.collection(collection).doc(id).set({ data: stored });
  });
  forgetEdited(collection, id);
  return seq;
}

/**
 * A rule set as stored: the fields the operator set (the defaults fill the rest when read).
 * An empty one would change nothing (and the database refuses an empty document) — what
 * a body of only `"__proto__"` becomes once parsed, too.
 */
const ruleSetFields = z.lazy(() =>
  z.record(z.string(), z.unknown()).refine((doc) => Object.keys(doc).length > 0, { message: '至少修改一项规则' }),
);

/** The schema a document of `collection` (or `config/<id>`) must pass, or an input error. */
function validatorFor(collection: string, id: string): (doc: Record<string, unknown>) => z.ZodSafeParseResult<unknown> {
  if (collection === 'config') {
    const spec = CONFIG_SPECS.find((s) => s.key === id);
    if (!spec) throw new AppError('INVALID_INPUT', `no rule set config/${id}`);
    return (doc) => {
      const named = ruleSetFields.safeParse(doc);
      return named.success ? spec.schema.safeParse({ ...(spec.defaults as object), ...doc }) : named;
    };
  }
  const schema = EDITED_COLLECTIONS.find(([name]) => name === collection)?.[1];
  if (!schema) throw new AppError('INVALID_INPUT', `${collection} is not operator-edited`);
  return (doc) => schema.safeParse({ ...doc, _id: id });
}

/** Which document: built on first use, with the action that needs it. */
const target = () => ({
  collection: z.enum(['config', ...EDITED_COLLECTIONS.map(([name]) => name)] as [string, ...string[]]),
  id: z.string().regex(/^[A-Za-z0-9-]{2,48}$/),
});

/** Every saved version of a document, newest first; a console edit not yet recorded shows as the first entry. */
export const configHistory = action(
  () => z.object(target()).strict(),
  async (ctx, input): Promise<ConfigHistoryView> => {
    await requireRole(ctx, 'operator');
    const [current, entries] = await Promise.all([
      findOne<Record<string, unknown>>(ctx.db, input.collection as 'config', input.id),
      findDocs<ConfigVersionDoc>(
        ctx.db.collection('configHistory').where({ collection: input.collection, docId: input.id }).orderBy('seq', 'desc').limit(100),
      ),
    ]);
    // A document never saved here (a seed) has nothing to differ from.
    const editedOutside = current !== undefined && entries.length > 0 && contentHash(current) !== entries[0]?.hash;
    const spec = input.collection === 'config' ? CONFIG_SPECS.find((c) => c.key === input.id) : undefined;
    return {
      current: current ?? null,
      effective: spec ? (fromDocument(ctx, spec, current) as Record<string, unknown>) : null,
      editedOutside,
      versions: entries.map((e) => ({ seq: e.seq, by: e.by, at: e.at.toISOString(), note: e.note, doc: e.doc })),
    };
  },
);

/**
 * Rolls a document back to a saved version: that version is validated again (a rule may
 * have changed since) and saved as a new version, so the rollback is in the history too.
 */
export const rollbackConfig = action(
  () => z.object({ ...target(), seq: z.number().int().min(1).max(1_000_000) }).strict(),
  async (ctx, input): Promise<{ id: string; version: number }> => {
    const operator = await requireRole(ctx, 'operator');
    const entry = await findOne(ctx.db, 'configHistory', historyId(input.collection, input.id, input.seq));
    if (!entry) throw new AppError('NOT_FOUND', '没有这个版本');
    const parsed = validatorFor(input.collection, input.id)(entry.doc);
    if (!parsed.success) throw new AppError('INVALID_INPUT', `该版本已不符合当前规则：${describeIssues(parsed.error).join('; ')}`);
    const version = await saveVersioned(ctx, input.collection, { ...entry.doc, _id: input.id }, operator._id, `回滚到版本 ${input.seq}`);
    return { id: input.id, version };
  },
);

/** What is wrong with a document, field by field (`path` as `a.b.0`), as the editors show it next to each field. */
function problemsOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

/**
 * The editors' save: any operator-edited document (or rule set) by collection and id,
 * checked by the same schema members are guarded by. With `check: true` nothing is saved —
 * the reply lists the problems (empty when it would save). An invalid save saves nothing
 * and comes back as INVALID_INPUT naming them.
 */
export const saveConfig = action(
  () => z.object({ ...target(), doc: z.record(z.string(), z.unknown()), check: z.boolean().optional() }).strict(),
  async (ctx, input): Promise<{ problems: { path: string; message: string }[]; version: number | null }> => {
    const operator = await requireRole(ctx, 'operator');
    const { _id: _ignored, ...fields } = input.doc;
    const parsed = validatorFor(input.collection, input.id)(fields);
    if (!parsed.success) {
      if (input.check) return { problems: problemsOf(parsed.error), version: null };
      throw new AppError('INVALID_INPUT', describeIssues(parsed.error).join('; '));
    }
    if (input.check) return { problems: [], version: null };
    // Rule sets keep the fields the operator gave (the defaults fill the rest when read); documents their parsed form.
    const doc = input.collection === 'config' ? fields : (parsed.data as Record<string, unknown>);
    const version = await saveVersioned(ctx, input.collection, { ...doc, _id: input.id }, operator._id, '编辑');
    return { problems: [], version };
  },
);

/** The documents operators edit in a collection (rule sets: every `config/<key>`), for the editors' list. */
export const configDocs = action(
  () => z.object({ collection: target().collection }).strict(),
  async (ctx, input): Promise<{ id: string; title: string; stored: boolean }[]> => {
    await requireRole(ctx, 'operator');
    if (input.collection === 'config') {
      const stored = new Set((await findDocs<{ _id: string }>(ctx.db.collection('config').where({}).limit(100))).map((d) => d._id));
      return CONFIG_SPECS.map((s) => ({ id: s.key, title: s.key, stored: stored.has(s.key) }));
    }
    const docs = await findDocs<Record<string, unknown>>(ctx.db.collection(input.collection).where({}).limit(200));
    return docs.map((d) => ({ id: String(d['_id']), title: String(d['title'] ?? d['_id']), stored: true }));
  },
);
