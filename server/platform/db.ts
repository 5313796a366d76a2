import { chunk, uniq } from 'lodash-es';
import type * as cloud from 'wx-server-sdk';
import type { CollectionName, Collections, OpenCollection } from './collections';
import { AppError } from './errors';

export type Database = ReturnType<typeof cloud.database>;

/**
 * wx-server-sdk maps DATABASE_DUPLICATE_WRITE to a generic errCode and keeps the
 * service's message, which names the code (and Mongo's E11000).
 */
export function isDuplicateWrite(err: unknown): boolean {
  const text = `${(err as { errMsg?: unknown })?.errMsg ?? ''} ${(err as { message?: unknown })?.message ?? ''}`;
  return /DATABASE_DUPLICATE_WRITE|E11000|duplicate key/i.test(text);
}

type Query = ReturnType<ReturnType<Database['collection']>['where']>;

/**
 * The documents a query returns. The SDK's typings union in callback-style returns
 * (`void | string`) that never happen when no callback is passed.
 */
export async function findDocs<T>(query: Query): Promise<T[]> {
  const result = (await query.get()) as unknown as { data: T[] };
  return result.data;
}

/** The document with this id, typed by its collection (collections of several shapes name the type). */
export async function findOne<C extends CollectionName>(db: Database, collection: C, id: string): Promise<Collections[C] | undefined>;
export async function findOne<T>(db: Database, collection: OpenCollection, id: string): Promise<T | undefined>;
export async function findOne(db: Database, collection: string, id: string): Promise<unknown> {
  const [doc] = await findDocs(db.collection(collection).where({ _id: id }).limit(1));
  return doc;
}

/** The doc()-only surface wx-server-sdk offers inside a transaction. */
export interface TxDoc {
  get(): Promise<{ data: unknown }>;
  update(options: { data: Record<string, unknown> }): Promise<unknown>;
  set(options: { data: Record<string, unknown> }): Promise<unknown>;
  remove(): Promise<unknown>;
}
export interface Tx {
  collection(name: string): { doc(id: string): TxDoc; add(options: { data: object }): Promise<unknown> };
}

/**
 * Runs `work` in a transaction (snapshot reads, all-or-nothing writes). The SDK retries a
 * write conflict reported at commit; an error thrown by `work` aborts and comes back as is.
 */
export async function inTransaction<T>(db: Database, work: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return (await db.runTransaction((tx: unknown) => work(tx as Tx), 5)) as T;
  } catch (err) {
    const e = err as { code?: unknown; errMsg?: unknown; message?: unknown };
    if (e.code === 'DATABASE_TRANSACTION_CONFLICT' || /TRANSACTION_CONFLICT/.test(`${e.errMsg ?? ''} ${e.message ?? ''}`)) {
      throw new AppError('CONFLICT', '操作太快了，请稍后再试');
    }
    throw err;
  }
}

/** A document read inside a transaction, typed by its collection (a missing one rejects). */
export async function txGet<C extends CollectionName>(tx: Tx, collection: C, id: string): Promise<Collections[C]>;
export async function txGet<T>(tx: Tx, collection: OpenCollection, id: string): Promise<T>;
export async function txGet(tx: Tx, collection: string, id: string): Promise<unknown> {
  return (await tx.collection(collection).doc(id).get()).data;
}

/** How many documents an update changed (`where(...).update(...)`; the SDK types its reply loosely): a conditional write's verdict. */
export async function updatedCount(update: unknown): Promise<number> {
  return ((await update) as { stats: { updated: number } }).stats.updated;
}

/** Inserts `doc`; false if a document with its id already exists (the id is the idempotency key). */
export async function insertOnce<T extends { _id: string }>(db: Database, collection: string, doc: T): Promise<boolean> {
  try {
    await db.collection(collection).add({ data: doc });
    return true;
  } catch (err) {
    if (isDuplicateWrite(err)) return false;
    throw err;
  }
}

/** Every document a query matches, a page of 1000 at a time in `_id` order (the platform's read limit). */
export async function findAll<T extends { _id: string }>(db: Database, collection: string, where: Record<string, unknown>): Promise<T[]> {
  const _ = db.command;
  const out: T[] = [];
  for (;;) {
    const page = await findDocs<T>(
      db
        .collection(collection)
        .where({ ...where, _id: _.gt(out.at(-1)?._id ?? '') })
        .orderBy('_id', 'asc')
        .limit(1000),
    );
    out.push(...page);
    if (page.length < 1000) return out;
  }
}

/** Documents whose `field` is one of `values`, queried 1000 values at a time. */
export async function findIn<T extends { _id: string }>(
  db: Database,
  collection: string,
  field: string,
  values: readonly string[],
  where: Record<string, unknown> = {},
): Promise<T[]> {
  const out: T[] = [];
  for (const ids of chunk(uniq(values), 1000)) {
    const batch = { ...where, [field]: db.command.in(ids) };
    // By `_id` a batch holds at most 1000 documents; any other field pages on `_id`.
    out.push(
      ...(field === '_id'
        ? await findDocs<T>(db.collection(collection).where(batch).limit(1000))
        : await findAll<T>(db, collection, batch)),
    );
  }
  return out;
}
