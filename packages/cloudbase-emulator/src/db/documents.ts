import { randomBytes } from 'node:crypto';
import { Query, find, update as applyModifier } from 'mingo';
import { inDocumentOrder } from './aggregate';
import { type Doc, isPlainObject, sameStored, toStoredValue } from './ejson';
import { DbError } from './errors';

/** Pure document operations with MongoDB semantics (mingo), shared by every command. */

export type Filter = Record<string, unknown>;

export interface ReadOptions {
  order?: Record<string, 1 | -1>;
  offset?: number;
  limit: number;
  projection?: Record<string, unknown>;
}

export function newId(): string {
  return randomBytes(16).toString('hex');
}

export function compileFilter(query: Filter): (doc: Doc) => boolean {
  try {
    const compiled = new Query(query);
    const ordered = orderedEqualities(query);
    return (doc) => compiled.test(doc) && ordered(doc);
  } catch (err) {
    throw new DbError('DATABASE_REQUEST_FAILED', `invalid query: ${(err as Error).message}`);
  }
}

export function selectDocs(docs: Doc[], query: Filter, options: ReadOptions): Doc[] {
  let cursor = find(docs.filter(orderedEqualities(query)), query);
  if (options.order && Object.keys(options.order).length) cursor = cursor.sort(options.order);
  if (options.offset) cursor = cursor.skip(options.offset);
  const page = cursor.limit(options.limit).all() as Doc[];
  const projection = options.projection;
  if (!projection || Object.keys(projection).length === 0) return page;
  // Projected after paging, so that each result pairs with the document it came from.
  return inDocumentOrder(find(page, query, projection).all(), page, projection) as Doc[];
}

/**
 * MongoDB compares a field with a document (or an array) as BSON: the same fields in the
 * same order. mingo compares them regardless of order, so equalities on documents and
 * arrays (top level and under `$and`) are checked again here, order included; a field
 * holding an array also matches when one of its elements equals the value.
 */
function orderedEqualities(query: Filter): (doc: Doc) => boolean {
  const checks: [path: string, value: unknown][] = [];
  const collect = (clause: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(clause)) {
      if (key === '$and' && Array.isArray(value)) for (const part of value) if (isPlainObject(part)) collect(part);
      if (key.startsWith('$')) continue;
      const operand =
        isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$'))
          ? Object.keys(value).length === 1
            ? value['$eq']
            : undefined
          : value;
      if (Array.isArray(operand) || (isPlainObject(operand) && !Object.keys(operand).some((k) => k.startsWith('$'))))
        checks.push([key, operand]);
    }
  };
  collect(query);
  if (checks.length === 0) return () => true;
  return (doc) =>
    checks.every(([path, value]) => {
      const found = path.split('.').reduce<unknown>((node, part) => (isPlainObject(node) ? node[part] : undefined), doc);
      const candidates = Array.isArray(found) ? [found, ...found] : [found];
      const wanted = toStoredValue(value);
      return candidates.some((c) => toStoredValue(c) === wanted);
    });
}

export function isOperatorUpdate(data: Record<string, unknown>): boolean {
  return Object.keys(data).some((k) => k.startsWith('$'));
}

/**
 * The document after an update. `merge: false` (the SDK's `set`) replaces the whole
 * document but keeps `_id`; otherwise update operators apply (plain fields = `$set`).
 */
export function updatedDoc(doc: Doc, data: Record<string, unknown>, merge: boolean): Doc {
  if (!merge) {
    if (isOperatorUpdate(data)) throw new DbError('DATABASE_REQUEST_FAILED', 'set() takes a plain document, not update operators');
    const { _id: _ignored, ...fields } = structuredClone(data);
    return { _id: doc._id, ...fields };
  }
  const modifier = isOperatorUpdate(data) ? data : { $set: data };
  const next = structuredClone(doc);
  try {
    applyModifier(next, modifier as Parameters<typeof applyModifier>[1], undefined, undefined, { cloneMode: 'deep' });
  } catch (err) {
    throw new DbError('DATABASE_REQUEST_FAILED', `invalid update: ${(err as Error).message}`);
  }
  if (next._id !== doc._id) throw new DbError('DATABASE_REQUEST_FAILED', '_id is immutable');
  return next;
}

export function changed(before: Doc, after: Doc): boolean {
  return !sameStored(before, after);
}

/** The document an upsert starts from: the query's equality conditions (Mongo semantics). */
export function upsertSeed(query: Filter): Doc {
  const seed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    if (key.startsWith('$')) continue;
    const isCommand = isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$'));
    if (isCommand) {
      if (isPlainObject(value) && '$eq' in value && Object.keys(value).length === 1) setPath(seed, key, value['$eq']);
      continue;
    }
    setPath(seed, key, value);
  }
  const { _id: given, ...fields } = seed;
  return { _id: typeof given === 'string' ? given : newId(), ...fields };
}

/** Replaces the SDK's `db.serverDate({offset})` placeholders with the emulator clock. */
export function resolveServerDates<T>(value: T, now: Date): T {
  if (Array.isArray(value)) return value.map((v) => resolveServerDates(v, now)) as T;
  if (!isPlainObject(value)) return value;
  const marker = value['$tcb_server_date'];
  if (marker !== undefined && Object.keys(value).length === 1) {
    const offset = isPlainObject(marker) && typeof marker['offset'] === 'number' ? marker['offset'] : 0;
    return new Date(now.getTime() + offset) as T;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = resolveServerDates(v, now);
  return out as T;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (!isPlainObject(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1] as string] = value;
}
